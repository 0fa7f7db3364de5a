//! `check` of every `{{name}}` before a request is sent: defined by then (the provider's demo
//! variables, `vars`, `rows`, `--vars`, an include's params, or a capture of an earlier step),
//! generators that exist, placeholders that close, and other tools' syntaxes (`${x}`, `{x}`),
//! which the runner would send as they are.

use std::collections::{BTreeMap, BTreeSet};

use super::assertion::nearest;
use super::diagnostic::{Diagnostic, Kind};
use super::expand::PlacedStep;
use super::load::{Context, Source};
use super::spans::Span;
use super::template::{foreign, pieces, Piece, Unclosed, GENERATORS, RUNNER_VARS};
use super::Scenario;

/// Step keys whose values are not interpolated.
const LITERAL_KEYS: &[&str] = &["name", "include.file", "method", "auth", "retry", "parallel", "delay_ms"];

/// Every problem with the variables of `scenario`, whose steps (includes expanded) are `steps`.
pub fn check(scenario: &Scenario, steps: &[PlacedStep], source: &Source, context: &Context) -> Vec<Diagnostic> {
    let mut defined: BTreeSet<String> = scenario.provider.demo_var_names().iter().map(|v| (*v).to_owned()).collect();
    defined.extend(RUNNER_VARS.iter().map(|v| (*v).to_owned()));
    defined.extend(context.extra_vars.iter().cloned());
    defined.extend(scenario.vars.keys().cloned());
    defined.extend(scenario.rows.iter().flat_map(|row| row.keys().cloned()));
    let mut problems = Vec::new();
    // `vars` may use one another and the defaults, in any order (the runner resolves them so).
    for (path, text, span) in source.tree.scalars("vars") {
        if !path.ends_with("#key") {
            scan(&text, span, source, &defined, &BTreeMap::new(), &mut problems);
        }
    }
    // Where each later capture is made, for "used before the step that captures it".
    let mut captured_at: BTreeMap<String, usize> = BTreeMap::new();
    for (index, placed) in steps.iter().enumerate().rev() {
        for name in placed.step.capture.keys() {
            captured_at.insert(name.clone(), index);
        }
    }
    for (index, placed) in steps.iter().enumerate() {
        for layer in &placed.step.bind {
            for value in layer.values() {
                // A parameter's value is interpolated in the caller's variables, before the bind.
                scan_value(
                    value,
                    &placed.source,
                    &placed.path,
                    &defined,
                    &later(&captured_at, index, steps),
                    &mut problems,
                );
            }
            defined.extend(layer.keys().cloned());
        }
        let later = later(&captured_at, index, steps);
        for (path, text, span) in placed.source.tree.scalars(&placed.path) {
            let inner = path.strip_prefix(&placed.path).unwrap_or(&path).trim_start_matches('.');
            let literal = LITERAL_KEYS
                .iter()
                .any(|k| inner == *k || inner.starts_with(&format!("{k}.")) || inner.starts_with(&format!("{k}[")));
            let step_key = inner.strip_suffix("#key").is_some_and(|k| !k.contains(['.', '[']));
            if literal || step_key || inner.starts_with("include.with") && inner.ends_with("#key") {
                continue;
            }
            scan(&text, span, &placed.source, &defined, &later, &mut problems);
        }
        defined.extend(placed.step.capture.keys().cloned());
    }
    problems
}

/// Captures made after step `index`, by name, with the step that makes them.
fn later(captured_at: &BTreeMap<String, usize>, index: usize, steps: &[PlacedStep]) -> BTreeMap<String, String> {
    captured_at
        .iter()
        .filter(|(_, at)| **at > index)
        .map(|(name, at)| {
            let step = &steps[*at];
            let label = step.step.name.clone().unwrap_or_else(|| "unnamed".into());
            (name.clone(), format!("step {} ({label})", at + 1))
        })
        .collect()
}

