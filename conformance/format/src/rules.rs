//! The rules a scenario's types cannot say: what a step is (a request, an admin call, a webhook
//! wait, a pause or an include), which keys go together, bounds, the auth scheme against the
//! provider, and schema files that exist. Every broken rule is reported, at its key or value.

use std::path::Path;

use super::diagnostic::{Diagnostic, Kind};
use super::load::{Context, Source};
use super::{Expect, Scenario, Step};

/// Every broken rule of `scenario`.
pub fn check(scenario: &Scenario, source: &Source, context: &Context) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    if scenario.steps.is_empty() {
        problems.push(source.at("steps", true, Kind::InvalidValue, "a scenario needs at least one step".into()));
    }
    if let Some(first) = scenario.rows.first() {
        let columns: Vec<&String> = first.keys().collect();
        for (index, row) in scenario.rows.iter().enumerate().skip(1) {
            if row.keys().collect::<Vec<_>>() != columns {
                let message = format!(
                    "`rows` row {}: every row has the same keys as the first ({})",
                    index + 1,
                    columns.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ")
                );
                problems.push(source.at(&format!("rows[{index}]"), false, Kind::Rows, message));
            }
        }
    }
    let family = scenario.provider.family();
    for (index, step) in scenario.steps.iter().enumerate() {
        step_rules(step, &format!("steps[{index}]"), source, &context.schemas, &mut problems);
        if let Some(auth) = step.auth.and_then(|a| a.provider()) {
            if auth.family() != family {
                let message = format!(
                    "{}: `auth: {}` signs as a client of {}, but this scenario calls {}",
                    source.describe(&format!("steps[{index}]")),
                    auth.name(),
                    auth.name(),
                    scenario.provider.name()
                );
                problems.push(
                    source
                        .at(&format!("steps[{index}].auth"), false, Kind::AuthMismatch, message)
                        .hint(format!("use `auth: {family}` or `auth: none`")),
                );
            }
        }
    }
    problems
}

