//! How the probe judges one answer: never a 5xx, a status the provider documents, a success body
//! that validates for a valid request, a 4xx in the provider's error shape, and a refusal that
//! leaves the provider's state as it was.

use serde_json::Value;

use super::super::http::Received;
use super::super::vars::Vars;
use super::super::{request, send, Target};
use super::Expectation;
use crate::scenario::Step;
use crate::schema::SchemaRegistry;
use crate::targets::ErrorRules;

/// Sends one case and judges the answer.
#[allow(clippy::too_many_arguments)]
pub(super) async fn judge(
    client: &reqwest::Client,
    schemas: &SchemaRegistry,
    target: &Target,
    step: &Step,
    vars: &mut Vars,
    rules: ErrorRules,
    page: bool,
    expectation: &Expectation,
) -> Result<(), String> {
    let outgoing = request::build_request(step, vars, target)?;
    let before = state(client, target).await;
    let (_, result) = send(client, &outgoing).await;
    let received: Received = result?;
    let status = received.status;
    if status >= 500 {
        return Err(format!(
            "{} {} answered {status} to bad input: {}",
            outgoing.method,
            outgoing.url,
            cut(&received.body)
        ));
    }
    let documented = expectation.statuses.is_empty()
        || expectation.statuses.contains(&status)
        || (expectation.any_status && status >= 400);
    if !documented {
        return Err(format!(
            "{} answered {status}, a status the provider does not document for {} (documented: {})",
            outgoing.method,
            expectation.operation,
            expectation.statuses.iter().map(u16::to_string).collect::<Vec<_>>().join(", ")
        ));
    }
    if let (Some(schema), true) = (&expectation.success_schema, (200..300).contains(&status)) {
        if status != 204 {
            let Some(document) = received.json() else {
                return Err(format!("{status} with a body that is not JSON: {}", cut(&received.body)));
            };
            let violations = schemas.validate(schema, &document)?;
            if let Some(first) = violations.first() {
                return Err(format!(
                    "a valid request's {status} body breaks {schema} at `{}`: {} ({} violation(s))",
                    first.instance_path,
                    first.message,
                    violations.len()
                ));
            }
        }
    }
    if (400..500).contains(&status) {
        let bodiless = received.body.is_empty() && (rules.bodiless.contains(&status) || status == 405);
        let html_for_a_person = page && received.header_values("content-type").iter().any(|t| t.contains("text/html"));
        if !bodiless && !html_for_a_person {
            let Some(document) = received.json() else {
                return Err(format!("{status} with a body that is not JSON: {}", cut(&received.body)));
            };
            let fits = rules
                .error_schemas
                .iter()
                .any(|schema| schemas.validate(schema, &document).is_ok_and(|v| v.is_empty()));
            if !fits {
                return Err(format!(
                    "{status} with a body in none of the provider's error shapes ({}): {}",
                    rules.error_schemas.join(", "),
                    cut(&received.body)
                ));
            }
        }
        if !rules.stateful_refusals.contains(&status) {
            let after = state(client, target).await;
            if let (Some(before), Some(after)) = (before, after) {
                if without(before, rules.counters) != without(after, rules.counters) {
                    return Err(format!("the refused request ({status}) changed the provider's state"));
                }
            }
        }
    }
    Ok(())
}

/// The provider's state from the twin's admin API, when there is one.
async fn state(client: &reqwest::Client, target: &Target) -> Option<Value> {
    let admin = target.admin.as_ref()?;
    let family = target.family;
    let response = client.get(format!("{admin}/state/{family}")).send().await.ok()?;
    response.json().await.ok()
}

/// A state without the keys that move on every request.
fn without(mut state: Value, counters: &[&str]) -> Value {
    fn strip(value: &mut Value, counters: &[&str]) {
        match value {
            Value::Object(map) => {
                map.retain(|key, _| !counters.contains(&key.as_str()));
                map.values_mut().for_each(|v| strip(v, counters));
            }
            Value::Array(items) => items.iter_mut().for_each(|v| strip(v, counters)),
            _ => {}
        }
    }
    strip(&mut state, counters);
    state
}

pub(super) fn cut(text: &str) -> String {
    text.chars().take(300).collect()
}
