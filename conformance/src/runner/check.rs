//! Evaluates `expect` (and `until`) against a response: status, headers, schema, JSONPath
//! assertions, body and duration. Every failed check is reported, not just the first.

use serde_json::Value;

use super::http::Received;
use crate::report::{Check, Failure};
use crate::scenario::{Assertion, Expect, SchemaRef};
use crate::schema::SchemaRegistry;

/// Checks one response; returns every failure.
pub fn check_response(expect: &Expect, received: &Received, schemas: &SchemaRegistry) -> Vec<Failure> {
    let mut failures = Vec::new();
    let mut fail = |check, message: String| failures.push(Failure::new(check, message));
    match &expect.status {
        Some(status) if !status.accepts(received.status) => {
            fail(Check::Status, format!("status: expected {status}, got {}", received.status));
        }
        Some(_) => {}
        // No `status` is not "any status": a step expects success unless it says `status: any`.
        None if !(200..300).contains(&received.status) => fail(
            Check::Status,
            format!("status: expected a 2xx (the default; `status: any` accepts any), got {}", received.status),
        ),
        None => {}
    }
    for (name, assertion) in &expect.headers {
        let values: Vec<Value> = received.header_values(name).into_iter().map(Value::from).collect();
        let nodes: Vec<&Value> = values.iter().collect();
        if let Err(problem) = evaluate(assertion, &nodes) {
            fail(Check::Header, format!("header `{name}`: {problem}"));
        }
    }
    if let Some(body) = &expect.body {
        let text = Value::from(received.body.clone());
        if let Err(problem) = evaluate(body, &[&text]) {
            fail(Check::Body, format!("body: {problem}"));
        }
    }
    let json = received.json();
    if !expect.json.is_empty() || expect.schema.is_some() {
        match &json {
            None => fail(Check::Json, format!("the body is not JSON: {}", snippet(&received.body))),
            Some(document) => {
                for (path, assertion) in &expect.json {
                    let nodes = match path.compile() {
                        Ok(compiled) => compiled.query(document).all(),
                        Err(problem) => {
                            fail(Check::Json, problem);
                            continue;
                        }
                    };
                    if let Err(problem) = evaluate(assertion, &nodes) {
                        fail(Check::Json, format!("{}: {problem}", path.0));
                    }
                }
            }
        }
    }
    if let Some(max) = expect.max_ms {
        if received.duration_ms > max as f64 {
            fail(Check::Duration, format!("took {:.0} ms, at most {max} ms expected", received.duration_ms));
        }
    }
    if let Some(min) = expect.min_ms {
        if received.duration_ms < min as f64 {
            fail(
                Check::Duration,
                format!("took {:.0} ms, at least {min} ms expected (was the request held?)", received.duration_ms),
            );
        }
    }
    if let (Some(schema), Some(document)) = (&expect.schema, &json) {
        let target = match schema {
            SchemaRef::File(_) => Ok(document.clone()),
            SchemaRef::At(at) => match at.at.compile().map(|path| path.query(document).all()) {
                Ok(found) if found.len() == 1 => Ok(found[0].clone()),
                Ok(found) => Err(format!("schema {schema}: `{}` finds {} values, not one", at.at.0, found.len())),
                Err(problem) => Err(problem),
            },
        };
        match target.and_then(|target| schemas.validate(schema.file(), &target)) {
            Ok(violations) if violations.is_empty() => {}
            Ok(violations) => failures.push(Failure::schema(
                format!("the body does not match {schema}: {} violation(s)", violations.len()),
                violations,
            )),
            Err(problem) => failures.push(Failure::new(Check::Schema, problem)),
        }
    }
    failures
}

