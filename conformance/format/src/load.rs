//! Finding scenario files and reading them: YAML with spans, serde for the model, then the rules
//! the types alone cannot say ([`super::rules`]), includes and rows ([`super::expand`]) and the
//! variables ([`super::variables`]). Every problem of a file is reported, each where it is.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::diagnostic::{humanize, Diagnostic, Kind};
use super::spans::{Span, SpanTree};
use super::{expand, rules, variables, Scenario, Step};

/// A scenario read from a file (one per row when the file has `rows`).
#[derive(Debug, Clone)]
pub struct LoadedScenario {
    /// Where it came from.
    pub file: PathBuf,
    /// Its content, includes expanded and its row's variables set.
    pub scenario: Scenario,
}

/// What loading a file gave: its scenarios and any warnings.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// One per row (one when the file has no `rows`).
    pub scenarios: Vec<LoadedScenario>,
    /// Problems that do not stop it (`${user_id}` is sent as it is).
    pub warnings: Vec<Diagnostic>,
}

impl Loaded {
    /// The one scenario of a file without `rows`.
    pub fn into_only(mut self) -> Option<LoadedScenario> {
        (self.scenarios.len() == 1).then(|| self.scenarios.remove(0))
    }
}

/// Diagnostics as the terminal shows them, one after another.
pub fn render(diagnostics: &[Diagnostic]) -> String {
    diagnostics.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
}

/// What a file is checked against besides itself.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// The folder `expect.schema` names are resolved in.
    pub schemas: PathBuf,
    /// Variables the run supplies (`--vars`), defined for every scenario.
    pub extra_vars: BTreeSet<String>,
}

impl Context {
    /// Checks against `schemas` and no `--vars`.
    pub fn new(schemas: &Path) -> Self {
        Self { schemas: schemas.to_owned(), extra_vars: BTreeSet::new() }
    }
}

/// A file's text and spans, shared by the diagnostics about it.
#[derive(Debug)]
pub struct Source {
    /// The file, as the user named it.
    pub file: PathBuf,
    /// Its text.
    pub text: String,
    /// Its spans.
    pub tree: SpanTree,
}

impl Source {
    /// A diagnostic of `kind` at the key (`on_key`) or value of `path`, or at the nearest
    /// enclosing path the file has.
    pub fn at(&self, path: &str, on_key: bool, kind: Kind, message: String) -> Diagnostic {
        let mut probe = path.to_owned();
        let span = loop {
            if let Some(located) = self.tree.locate(&probe) {
                break if on_key { located.key.unwrap_or(located.value) } else { located.value };
            }
            match probe.rfind(['.', '[']) {
                Some(cut) => probe.truncate(cut),
                None => break Span { line: 1, column: 1, width: 1 },
            }
        };
        Diagnostic::new(kind, self.file.clone(), &self.text, span, message)
    }

    /// How a path reads in a message: `step 2 (log in), `expect.status``.
    pub fn describe(&self, path: &str) -> String {
        let Some(rest) = path.strip_prefix("steps[") else {
            return format!("`{path}`");
        };
        let Some((index, tail)) = rest.split_once(']') else { return format!("`{path}`") };
        let number = index.parse::<usize>().map_or(0, |i| i + 1);
        let name = self
            .tree
            .node(&format!("steps[{index}].name"))
            .and_then(|n| match &n.kind {
                super::spans::NodeKind::Scalar(text) => Some(text.clone()),
                _ => None,
            })
            .unwrap_or_else(|| "unnamed".into());
        let tail = tail.trim_start_matches('.');
        if tail.is_empty() {
            format!("step {number} ({name})")
        } else {
            format!("step {number} ({name}), `{tail}`")
        }
    }
}

/// The scenario files under `paths` (files as given; folders searched recursively, skipping
/// folders whose names start with `_` or `.`, such as `scenarios/_invalid/`), sorted.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Box<Diagnostic>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            walk(path, &mut files)
                .map_err(|e| Box::new(Diagnostic::whole_file(path.clone(), format!("cannot read folder: {e}"))))?;
        } else if path.is_file() {
            files.push(path.clone());
        } else {
            return Err(Box::new(Diagnostic::whole_file(path.clone(), "no such file or folder".into())));
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if path.is_dir() {
            if !name.starts_with('_') && !name.starts_with('.') {
                walk(&path, files)?;
            }
        } else if name.ends_with(".yaml") || name.ends_with(".yml") {
            files.push(path);
        }
    }
    Ok(())
}