/// An include's parameter value: located at the include in the caller's file, when it can be.
fn scan_value(
    value: &serde_json::Value,
    source: &Source,
    path: &str,
    defined: &BTreeSet<String>,
    later: &BTreeMap<String, String>,
    problems: &mut Vec<Diagnostic>,
) {
    match value {
        serde_json::Value::String(text) => {
            let span = source.tree.locate(path).map(|l| l.value).unwrap_or_default();
            scan(text, span, source, defined, later, problems);
        }
        serde_json::Value::Array(items) => {
            items.iter().for_each(|v| scan_value(v, source, path, defined, later, problems))
        }
        serde_json::Value::Object(map) => {
            map.values().for_each(|v| scan_value(v, source, path, defined, later, problems))
        }
        _ => {}
    }
}

/// The problems of one scalar's text at `span`.
fn scan(
    text: &str,
    span: Span,
    source: &Source,
    defined: &BTreeSet<String>,
    later: &BTreeMap<String, String>,
    problems: &mut Vec<Diagnostic>,
) {
    let at = |kind, message: String, needle: &str| {
        Diagnostic::new(kind, source.file.clone(), &source.text, narrow(source, span, needle), message)
    };
    match pieces(text) {
        Err(Unclosed(offset)) => {
            // What comes before the unclosed `{{` is checked too.
            scan(&text[..offset], span, source, defined, later, problems);
            let start = &text[offset..];
            let shown: String = start.chars().take_while(|c| !c.is_whitespace() && *c != '"').collect();
            let fixed = format!("{}}}}}", shown.trim_end_matches('}'));
            problems.push(
                at(Kind::Unclosed, format!("`{shown}` opens `{{{{` without a closing `}}}}`"), &shown)
                    .hint(format!("write `{fixed}`")),
            );
            // The text before was scanned whole (foreign syntax included) by the call above.
            return;
        }
        Ok(found) => {
            for piece in found {
                let Piece::Var(name, offset) = piece else { continue };
                let written = text[offset..].find("}}").map_or(&text[offset..], |end| &text[offset..offset + end + 2]);
                if name.starts_with('$') {
                    if !GENERATORS.contains(&name) {
                        let hint = nearest(name, GENERATORS)
                            .map(|n| format!("did you mean `{{{{{n}}}}}`?"))
                            .unwrap_or_else(|| format!("the generators: {}", GENERATORS.join(", ")));
                        problems.push(
                            at(Kind::UnknownGenerator, format!("unknown generated value `{{{{{name}}}}}`"), written)
                                .hint(hint),
                        );
                    }
                } else if !defined.contains(name) {
                    if let Some(step) = later.get(name) {
                        let message = format!("`{{{{{name}}}}}` is used before {step} captures it");
                        problems.push(
                            at(Kind::VariableTooEarly, message, written)
                                .hint("move the capture earlier, or this use later"),
                        );
                    } else {
                        let names: Vec<&str> = defined.iter().map(String::as_str).collect();
                        let hint = match nearest(name, &names) {
                            Some(near) => format!("did you mean `{{{{{near}}}}}`?"),
                            None => "define it in `vars`, capture it in an earlier step, or pass it with --vars".into(),
                        };
                        problems.push(
                            at(Kind::UnknownVariable, format!("unknown variable `{{{{{name}}}}}`"), written).hint(hint),
                        );
                    }
                }
            }
        }
    }
    for found in foreign(text) {
        let dollar = found.text.starts_with('$');
        if dollar || defined.contains(&found.name) {
            let message = format!("`{}` is sent as it is: variables are written `{{{{{}}}}}`", found.text, found.name);
            let hint = format!("write `{{{{{}}}}}`", found.name);
            problems.push(at(Kind::ForeignPlaceholder, message, &found.text).hint(hint).warning());
        }
    }
}

/// The span of `needle` inside the scalar at `span`, when the scalar sits on one line of the
/// file; the whole scalar otherwise.
fn narrow(source: &Source, span: Span, needle: &str) -> Span {
    let Some(line) = source.text.lines().nth(span.line.saturating_sub(1)) else { return span };
    let start: usize = line.chars().take(span.column.saturating_sub(1)).map(char::len_utf8).sum();
    match line.get(start..).and_then(|rest| rest.find(needle)) {
        Some(byte) if !needle.is_empty() => {
            Span { line: span.line, column: line[..start + byte].chars().count() + 1, width: needle.chars().count() }
        }
        _ => span,
    }
}
