//! `include:` steps replaced by the steps of the file they name (its `params` bound from `with`),
//! and `rows:` turned into one scenario per row. Done when a file is read, so `check` sees the
//! steps that will run and a report names where each was written.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde_json::Value;

use super::assertion::nearest;
use super::diagnostic::{Diagnostic, Kind};
use super::load::{parse, Context, Source};
use super::{rules, Fragment, Origin, Scenario, Step};

/// How deep includes may nest (a file including itself is caught by this).
const MAX_DEPTH: usize = 8;

/// A step to run, with the file it is written in and its path there (`steps[2]`).
#[derive(Debug, Clone)]
pub struct PlacedStep {
    /// The step (an include's parameters in its `bind`).
    pub step: Step,
    /// The file it is written in.
    pub source: Arc<Source>,
    /// Its path in that file.
    pub path: String,
}

/// The steps with every `include:` expanded; problems of included files are reported in them.
pub fn includes(
    steps: &[Step],
    source: &Arc<Source>,
    context: &Context,
    depth: usize,
    problems: &mut Vec<Diagnostic>,
) -> Vec<PlacedStep> {
    let lines = source.tree.step_lines();
    let mut out = Vec::new();
    for (index, step) in steps.iter().enumerate() {
        let path = format!("steps[{index}]");
        let Some(include) = &step.include else {
            let mut step = step.clone();
            step.origin = Some(Origin { file: source.file.clone(), line: lines.get(index).copied().unwrap_or(0) });
            out.push(PlacedStep { step, source: source.clone(), path });
            continue;
        };
        let at_file = |kind, message: String| source.at(&format!("{path}.include.file"), false, kind, message);
        if depth >= MAX_DEPTH {
            problems.push(at_file(
                Kind::Include,
                format!("includes nest more than {MAX_DEPTH} deep (does a file include itself?)"),
            ));
            continue;
        }
        let base = source.file.parent().unwrap_or(Path::new("."));
        let file = base.join(&include.file);
        let Ok(text) = std::fs::read_to_string(&file) else {
            let hint = nearby_files(&file, &include.file);
            problems.push(
                at_file(
                    Kind::Include,
                    format!("{}: no file `{}` next to this one", source.describe(&path), include.file),
                )
                .maybe_hint(hint),
            );
            continue;
        };
        let (fragment_source, fragment) = match parse::<Fragment>(&file, &text, &context.schemas) {
            Ok(parsed) => parsed,
            Err(found) => {
                problems.extend(found);
                continue;
            }
        };
        let fragment_source = Arc::new(fragment_source);
        for (inner, inner_step) in fragment.steps.iter().enumerate() {
            rules::step_rules(inner_step, &format!("steps[{inner}]"), &fragment_source, &context.schemas, problems);
        }
        let bind = match parameters(&fragment, &include.with, source, &path, &include.file) {
            Ok(bind) => bind,
            Err(found) => {
                problems.extend(found);
                continue;
            }
        };
        let mut expanded = includes(&fragment.steps, &fragment_source, context, depth + 1, problems);
        let label = step.name.clone().unwrap_or_else(|| include.file.trim_end_matches(".yaml").to_owned());
        for placed in &mut expanded {
            let inner_name = placed.step.name.clone().unwrap_or_else(|| "step".into());
            placed.step.name = Some(format!("{label} › {inner_name}"));
        }
        if let Some(first) = expanded.first_mut() {
            first.step.bind.insert(0, bind);
        }
        out.extend(expanded);
    }
    out
}

/// The included file's parameters: `with` over the defaults; a missing required one (`~`) or an
/// unknown name in `with` is an error at the include.
fn parameters(
    fragment: &Fragment,
    with: &BTreeMap<String, Value>,
    source: &Source,
    path: &str,
    file: &str,
) -> Result<BTreeMap<String, Value>, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let names: Vec<&str> = fragment.params.keys().map(String::as_str).collect();
    for name in with.keys() {
        if !fragment.params.contains_key(name) {
            let hint = nearest(name, &names).map(|n| format!("did you mean `{n}`?")).unwrap_or_else(|| {
                format!("its params: {}", if names.is_empty() { "none".into() } else { names.join(", ") })
            });
            let message = format!("{}: `{file}` has no parameter `{name}`", source.describe(path));
            problems.push(source.at(&format!("{path}.include.with.{name}"), true, Kind::Include, message).hint(hint));
        }
    }
    let mut bind = BTreeMap::new();
    for (name, default) in &fragment.params {
        match with.get(name).or((!default.is_null()).then_some(default)) {
            Some(value) => {
                bind.insert(name.clone(), value.clone());
            }
            None => {
                let message =
                    format!("{}: `{file}` needs the parameter `{name}` (give it in `with`)", source.describe(path));
                problems.push(source.at(&format!("{path}.include"), true, Kind::Include, message));
            }
        }
    }
    if problems.is_empty() {
        Ok(bind)
    } else {
        Err(problems)
    }
}

/// A did-you-mean among the YAML files next to the one asked for.
fn nearby_files(file: &Path, asked: &str) -> Option<String> {
    let folder = file.parent()?;
    let names: Vec<String> = std::fs::read_dir(folder)
        .ok()?
        .flatten()
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .filter(|n| n.ends_with(".yaml") || n.ends_with(".yml"))
        .collect();
    let asked_name = Path::new(asked).file_name()?.to_str()?;
    let candidates: Vec<&str> = names.iter().map(String::as_str).collect();
    match nearest(asked_name, &candidates) {
        Some(near) => Some(format!("did you mean `{}`?", asked.replace(asked_name, near))),
        None if candidates.is_empty() => Some(format!("the folder {} has no YAML files", folder.display())),
        None => Some(format!("files there: {}", candidates.join(", "))),
    }
}

/// One scenario per row (each row's keys over `vars`, its name saying which row), or the scenario
/// itself when it has no rows.
pub fn rows(scenario: &Scenario, steps: Vec<Step>) -> Vec<Scenario> {
    let mut base = scenario.clone();
    base.steps = steps;
    base.rows = Vec::new();
    if scenario.rows.is_empty() {
        return vec![base];
    }
    scenario
        .rows
        .iter()
        .enumerate()
        .map(|(index, row)| {
            let mut one = base.clone();
            let label = match row.get("name") {
                Some(Value::String(name)) => name.clone(),
                _ => {
                    let cells: Vec<String> = row.iter().map(|(k, v)| format!("{k}={}", plain(v))).collect();
                    format!("row {}: {}", index + 1, cells.join(", "))
                }
            };
            one.name = format!("{} [{label}]", scenario.name);
            one.vars.extend(row.clone());
            one
        })
        .collect()
}

fn plain(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}