/// Reads and checks one file; `schemas` is the folder `expect.schema` names are resolved in.
pub fn load_file(file: &Path, schemas: &Path) -> Result<Loaded, Vec<Diagnostic>> {
    load_file_with(file, &Context::new(schemas))
}

/// Reads and checks one file in `context`.
pub fn load_file_with(file: &Path, context: &Context) -> Result<Loaded, Vec<Diagnostic>> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| vec![Diagnostic::whole_file(file.to_owned(), format!("cannot read: {e}"))])?;
    load_text_with(file, &text, context)
}

/// Parses and checks scenario text.
pub fn load_text(file: &Path, text: &str, schemas: &Path) -> Result<Loaded, Vec<Diagnostic>> {
    load_text_with(file, text, &Context::new(schemas))
}

/// Parses and checks scenario text in `context`: every error and warning, in line order.
pub fn load_text_with(file: &Path, text: &str, context: &Context) -> Result<Loaded, Vec<Diagnostic>> {
    let (source, scenario) = parse::<Scenario>(file, text, &context.schemas)?;
    let source = Arc::new(source);
    let mut problems = rules::check(&scenario, &source, context);
    let steps = expand::includes(&scenario.steps, &source, context, 0, &mut problems);
    problems.extend(variables::check(&scenario, &steps, &source, context));
    problems.sort_by_key(|d| (d.file.clone(), d.line, d.column));
    if problems.iter().any(Diagnostic::is_error) {
        return Err(problems);
    }
    let steps: Vec<Step> = steps.into_iter().map(|placed| placed.step).collect();
    let scenarios = expand::rows(&scenario, steps)
        .into_iter()
        .map(|scenario| LoadedScenario { file: file.to_owned(), scenario })
        .collect();
    Ok(Loaded { scenarios, warnings: problems })
}

/// Reads `text` as a `T` (a scenario, or an included file): tabs, YAML syntax, then serde, with
/// every error of every step (and the rules of the steps that do read, against `schemas`).
pub fn parse<T: serde::de::DeserializeOwned>(
    file: &Path,
    text: &str,
    schemas: &Path,
) -> Result<(Source, T), Vec<Diagnostic>> {
    let tabs = tab_indents(file, text);
    if !tabs.is_empty() {
        return Err(tabs);
    }
    let tree = SpanTree::parse(text).map_err(|error| vec![syntax(file, text, error)])?;
    let source = Source { file: file.to_owned(), text: text.to_owned(), tree };
    match serde_yaml_ng::from_str::<T>(text) {
        Ok(value) => Ok((source, value)),
        Err(first) => {
            let mut problems = every_error::<T>(&source, schemas);
            if problems.is_empty() {
                problems.push(serde_error(&source, "", &first.to_string()));
            }
            Err(problems)
        }
    }
}

/// A tab in a line's indentation: YAML refuses it with words about tokens; say it plainly.
fn tab_indents(file: &Path, text: &str) -> Vec<Diagnostic> {
    text.lines()
        .enumerate()
        .filter_map(|(n, line)| {
            let indent: String = line.chars().take_while(|c| c.is_whitespace()).collect();
            let column = indent.chars().position(|c| c == '\t')?;
            let span = Span { line: n + 1, column: column + 1, width: 1 };
            let message = "a tab indents this line; YAML indents with spaces only".to_owned();
            Some(Diagnostic::new(Kind::Tab, file.to_owned(), text, span, message).hint("replace the tab with spaces"))
        })
        .collect()
}

/// A YAML syntax error, with a hint for the mistakes people make.
fn syntax(file: &Path, text: &str, error: super::spans::SyntaxError) -> Diagnostic {
    let line = text.lines().nth(error.span.line.saturating_sub(1)).unwrap_or_default();
    let hint = if line.contains('{') && line.contains("$.") && line.contains('[') {
        let key = line.split(['{', ',']).map(str::trim).find(|part| part.starts_with("$.") && part.contains('['));
        let key = key.and_then(|k| k.split(": ").next()).unwrap_or("$.path[0]");
        Some(format!("a JSONPath key with brackets must be quoted inside `{{ }}`: write \"{key}\""))
    } else if error.info.contains("expected") {
        Some("a `{`, `[` or quote is not closed on this line".to_owned())
    } else {
        None
    };
    let message = format!("this is not valid YAML: {}", error.info.trim_start_matches("while parsing a "));
    Diagnostic::new(Kind::Syntax, file.to_owned(), text, error.span, message).maybe_hint(hint)
}