/// Checks the answers of a parallel step: the multiset of statuses, `each`, and the rest of
/// `expect` on every answer.
pub fn check_parallel(
    expect: &Expect,
    received: &[Received],
    schemas: &SchemaRegistry,
) -> (Vec<Failure>, Option<usize>) {
    let mut failures = Vec::new();
    let mut first_bad = None;
    let statuses: Vec<u16> = received.iter().map(|r| r.status).collect();
    for (status, assertion) in &expect.statuses {
        let count = statuses.iter().filter(|s| s.to_string() == *status).count();
        if let Err(problem) = evaluate(assertion, &[&Value::from(count)]) {
            failures.push(Failure::new(
                Check::Statuses,
                format!("count of {status} answers: {problem} (statuses: {})", tally(&statuses)),
            ));
        }
    }
    // With `statuses` counted, each answer's own status is any (the counts judge them); the
    // per-status `each` checks say nothing of the status they are keyed by.
    let any = || Some(crate::scenario::StatusSpec::Whatever(crate::scenario::AnyStatus::Any));
    let status = if expect.statuses.is_empty() { expect.status.clone() } else { expect.status.clone().or_else(any) };
    let shared = Expect { statuses: Default::default(), each: Default::default(), status, ..expect.clone() };
    for (index, answer) in received.iter().enumerate() {
        let mut found = check_response(&shared, answer, schemas);
        if let Some(each) = expect.each.get(&answer.status.to_string()) {
            let each = Expect { status: each.status.clone().or_else(any), ..each.clone() };
            found.extend(check_response(&each, answer, schemas));
        }
        if !found.is_empty() {
            first_bad.get_or_insert(index);
            for failure in found {
                if !failures.contains(&failure) {
                    failures.push(failure);
                }
            }
        }
    }
    (failures, first_bad)
}

fn tally(statuses: &[u16]) -> String {
    let mut counts = std::collections::BTreeMap::new();
    for status in statuses {
        *counts.entry(*status).or_insert(0) += 1;
    }
    counts.iter().map(|(s, n)| format!("{n}×{s}")).collect::<Vec<_>>().join(", ")
}

fn snippet(text: &str) -> String {
    let cut: String = text.chars().take(200).collect();
    if cut.len() < text.len() {
        format!("{cut}…")
    } else {
        cut
    }
}

/// Applies an assertion to the values a path found. `exists`/`absent` look at how many there
/// are; every other check needs at least one and holds for each.
pub fn evaluate(assertion: &Assertion, nodes: &[&Value]) -> Result<(), String> {
    let operators = match assertion {
        Assertion::Equals(expected) => {
            return each(nodes, |v| {
                equal(v, expected).then_some(()).ok_or_else(|| format!("expected {expected}, got {v}"))
            })
        }
        Assertion::Ops(operators) => operators,
    };
    if let Some(exists) = operators.exists {
        if exists == nodes.is_empty() {
            return Err(if exists {
                "expected a value, found none".into()
            } else {
                format!("expected nothing, found {}", show(nodes))
            });
        }
    }
    if operators.absent == Some(true) && !nodes.is_empty() {
        return Err(format!("expected nothing, found {}", show(nodes)));
    }
    if let Some(count) = &operators.count {
        let wanted = count.value().map_err(|e| format!("`count`: {e}"))?;
        if nodes.len() as f64 != wanted {
            return Err(format!("expected {wanted} value(s) found, got {}", nodes.len()));
        }
    }
    let value_checks = operators.equals.is_some()
        || operators.not_equals.is_some()
        || operators.matches.is_some()
        || operators.one_of.is_some()
        || operators.gt.is_some()
        || operators.gte.is_some()
        || operators.lt.is_some()
        || operators.lte.is_some()
        || operators.length.is_some()
        || operators.contains.is_some();
    if !value_checks {
        return Ok(());
    }
    each(nodes, |value| {
        if let Some(expected) = &operators.equals {
            if !equal(value, expected) {
                return Err(format!("expected {expected}, got {value}"));
            }
        }
        if let Some(unwanted) = &operators.not_equals {
            if equal(value, unwanted) {
                return Err(format!("expected anything but {unwanted}"));
            }
        }
        if let Some(pattern) = &operators.matches {
            let text = super::vars::as_text(value);
            let regex = regex_lite::Regex::new(pattern).map_err(|e| e.to_string())?;
            if !regex.is_match(&text) {
                return Err(format!("`{text}` does not match /{pattern}/"));
            }
        }
        if let Some(options) = &operators.one_of {
            if !options.iter().any(|o| equal(value, o)) {
                return Err(format!("expected one of {}, got {value}", Value::from(options.clone())));
            }
        }
        let bounds = [("gt", &operators.gt), ("gte", &operators.gte), ("lt", &operators.lt), ("lte", &operators.lte)];
        for (name, bound) in bounds {
            let Some(bound) = bound else { continue };
            let bound = bound.value().map_err(|e| format!("`{name}`: {e}"))?;
            let number = value.as_f64().ok_or_else(|| format!("expected a number for `{name}`, got {value}"))?;
            let holds = match name {
                "gt" => number > bound,
                "gte" => number >= bound,
                "lt" => number < bound,
                _ => number <= bound,
            };
            if !holds {
                return Err(format!("expected {name} {bound}, got {number}"));
            }
        }
        if let Some(length) = &operators.length {
            let wanted = length.value().map_err(|e| format!("`length`: {e}"))?;
            let actual = match value {
                Value::Array(items) => items.len(),
                Value::Object(map) => map.len(),
                Value::String(text) => text.chars().count(),
                other => return Err(format!("expected something with a length, got {other}")),
            };
            if actual as f64 != wanted {
                return Err(format!("expected length {wanted}, got {actual}"));
            }
        }
        if let Some(needle) = &operators.contains {
            let holds = match (value, needle) {
                (Value::String(text), Value::String(part)) => text.contains(part.as_str()),
                (Value::Array(items), wanted) => items.iter().any(|item| equal(item, wanted)),
                _ => false,
            };
            if !holds {
                return Err(format!("expected {value} to contain {needle}"));
            }
        }
        Ok(())
    })
}

