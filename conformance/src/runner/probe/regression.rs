//! A probe failure kept as a scenario file: the minimal request, expecting what the provider owes it.

use std::path::{Path, PathBuf};

use super::Expectation;
use crate::scenario::{Provider, Step};
use crate::targets::ErrorRules;

/// Writes the minimal failing request as a scenario expecting what the provider owes it: for bad
/// input a 4xx in its error shape; for a valid request (`valid` gives what it is held to) a
/// documented success whose body matches the operation's response schema. When the probe signed
/// in first, so does the scenario.
pub(super) fn write_regression(
    out: &Path,
    provider: Provider,
    name: &str,
    step: &Step,
    rules: ErrorRules,
    valid: Option<&Expectation>,
    signed_in: bool,
) -> Result<PathBuf, String> {
    std::fs::create_dir_all(out).map_err(|e| e.to_string())?;
    let slug: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect();
    let file = out.join(format!("{}_{}.yaml", provider.name(), slug.trim_matches('_')));
    let mut regression = step.clone();
    let (title, description) = match valid {
        None => {
            regression.name = Some(format!("{name}: bad input gets a 4xx in the provider's error shape"));
            regression.expect = Some(crate::scenario::Expect {
                status: Some(crate::scenario::StatusSpec::Any(vec![400, 401, 403, 404, 405, 406, 409, 413, 415, 422])),
                ..Default::default()
            });
            (
                format!("probe found: {name} answered bad input wrongly"),
                format!("Written by `conformance probe`: the minimal request that broke the rule. A 4xx body must match one of {}.", rules.error_schemas.join(", ")),
            )
        }
        Some(expectation) => {
            let successes: Vec<u16> = expectation.statuses.iter().copied().filter(|s| (200..300).contains(s)).collect();
            regression.name = Some(format!("{name}: a valid request gets a documented success"));
            regression.expect = Some(crate::scenario::Expect {
                status: Some(match successes.as_slice() {
                    [one] => crate::scenario::StatusSpec::One(*one),
                    [] => crate::scenario::StatusSpec::Any(vec![200, 201]),
                    many => crate::scenario::StatusSpec::Any(many.to_vec()),
                }),
                schema: expectation.success_schema.clone().map(crate::scenario::SchemaRef::File),
                ..Default::default()
            });
            (
                format!("probe found: {name} answered a valid request wrongly"),
                "Written by `conformance probe`: the minimal valid request (drawn from the operation's request schema) whose answer broke the rule.".to_owned(),
            )
        }
    };
    let mut steps = Vec::new();
    if let (true, Some(text)) = (signed_in, rules.sign_in) {
        steps.push(serde_yaml_ng::from_str::<serde_json::Value>(text).map_err(|e| e.to_string())?);
    }
    steps.push(serde_json::to_value(&regression).map_err(|e| e.to_string())?);
    let scenario = serde_json::json!({
        "name": title,
        "provider": provider.name(),
        "tags": ["probe", "regression"],
        "description": description,
        "steps": steps,
    });
    let text = serde_yaml_ng::to_string(&scenario).map_err(|e| e.to_string())?;
    std::fs::write(&file, text).map_err(|e| e.to_string())?;
    Ok(file)
}