/// Every serde error of the file: the top level with its steps left out, then each step alone
/// (serde stops at the first error; each step is read again from its own YAML to find the next).
fn every_error<T: serde::de::DeserializeOwned>(source: &Source, schemas: &Path) -> Vec<Diagnostic> {
    let Ok(serde_yaml_ng::Value::Mapping(mut top)) = serde_yaml_ng::from_str::<serde_yaml_ng::Value>(&source.text)
    else {
        return Vec::new();
    };
    let mut problems = Vec::new();
    let steps = match top.get_mut("steps") {
        Some(serde_yaml_ng::Value::Sequence(steps)) => std::mem::take(steps),
        _ => Vec::new(),
    };
    if !steps.is_empty() {
        // One placeholder step keeps `steps: []` from being the top level's error.
        top.insert(
            "steps".into(),
            serde_yaml_ng::Value::Sequence(vec![serde_yaml_ng::from_str("path: /").unwrap_or_default()]),
        );
    }
    if let Err(error) = reread::<T>(&serde_yaml_ng::Value::Mapping(top)) {
        problems.push(serde_error(source, "", &error));
    }
    for (index, step) in steps.iter().enumerate() {
        let path = format!("steps[{index}]");
        match reread::<Step>(step) {
            Err(error) => problems.push(serde_error(source, &path, &error)),
            Ok(step) => rules::step_rules(&step, &path, source, schemas, &mut problems),
        }
    }
    problems.sort_by_key(|d| (d.line, d.column));
    problems
}

fn reread<T: serde::de::DeserializeOwned>(value: &serde_yaml_ng::Value) -> Result<T, String> {
    // Through text, not `from_value`: YAML's reading of a plain `5` as text where text is wanted
    // applies only when reading text.
    let text = serde_yaml_ng::to_string(value).map_err(|e| e.to_string())?;
    serde_yaml_ng::from_str::<T>(&text).map_err(|e| e.to_string())
}

/// A serde message (`expect.status: invalid type: ...  at line 3 column 5`) as a diagnostic at
/// its path under `prefix`.
fn serde_error(source: &Source, prefix: &str, message: &str) -> Diagnostic {
    let message = message.split(" at line ").next().unwrap_or(message);
    let message = message.replacen("invalid assertion: ", "", 1);
    let message = message.as_str();
    // serde_yaml prefixes the path of the value (`expect.status: ...`); a message never has a
    // space before its first ": ".
    let (inner, rest) = match message.split_once(": ") {
        Some((path, rest)) if !path.contains(' ') && !path.is_empty() => (path, rest),
        _ => ("", message),
    };
    let path = match (prefix.is_empty(), inner.is_empty()) {
        (true, _) => inner.to_owned(),
        (false, true) => prefix.to_owned(),
        (false, false) => format!("{prefix}.{inner}"),
    };
    let (kind, text, hint) = humanize(rest);
    let join = |word: &str| if path.is_empty() { word.to_owned() } else { format!("{path}.{word}") };
    let first_word = super::diagnostic::backticked(&text).into_iter().next().unwrap_or_default();
    let (target, on_key) = match kind {
        Kind::UnknownKey => (join(&first_word), true),
        // "`status` is a number": the message names the key under the path; point at its value.
        _ if !first_word.is_empty() && source.tree.locate(&join(&first_word)).is_some() => (join(&first_word), false),
        _ => (path.clone(), false),
    };
    // A word the message quotes that is written under the path (`$.token[`, an operator): point at it.
    let located_word = !first_word.is_empty() && source.tree.locate(&join(&first_word)).is_some();
    let written = (!first_word.is_empty() && !located_word)
        .then(|| source.tree.scalars(&path).into_iter().find(|(_, text, _)| *text == first_word))
        .flatten();
    if let Some((_, _, span)) = written {
        let located_message = if path.is_empty() { text } else { format!("{}: {text}", source.describe(&path)) };
        return Diagnostic::new(kind, source.file.clone(), &source.text, span, located_message).maybe_hint(hint);
    }
    let located_message = if path.is_empty() { text } else { format!("{}: {text}", source.describe(&path)) };
    source.at(&target, on_key, kind, located_message).maybe_hint(hint)
}