fn each(nodes: &[&Value], check: impl Fn(&Value) -> Result<(), String>) -> Result<(), String> {
    if nodes.is_empty() {
        return Err("no value found".into());
    }
    for node in nodes {
        check(node)?;
    }
    Ok(())
}

fn show(nodes: &[&Value]) -> String {
    nodes.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(", ")
}

/// Equality where numbers compare by value (`1` equals `1.0`).
fn equal(actual: &Value, expected: &Value) -> bool {
    match (actual, expected) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (Value::Array(a), Value::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| equal(x, y)),
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len() && a.iter().all(|(k, v)| b.get(k).is_some_and(|w| equal(v, w)))
        }
        _ => actual == expected,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn assertion(value: Value) -> Assertion {
        Assertion::from_value(value).unwrap_or(Assertion::Equals(Value::Null))
    }

    #[test]
    fn count_is_how_many_values_the_path_found() {
        let (a, b) = (json!({"k": 1}), json!({"k": 2}));
        assert_eq!(evaluate(&assertion(json!({"count": 2})), &[&a, &b]), Ok(()));
        assert_eq!(
            evaluate(&assertion(json!({"count": 1})), &[&a, &b]),
            Err("expected 1 value(s) found, got 2".into())
        );
        assert_eq!(evaluate(&assertion(json!({"count": 0})), &[]), Ok(()));
    }

    #[test]
    fn operators_hold_or_say_what_came_instead() {
        let five = json!(5);
        assert_eq!(evaluate(&assertion(json!(5.0)), &[&five]), Ok(()));
        assert_eq!(evaluate(&assertion(json!({"gte": 5, "lt": 6})), &[&five]), Ok(()));
        assert_eq!(evaluate(&assertion(json!({"gt": 5})), &[&five]), Err("expected gt 5, got 5".into()));
        assert_eq!(evaluate(&assertion(json!({"exists": false})), &[]), Ok(()));
        assert!(evaluate(&assertion(json!({"absent": true})), &[&five]).is_err());
        assert!(evaluate(&assertion(json!(5)), &[]).is_err(), "a value is required");
        let code = json!("otp_required");
        assert_eq!(evaluate(&assertion(json!({"matches": "^otp_"})), &[&code]), Ok(()));
        assert_eq!(evaluate(&assertion(json!({"one_of": ["a", "otp_required"]})), &[&code]), Ok(()));
        let list = json!([1, 2, 3]);
        assert_eq!(evaluate(&assertion(json!({"length": 3, "contains": 2})), &[&list]), Ok(()));
        assert!(evaluate(&assertion(json!({"contains": 9})), &[&list]).is_err());
    }
}
