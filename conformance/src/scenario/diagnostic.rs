//! Diagnostics for broken scenario files: file, line and column, the offending line with a caret,
//! and a hint (the nearest valid key when a key is misspelt).
//!
//! ```text
//! error: unknown field `expet`
//!   --> scenarios/_invalid/unknown_key.yaml:9:5
//!    |
//!  9 |     expet:
//!    |     ^^^^^ did you mean `expect`?
//! ```
//!
//! Written by hand (about forty lines) rather than with miette: the layout is hurl's, and the
//! same plain text goes into the terminal and the reports.

use std::fmt;
use std::path::PathBuf;

use super::assertion::nearest;

/// A problem in a scenario file, with where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
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
        Self { file, line: 0, column: 0, message, hint: None, source_line: String::new(), width: 0 }
    }

    /// A diagnostic at `line`/`column` of `text`, with a did-you-mean hint when the message names an
    /// unknown key or value and the valid ones (serde's "unknown field `x`, expected one of `a`, `b`").
    pub fn at(file: PathBuf, text: &str, line: usize, column: usize, message: String) -> Self {
        let quoted = backticked(&message);
        let mut hint = None;
        let mut width = 1;
        let mut line = line.max(1);
        let mut column = column.max(1);
        if message.contains("invalid JSONPath") {
            if let Some((found_line, found_column)) = quoted.first().and_then(|path| find_word(text, path, line)) {
                line = found_line;
                column = found_column;
                width = quoted.first().map_or(1, |p| p.chars().count());
            }
        } else if message.contains("unknown field")
            || message.contains("unknown variant")
            || message.contains("unknown operator")
        {
            if let Some((word, rest)) = quoted.split_first() {
                let candidates: Vec<&str> = rest.iter().map(String::as_str).collect();
                hint = nearest(word, &candidates).map(|n| format!("did you mean `{n}`?"));
                if hint.is_none() && !candidates.is_empty() && message.contains("unknown field") {
                    hint = Some(format!("valid keys here: {}", candidates.join(", ")));
                }
                // Point at the word itself: on the reported line, or the nearest line above it.
                if let Some((found_line, found_column)) = find_word(text, word, line) {
                    line = found_line;
                    column = found_column;
                    width = word.chars().count();
                }
            }
        }
        let source_line = text.lines().nth(line - 1).unwrap_or_default().to_owned();
        Self { file, line, column, message, hint, source_line, width }
    }
}

impl Diagnostic {
    /// Underlines `width` characters instead of one.
    pub fn with_width(mut self, width: usize) -> Self {
        self.width = width.max(1);
        self
    }
}

/// The words in backticks, in order.
fn backticked(message: &str) -> Vec<String> {
    message.split('`').skip(1).step_by(2).map(str::to_owned).collect()
}

/// Finds `word` on line `near` or the closest line above it (1-based line and column).
fn find_word(text: &str, word: &str, near: usize) -> Option<(usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let start = near.min(lines.len());
    (1..=start).rev().chain(start + 1..=lines.len()).find_map(|n| {
        let line = lines.get(n - 1)?;
        let byte = line.find(word)?;
        Some((n, line[..byte].chars().count() + 1))
    })
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "error: {}", self.message)?;
        if self.line == 0 {
            return writeln!(f, "  --> {}", self.file.display());
        }
        let number = self.line.to_string();
        let pad = " ".repeat(number.len());
        writeln!(f, "{pad}--> {}:{}:{}", self.file.display(), self.line, self.column)?;
        writeln!(f, "{pad} |")?;
        writeln!(f, "{number} | {}", self.source_line)?;
        let indent: String =
            self.source_line.chars().take(self.column - 1).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
        let carets = "^".repeat(self.width.max(1));
        match &self.hint {
            Some(hint) => writeln!(f, "{pad} | {indent}{carets} {hint}"),
            None => writeln!(f, "{pad} | {indent}{carets}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_field_points_at_the_word_and_suggests_the_nearest_key() {
        let text = "name: x\nsteps:\n  - path: /a\n    expet:\n      status: 200\n";
        let message = "steps[0]: unknown field `expet`, expected one of `name`, `expect`, `capture`".to_owned();
        let diagnostic = Diagnostic::at(PathBuf::from("f.yaml"), text, 5, 7, message);
        assert_eq!((diagnostic.line, diagnostic.column, diagnostic.width), (4, 5, 5));
        assert_eq!(diagnostic.hint.as_deref(), Some("did you mean `expect`?"));
        let rendered = diagnostic.to_string();
        assert!(rendered.contains(" --> f.yaml:4:5"), "{rendered}");
        assert!(rendered.contains("4 |     expet:"), "{rendered}");
        assert!(rendered.contains("  |     ^^^^^ did you mean `expect`?"), "{rendered}");
    }
}