/// The rules of one step at `path` (`steps[3]`, or a step of an included file).
pub fn step_rules(step: &Step, path: &str, source: &Source, schemas: &Path, problems: &mut Vec<Diagnostic>) {
    let mut r = Reporter { path, label: source.describe(path), source, problems };
    let kinds = [
        ("path", step.path.is_some()),
        ("twin", step.twin.is_some()),
        ("webhook", step.webhook.is_some()),
        ("delay_ms", step.delay_ms.is_some()),
        ("include", step.include.is_some()),
    ];
    let given: Vec<&str> = kinds.iter().filter(|(_, set)| *set).map(|(key, _)| *key).collect();
    const WHAT: &str = "`path` (a request), `twin` (an admin call), `webhook` (a wait), `delay_ms` (a pause) or `include` (another file's steps)";
    match given.as_slice() {
        [] => {
            r.fail("", false, Kind::StepShape, format!("a step needs {WHAT}"));
            return;
        }
        [_] => {}
        [_, second, ..] => {
            r.fail(second, true, Kind::StepShape, format!("a step is one of {WHAT}, not {}", given.join(" and ")));
            return;
        }
    }
    let set_keys = |keys: &[(&'static str, bool)]| -> Vec<&'static str> {
        keys.iter().filter(|(_, set)| *set).map(|(k, _)| *k).collect()
    };
    let request_keys = [
        ("method", step.method.is_some()),
        ("json", step.json.is_some()),
        ("body", step.body.is_some()),
        ("multipart", !step.multipart.is_empty()),
        ("auth", step.auth.is_some()),
        ("headers", !step.headers.is_empty()),
        ("query", !step.query.is_empty()),
    ];
    let flow_keys = [
        ("expect", step.expect.is_some()),
        ("capture", !step.capture.is_empty()),
        ("retry", step.retry.is_some()),
        ("until", step.until.is_some()),
        ("parallel", step.parallel.is_some()),
    ];
    match given[0] {
        "delay_ms" | "include" => {
            let extra: Vec<&str> = set_keys(&request_keys).into_iter().chain(set_keys(&flow_keys)).collect();
            if let Some(key) = extra.first() {
                let what = if given[0] == "include" {
                    "an `include` step only names a file and its `with`"
                } else {
                    "a `delay_ms` step only waits"
                };
                r.fail(key, true, Kind::StepShape, format!("{what}: no `{key}` here"));
            }
            if let Some(delay) = step.delay_ms.filter(|d| *d > 600_000) {
                r.fail(
                    "delay_ms",
                    false,
                    Kind::InvalidValue,
                    format!("`delay_ms` is at most 600000 (ten minutes), not {delay}"),
                );
            }
            return;
        }
        "webhook" => {
            let sends = set_keys(&request_keys).into_iter().chain(set_keys(&flow_keys[2..])).collect::<Vec<_>>();
            if let Some(key) = sends.first() {
                r.fail(key, true, Kind::StepShape, format!("a `webhook` step sends nothing: no `{key}` here"));
            }
            if let Some(wait) = &step.webhook {
                if wait.none_within_ms.is_some() && (step.expect.is_some() || !step.capture.is_empty()) {
                    let key = if step.expect.is_some() { "expect" } else { "capture" };
                    r.fail(
                        key,
                        true,
                        Kind::StepShape,
                        "`none_within_ms` expects no webhook: nothing to check or capture".into(),
                    );
                }
                if wait.none_within_ms == Some(0) || wait.none_within_ms.is_some_and(|ms| ms > 600_000) {
                    r.fail(
                        "webhook.none_within_ms",
                        false,
                        Kind::InvalidValue,
                        "`none_within_ms` is between 1 and 600000".into(),
                    );
                }
                if wait.none_within_ms.is_some() && wait.timeout_ms.is_some() {
                    r.fail(
                        "webhook.timeout_ms",
                        true,
                        Kind::StepShape,
                        "give `timeout_ms` (wait for one) or `none_within_ms` (expect none), not both".into(),
                    );
                }
            }
        }
        "twin" => {
            if let Some(key) = set_keys(&request_keys).first() {
                r.fail(key, true, Kind::StepShape, format!("`{key}` belongs inside `twin:` for an admin call"));
            }
        }
        _ => {}
    }
    let bodies = set_keys(&request_keys[1..4]);
    if bodies.len() > 1 {
        r.fail(
            bodies[1],
            true,
            Kind::StepShape,
            format!("give one of `json`, `body` or `multipart`, not {}", bodies.join(" and ")),
        );
    }
    match (&step.retry, &step.until) {
        (Some(retry), Some(_)) if retry.times == 0 => {
            r.fail("retry.times", false, Kind::InvalidValue, "`retry.times` is at least 1".into());
        }
        (Some(_), None) => {
            r.fail("retry", true, Kind::StepShape, "`retry` needs `until` (the condition to wait for)".into());
        }
        (None, Some(_)) => {
            r.fail("until", true, Kind::StepShape, "`until` needs `retry` (how often to try)".into());
        }
        _ => {}
    }
    if let Some(parallel) = step.parallel {
        if !(1..=1000).contains(&parallel) {
            r.fail("parallel", false, Kind::InvalidValue, format!("`parallel` is between 1 and 1000, not {parallel}"));
        }
        if !step.capture.is_empty() || step.retry.is_some() {
            let key = if step.retry.is_some() { "retry" } else { "capture" };
            r.fail(key, true, Kind::StepShape, format!("a parallel step cannot `{key}`"));
        }
    }
    for (key, expect) in [("expect", &step.expect), ("until", &step.until)] {
        let Some(expect) = expect else { continue };
        if step.parallel.is_none() {
            for (inner, set) in [("statuses", !expect.statuses.is_empty()), ("each", !expect.each.is_empty())] {
                if set {
                    r.fail(
                        &format!("{key}.{inner}"),
                        true,
                        Kind::StepShape,
                        format!("`{inner}` checks the answers of a `parallel` step"),
                    );
                }
            }
        }
        for (inner, map) in
            [("statuses", expect.statuses.keys().collect::<Vec<_>>()), ("each", expect.each.keys().collect())]
        {
            for status in map {
                if status.parse::<u16>().map_or(true, |s| !(100..=599).contains(&s)) {
                    r.fail(
                        &format!("{key}.{inner}.{status}"),
                        true,
                        Kind::InvalidValue,
                        format!("`{status}` is not an HTTP status"),
                    );
                }
            }
        }
        schema_exists(expect, &format!("{key}.schema"), schemas, &mut r);
        for (status, each) in &expect.each {
            schema_exists(each, &format!("{key}.each.{status}.schema"), schemas, &mut r);
        }
    }
}

fn schema_exists(expect: &Expect, key: &str, schemas: &Path, r: &mut Reporter<'_>) {
    let Some(schema) = &expect.schema else { return };
    let file = schema.file();
    if schemas.join(file).is_file() {
        return;
    }
    let known = schema_files(schemas);
    let candidates: Vec<&str> = known.iter().map(String::as_str).collect();
    let folder = file.rsplit_once('/').map_or("", |(folder, _)| folder);
    let stem = |path: &str| path.rsplit('/').next().unwrap_or(path).trim_end_matches(".json").to_ascii_lowercase();
    let asked = stem(file);
    // The file meant is most often one whose name holds what was written (`token` → `token_response`).
    let holding = candidates
        .iter()
        .filter(|c| c.rsplit_once('/').map_or("", |(f, _)| f) == folder && stem(c).contains(&asked))
        .min_by_key(|c| c.len())
        .copied();
    let by_stem = candidates
        .iter()
        .map(|c| (strsim::levenshtein(&asked, &stem(c)), *c))
        .filter(|(distance, _)| *distance <= 2)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c);
    let hint = match holding.or(by_stem) {
        Some(near) => format!("did you mean `{near}`?"),
        None => {
            let siblings: Vec<&str> = candidates
                .iter()
                .filter(|c| c.rsplit_once('/').map_or("", |(f, _)| f) == folder)
                .map(|c| c.rsplit('/').next().unwrap_or(c))
                .collect();
            if siblings.is_empty() {
                format!("the schemas are in folders: {}", folders(&candidates).join(", "))
            } else {
                format!("files in {}/{folder}: {}", schemas.display(), siblings.join(", "))
            }
        }
    };
    let at = if matches!(schema, super::SchemaRef::At(_)) { format!("{key}.file") } else { key.to_owned() };
    r.fail(&at, false, Kind::MissingSchema, format!("no schema `{file}` under {}", schemas.display())).hint =
        Some(hint);
}

/// Reports problems of one step, each at a key or value under the step's path.
struct Reporter<'a> {
    path: &'a str,
    label: String,
    source: &'a Source,
    problems: &'a mut Vec<Diagnostic>,
}

impl Reporter<'_> {
    /// A problem at `key` under the step (the step itself when empty): its key or its value.
    fn fail(&mut self, key: &str, on_key: bool, kind: Kind, message: String) -> &mut Diagnostic {
        let at = if key.is_empty() { self.path.to_owned() } else { format!("{}.{key}", self.path) };
        self.problems.push(self.source.at(&at, on_key, kind, format!("{}: {message}", self.label)));
        let last = self.problems.len() - 1;
        &mut self.problems[last]
    }
}

/// Every `.json` file under `schemas`, relative and with `/`.
fn schema_files(schemas: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() && path.file_name().is_some_and(|n| n == "overlays") {
                continue;
            }
            if path.is_dir() {
                walk(root, &path, out);
            } else if path.extension().is_some_and(|e| e == "json") {
                if let Ok(relative) = path.strip_prefix(root) {
                    out.push(relative.to_string_lossy().replace('\\', "/"));
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(schemas, schemas, &mut out);
    out.sort();
    out
}

fn folders(files: &[&str]) -> Vec<String> {
    let mut folders: Vec<String> =
        files.iter().filter_map(|f| f.rsplit_once('/').map(|(folder, _)| format!("{folder}/"))).collect();
    folders.dedup();
    folders
}
