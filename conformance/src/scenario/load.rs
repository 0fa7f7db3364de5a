//! Finding scenario files, reading them, and checking what the YAML types alone cannot.

use std::path::{Path, PathBuf};

use super::diagnostic::Diagnostic;
use super::{Scenario, Step};

/// A scenario read from a file.
#[derive(Debug, Clone)]
pub struct LoadedScenario {
    /// Where it came from.
    pub file: PathBuf,
    /// Its content.
    pub scenario: Scenario,
}

/// The scenario files under `paths` (files as given; folders searched recursively, skipping
/// folders whose names start with `_` or `.`, such as `scenarios/_invalid/`), sorted.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Diagnostic> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            walk(path, &mut files)
                .map_err(|e| Diagnostic::whole_file(path.clone(), format!("cannot read folder: {e}")))?;
        } else if path.is_file() {
            files.push(path.clone());
        } else {
            return Err(Diagnostic::whole_file(path.clone(), "no such file or folder".into()));
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
pub fn load_file(file: &Path, schemas: &Path) -> Result<LoadedScenario, Diagnostic> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| Diagnostic::whole_file(file.to_owned(), format!("cannot read: {e}")))?;
    load_text(file, &text, schemas)
}

/// Parses and checks scenario text.
pub fn load_text(file: &Path, text: &str, schemas: &Path) -> Result<LoadedScenario, Diagnostic> {
    let scenario: Scenario = serde_yaml_ng::from_str(text).map_err(|err| {
        let (line, column) = err.location().map_or((1, 1), |l| (l.line(), l.column()));
        let message = err.to_string();
        // The location is shown separately; drop serde_yaml's " at line L column C" suffix.
        let message = message.split(" at line ").next().unwrap_or(&message).to_owned();
        Diagnostic::at(file.to_owned(), text, line, column, message)
    })?;
    check(&scenario, schemas).map_err(|(needle, message)| {
        let (line, column) = locate(text, &needle);
        Diagnostic::at(file.to_owned(), text, line, column, message).with_width(needle.chars().count())
    })?;
    Ok(LoadedScenario { file: file.to_owned(), scenario })
}

/// Where `needle` first appears (1-based), or the first line.
fn locate(text: &str, needle: &str) -> (usize, usize) {
    text.lines()
        .enumerate()
        .find_map(|(n, line)| line.find(needle).map(|byte| (n + 1, line[..byte].chars().count() + 1)))
        .unwrap_or((1, 1))
}

/// Text that identifies a step in its file, for locating a diagnostic.
fn step_needle(step: &Step, index: usize) -> String {
    step.name
        .clone()
        .or_else(|| step.path.clone())
        .or_else(|| step.twin.as_ref().map(|t| t.path.clone()))
        .unwrap_or_else(|| if index == 0 { "steps:".into() } else { "- ".into() })
}

