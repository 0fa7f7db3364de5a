//! Diagnostics for scenario files as data (a kind, a severity, a span, a message, a hint), and the
//! one renderer that writes them for the terminal, JUnit and HTML alike:
//!
//! ```text
//! error[unknown-key]: step 1 (log in): unknown key `expet`
//!  --> scenarios/_invalid/unknown_key.yaml:9:5
//!   |
//! 9 |     expet:
//!   |     ^^^^^ did you mean `expect`?
//! ```
//!
//! Written by hand (about forty lines) rather than with miette: the layout is hurl's, and the
//! same plain text goes into the terminal and the reports. Messages speak of keys, values and
//! steps; serde's own words ("untagged enum", "expected f64") are translated in [`humanize`].

use std::fmt;
use std::path::PathBuf;

use super::assertion::nearest;
use super::spans::Span;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The file cannot run.
    Error,
    /// It runs, but likely not as meant (`${user_id}` is sent as it is).
    Warning,
}

/// What kind of problem it is (shown as `error[kind]`, stable for tools).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The file cannot be read.
    Unreadable,
    /// Not YAML.
    Syntax,
    /// A tab where YAML wants spaces.
    Tab,
    /// A key the format does not have.
    UnknownKey,
    /// A value outside the allowed names (provider, auth, method).
    UnknownValue,
    /// A required key is missing.
    MissingKey,
    /// A value of the wrong type (`status: "200"`).
    WrongType,
    /// A value of the right type that is not allowed (`parallel: 0`, a bad JSONPath).
    InvalidValue,
    /// A JSONPath, regular expression or bound arithmetic that does not parse.
    InvalidText,
    /// `rows` whose keys differ.
    Rows,
    /// Keys that do not go together in a step.
    StepShape,
    /// A `{{name}}` never defined.
    UnknownVariable,
    /// A `{{name}}` used before the step that captures it.
    VariableTooEarly,
    /// A `{{$name}}` that is not a generator.
    UnknownGenerator,
    /// A `{{` without `}}`.
    Unclosed,
    /// `${name}` or `{name}`: sent as it is.
    ForeignPlaceholder,
    /// `auth:` of another provider.
    AuthMismatch,
    /// `schema:` names no file.
    MissingSchema,
    /// `include:` names no usable file.
    Include,
}

impl Kind {
    /// Its stable name.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Unreadable => "unreadable",
            Kind::Syntax => "yaml-syntax",
            Kind::Tab => "tab",
            Kind::UnknownKey => "unknown-key",
            Kind::UnknownValue => "unknown-value",
            Kind::MissingKey => "missing-key",
            Kind::WrongType => "wrong-type",
            Kind::InvalidValue => "invalid-value",
            Kind::InvalidText => "invalid-text",
            Kind::Rows => "rows",
            Kind::StepShape => "step-shape",
            Kind::UnknownVariable => "unknown-variable",
            Kind::VariableTooEarly => "variable-too-early",
            Kind::UnknownGenerator => "unknown-generator",
            Kind::Unclosed => "unclosed-placeholder",
            Kind::ForeignPlaceholder => "foreign-placeholder",
            Kind::AuthMismatch => "auth-mismatch",
            Kind::MissingSchema => "missing-schema",
            Kind::Include => "include",
        }
    }

    /// Whether the published JSON Schema can see this problem too (the others need the runner:
    /// variables, files on disk, YAML the schema never gets to read).
    pub fn schema_can_see(self) -> bool {
        matches!(self, Kind::UnknownKey | Kind::UnknownValue | Kind::MissingKey | Kind::WrongType | Kind::InvalidValue)
    }
}

/// A problem in a scenario file, with where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// What kind of problem.
    pub kind: Kind,
    /// Error or warning.
    pub severity: Severity,
    /// The file.
    pub file: PathBuf,
    /// 1-based line (0 when the problem is the file itself).
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it, shown under the caret.
    pub hint: Option<String>,
    /// The offending line's text.
    pub source_line: String,
    /// How many characters the caret underlines.
    pub width: usize,
}

impl Diagnostic {
    /// A diagnostic about the file as a whole (unreadable, missing).
    pub fn whole_file(file: PathBuf, message: String) -> Self {
        Self {
            kind: Kind::Unreadable,
            severity: Severity::Error,
            file,
            line: 0,
            column: 0,
            message,
            hint: None,
            source_line: String::new(),
            width: 0,
        }
    }

    /// An error of `kind` at `span` of `text`.
    pub fn new(kind: Kind, file: PathBuf, text: &str, span: Span, message: String) -> Self {
        let mut line = span.line.max(1);
        let mut column = span.column.max(1);
        // The parser reports the end of the file as the line after the last: show the last line's end.
        let count = text.lines().count();
        if line > count && count > 0 {
            line = count;
            column = text.lines().last().map_or(0, |l| l.chars().count()) + 1;
        }
        let source_line = text.lines().nth(line - 1).unwrap_or_default().to_owned();
        Self {
            kind,
            severity: Severity::Error,
            file,
            line,
            column,
            message,
            hint: None,
            source_line,
            width: span.width.max(1),
        }
    }

    /// With a hint under the caret.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// With a hint, when there is one.
    pub fn maybe_hint(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }

    /// As a warning.
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// Whether it stops the file from running.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(f, "{severity}[{}]: {}", self.kind.name(), self.message)?;
        if self.line == 0 {
            return writeln!(f, "  --> {}", self.file.display());
        }
        let number = self.line.to_string();
        let pad = " ".repeat(number.len());
        writeln!(f, "{pad}--> {}:{}:{}", self.file.display(), self.line, self.column)?;
        writeln!(f, "{pad} |")?;
        // Tabs are shown as one space each, so the caret lines up whatever the terminal's tab width.
        writeln!(f, "{number} | {}", self.source_line.replace('\t', " "))?;
        let indent = " ".repeat(self.column - 1);
        let carets = "^".repeat(self.width.max(1));
        match &self.hint {
            Some(hint) => writeln!(f, "{pad} | {indent}{carets} {hint}"),
            None => writeln!(f, "{pad} | {indent}{carets}"),
        }
    }
}

/// The words in backticks, in order.
pub fn backticked(message: &str) -> Vec<String> {
    message.split('`').skip(1).step_by(2).map(str::to_owned).collect()
}

/// serde's message in the words of YAML and scenarios: its kind, the message and a hint.
pub fn humanize(message: &str) -> (Kind, String, Option<String>) {
    let quoted = backticked(message);
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let word = quoted.first().cloned().unwrap_or_default();
        let valid: Vec<&str> = quoted.iter().skip(1).map(String::as_str).collect();
        let hint = nearest(&word, &valid)
            .map(|n| format!("did you mean `{n}`?"))
            .or_else(|| (!valid.is_empty()).then(|| format!("valid keys here: {}", valid.join(", "))));
        let _ = rest;
        return (Kind::UnknownKey, format!("unknown key `{word}`"), hint);
    }
    if message.starts_with("unknown variant ") {
        let word = quoted.first().cloned().unwrap_or_default();
        let valid: Vec<&str> = quoted.iter().skip(1).map(String::as_str).collect();
        let hint = nearest(&word, &valid)
            .map(|n| format!("did you mean `{n}`?"))
            .or_else(|| Some(format!("one of: {}", valid.join(", "))));
        return (Kind::UnknownValue, format!("unknown value `{word}`"), hint);
    }
    if message.starts_with("missing field ") {
        let word = quoted.first().cloned().unwrap_or_default();
        return (Kind::MissingKey, format!("missing key `{word}`"), None);
    }
    for (prefix, kind) in [("invalid type: ", Kind::WrongType), ("invalid value: ", Kind::InvalidValue)] {
        if let Some(rest) = message.strip_prefix(prefix) {
            let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, "something else"));
            let expected = expected_words(expected);
            let found_words = found_words(found);
            let hint = quoted_number(found).map(|n| format!("write {n} without quotes"));
            return (kind, format!("expected {expected}, found {found_words}"), hint);
        }
    }
    if message.contains("invalid JSONPath")
        || message.contains("invalid regular expression")
        || message.contains("a bound is")
    {
        return (Kind::InvalidText, message.to_owned(), None);
    }
    if message.starts_with("unknown operator") {
        let hint = message.split("; ").nth(1).and_then(|h| h.split(" (operators").next()).map(str::to_owned);
        let head = message.split(';').next().unwrap_or(message).to_owned();
        return (Kind::UnknownKey, head, hint);
    }
    (Kind::InvalidValue, message.to_owned(), None)
}

/// serde's name of an expected type, as a QA person would say it.
fn expected_words(expected: &str) -> String {
    let words = match expected.trim() {
        "u8" | "u16" | "u32" | "u64" | "usize" | "i32" | "i64" => "a whole number",
        "f32" | "f64" => "a number",
        "a boolean" | "bool" => "true or false",
        "a string" | "string" => "text",
        "a sequence" => "a list",
        "a map" => "a mapping (key: value)",
        other => other,
    };
    words.to_owned()
}

/// serde's description of what it found (`string "200"`, `integer `5``).
fn found_words(found: &str) -> String {
    let found = found.trim();
    if let Some(text) = found.strip_prefix("string ") {
        return format!("the text {text}");
    }
    for (prefix, words) in [
        ("integer ", "the number "),
        ("floating point ", "the number "),
        ("boolean ", ""),
        ("unsigned integer ", "the number "),
    ] {
        if let Some(value) = found.strip_prefix(prefix) {
            return format!("{words}{}", value.trim_matches('`'));
        }
    }
    match found {
        "sequence" => "a list".into(),
        "map" => "a mapping".into(),
        "unit value" | "null" => "nothing (null)".into(),
        other => other.to_owned(),
    }
}

/// The number inside a quoted string serde found (`string "200"` → 200).
fn quoted_number(found: &str) -> Option<String> {
    let text = found.trim().strip_prefix("string \"")?.strip_suffix('"')?;
    text.parse::<f64>().ok().map(|_| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_renderer_points_at_the_span_with_the_hint() {
        let text = "name: x\nsteps:\n  - path: /a\n    expet:\n      status: 200\n";
        let span = Span { line: 4, column: 5, width: 5 };
        let diagnostic =
            Diagnostic::new(Kind::UnknownKey, PathBuf::from("f.yaml"), text, span, "unknown key `expet`".into())
                .hint("did you mean `expect`?");
        let rendered = diagnostic.to_string();
        assert!(rendered.starts_with("error[unknown-key]: unknown key `expet`"), "{rendered}");
        assert!(rendered.contains(" --> f.yaml:4:5"), "{rendered}");
        assert!(rendered.contains("4 |     expet:"), "{rendered}");
        assert!(rendered.contains("  |     ^^^^^ did you mean `expect`?"), "{rendered}");
    }

    #[test]
    fn serde_words_become_the_users_words() {
        let (kind, message, hint) = humanize("invalid type: string \"200\", expected u16");
        assert_eq!((kind, message.as_str()), (Kind::WrongType, "expected a whole number, found the text \"200\""));
        assert_eq!(hint.as_deref(), Some("write 200 without quotes"));
        let (_, message, hint) = humanize("unknown field `expet`, expected one of `name`, `expect`");
        assert_eq!((message.as_str(), hint.as_deref()), ("unknown key `expet`", Some("did you mean `expect`?")));
    }
}