/// Rules that span several keys. Errors carry text to locate them by and the message.
fn check(scenario: &Scenario, schemas: &Path) -> Result<(), (String, String)> {
    if scenario.steps.is_empty() {
        return Err(("steps".into(), "a scenario needs at least one step".into()));
    }
    for (index, step) in scenario.steps.iter().enumerate() {
        let at = || step_needle(step, index);
        let label = format!("step {} ({})", index + 1, step.name.as_deref().unwrap_or("unnamed"));
        let kinds = usize::from(step.path.is_some())
            + usize::from(step.twin.is_some())
            + usize::from(step.webhook.is_some())
            + usize::from(step.delay_ms.is_some());
        if kinds > 1 {
            return Err((at(), format!("{label}: a step is one of `path` (a request), `twin` (an admin call), `webhook` (a wait) or `delay_ms` (a pause), not several")));
        }
        if let Some(delay) = step.delay_ms {
            if delay > 600_000 {
                return Err((at(), format!("{label}: `delay_ms` is at most 600000 (ten minutes), not {delay}")));
            }
            let more = step.expect.is_some() || !step.capture.is_empty() || step.until.is_some();
            if more || step.method.is_some() || step.json.is_some() || step.auth.is_some() || step.retry.is_some() {
                return Err((at(), format!("{label}: a `delay_ms` step only waits: no request, expect or capture")));
            }
            continue;
        }
        let sends = step.method.is_some()
            || step.json.is_some()
            || step.body.is_some()
            || !step.multipart.is_empty()
            || step.auth.is_some()
            || step.parallel.is_some()
            || step.retry.is_some();
        if step.webhook.is_some() && sends {
            return Err((
                at(),
                format!("{label}: a `webhook` step sends nothing: no method, json, body, auth, parallel or retry"),
            ));
        }
        match (&step.path, &step.twin) {
            (Some(_), Some(_)) => return Err((at(), format!("{label}: a step has `path` (a request) or `twin` (an admin call), not both"))),
            (None, None) if step.webhook.is_none() => {
                return Err((at(), format!("{label}: a step needs `path` (a request to the provider), `twin` (an admin call), `webhook` (a wait) or `delay_ms` (a pause)")))
            }
            (None, None) => {}
            (None, Some(_)) => {
                let request_keys = [
                    ("method", step.method.is_some()),
                    ("json", step.json.is_some()),
                    ("body", step.body.is_some()),
                    ("multipart", !step.multipart.is_empty()),
                    ("auth", step.auth.is_some()),
                    ("headers", !step.headers.is_empty()),
                    ("query", !step.query.is_empty()),
                ];
                if let Some((key, _)) = request_keys.iter().find(|(_, set)| *set) {
                    return Err((at(), format!("{label}: `{key}` belongs inside `twin:` for an admin call")));
                }
            }
            (Some(_), None) => {}
        }
        let bodies = usize::from(step.json.is_some())
            + usize::from(step.body.is_some())
            + usize::from(!step.multipart.is_empty());
        if bodies > 1 {
            return Err((at(), format!("{label}: give one of `json`, `body` or `multipart`")));
        }
        match (&step.retry, &step.until) {
            (Some(retry), Some(_)) if retry.times == 0 => {
                return Err(("times".into(), format!("{label}: retry.times must be at least 1")))
            }
            (Some(_), None) => {
                return Err(("retry".into(), format!("{label}: `retry` needs `until` (the condition to wait for)")))
            }
            (None, Some(_)) => {
                return Err(("until".into(), format!("{label}: `until` needs `retry` (how often to try)")))
            }
            _ => {}
        }
        let parallel = step.parallel.unwrap_or(1);
        if !(1..=1000).contains(&parallel) {
            return Err(("parallel".into(), format!("{label}: parallel must be between 1 and 1000")));
        }
        if step.parallel.is_some() && (!step.capture.is_empty() || step.retry.is_some()) {
            return Err(("parallel".into(), format!("{label}: a parallel step cannot capture or retry")));
        }
        for expect in step.expect.iter().chain(step.until.iter()) {
            if step.parallel.is_none() && (!expect.statuses.is_empty() || !expect.each.is_empty()) {
                return Err((
                    "statuses".into(),
                    format!("{label}: `statuses` and `each` check the answers of a `parallel` step"),
                ));
            }
            for key in expect.statuses.keys().chain(expect.each.keys()) {
                if key.parse::<u16>().map_or(true, |s| !(100..=599).contains(&s)) {
                    return Err((key.clone(), format!("{label}: `{key}` is not an HTTP status")));
                }
            }
            let schema_names = expect.schema.iter().chain(expect.each.values().filter_map(|e| e.schema.as_ref()));
            for schema in schema_names {
                if !schemas.join(schema).is_file() {
                    return Err((schema.clone(), format!("{label}: no schema `{schema}` under {}", schemas.display())));
                }
            }
        }
    }
    Ok(())
}
