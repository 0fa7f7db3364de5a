//! `webhook:` steps: waiting for a delivery to the runner's receiver, then opening it as the
//! provider sends it (PTI's JWE around a JWS, Particeep's signed JSON) and matching it.

use super::*;
use crate::report::{Outcome, StepReport};
use crate::scenario::{Assertion, Step};
use check::check_response;
use http::Received;
use receiver::WaitError;
use serde_json::Value;
use std::time::{Duration, Instant};
use vars::Vars;

impl Runner {
    /// With a receiver: sets `webhook_url`, and on the twin registers it for the client and
    /// learns PTI's keys unless `--vars` gave them: `pti_public_jwk` (the RS512 key of JWE
    /// webhooks) and `pti_webhook_public_pem` (the Ed25519 key, SPKI PEM).
    pub(super) async fn prepare_webhooks(
        &self,
        provider: Provider,
        target: &Target,
        vars: &mut Vars,
    ) -> Result<(), String> {
        let Some(receiver) = &target.receiver else {
            return Ok(());
        };
        vars.set("webhook_url", Value::from(receiver.url()));
        let Some(admin) = &target.admin else {
            return Ok(());
        };
        if provider.registered().family == <Pti as mock_server::provider::Provider>::NAME {
            let client_id = vars.text("client_id").ok_or("PTI scenarios need the variable `client_id`")?;
            let registration = serde_json::json!({ "webhook_url": receiver.url() });
            let response = self.client.put(format!("{admin}/pti/clients/{client_id}")).json(&registration).send().await;
            response.map_err(|e| format!("cannot register the webhook receiver with the twin: {e}"))?;
            if vars.get("pti_public_jwk").is_none() {
                let jwks: Value = self
                    .client
                    .get(format!("{admin}/pti/jwks"))
                    .send()
                    .await
                    .map_err(|e| format!("cannot read the twin's PTI key: {e}"))?
                    .json()
                    .await
                    .map_err(|e| format!("cannot read the twin's PTI key: {e}"))?;
                vars.set("pti_public_jwk", jwks["keys"][0].clone());
            }
            if vars.get("pti_webhook_public_pem").is_none() {
                let pem = self
                    .client
                    .get(format!("{admin}/pti/webhook-keys"))
                    .send()
                    .await
                    .map_err(|e| format!("cannot read the twin's Ed25519 webhook key: {e}"))?
                    .text()
                    .await
                    .map_err(|e| format!("cannot read the twin's Ed25519 webhook key: {e}"))?;
                vars.set("pti_webhook_public_pem", Value::from(pem));
            }
        }
        Ok(())
    }

    /// A `webhook:` step: the first unseen event matching `match`, opened, then checked and
    /// captured like a response.
    pub(super) async fn wait_webhook(
        &self,
        step: &Step,
        wait: &crate::scenario::WebhookWait,
        vars: &mut Vars,
        target: &Target,
        mut report: StepReport,
        started: Instant,
    ) -> StepReport {
        let outcome = async {
            let receiver = target.receiver.as_ref().ok_or("no webhook receiver is running")?;
            let matching = vars.interpolate(&serde_json::to_value(&wait.matching).map_err(|e| e.to_string())?)?;
            let matching: BTreeMap<String, Assertion> =
                serde_json::from_value(matching).map_err(|e| format!("webhook.match: {e}"))?;
            let expect = step.expect.as_ref().map(|e| interpolate_expect(e, vars)).transpose()?.unwrap_or_default();
            let opener = webhook_opener(vars)?;
            let open = |headers: &[(String, String)], body: &str| opener.open(headers, body);
            let wanted = |event: &Value| matching.iter().all(|(key, assertion)| holds(key, assertion, event));
            if let Some(window) = wait.none_within_ms {
                return match receiver.wait_for(Duration::from_millis(window), open, wanted).await {
                    Ok((_, event)) => {
                        Err(format!("a matching webhook arrived within {window} ms, none was expected: {event}"))
                    }
                    Err(WaitError::NoneArrived(_)) => Ok(None),
                    Err(WaitError::Unopened(problem)) => Err(problem),
                };
            }
            let timeout = Duration::from_millis(wait.timeout_ms.unwrap_or(5000));
            let (raw, event) = receiver.wait_for(timeout, open, wanted).await.map_err(|e| e.to_string())?;
            Ok::<_, String>(Some((raw, event, expect)))
        }
        .await;
        let outcome = match outcome {
            Ok(None) => {
                report.attempts = 0;
                report.duration_ms = started.elapsed().as_secs_f64() * 1000.0;
                return report;
            }
            Ok(Some(found)) => Ok(found),
            Err(problem) => Err(problem),
        };
        match outcome {
            Ok((raw, event, expect)) => {
                let received = Received {
                    status: 200,
                    headers: Vec::new(),
                    body: event.to_string(),
                    duration_ms: started.elapsed().as_secs_f64() * 1000.0,
                };
                report.attempts = 1;
                report.exchange = Some(crate::report::Exchange {
                    request: crate::report::RequestRecord {
                        method: "WEBHOOK".into(),
                        url: target.receiver.as_ref().map(receiver::Receiver::url).unwrap_or_default(),
                        headers: Vec::new(),
                        body: Some(raw),
                    },
                    response: Some(crate::report::ResponseRecord {
                        status: 200,
                        headers: Vec::new(),
                        body: event.to_string(),
                        duration_ms: received.duration_ms,
                    }),
                    curl: String::new(),
                });
                report.failures = check_response(&expect, &received, &self.schemas);
                if report.failures.is_empty() {
                    if let Err(error) = capture(step, &received, vars) {
                        report.error = Some(error);
                        report.outcome = Outcome::Error;
                    }
                } else {
                    report.outcome = Outcome::Failed;
                }
            }
            Err(error) => {
                report.outcome = Outcome::Failed;
                report.failures.push(crate::report::Failure::new(crate::report::Check::Webhook, error));
            }
        }
        report.duration_ms = started.elapsed().as_secs_f64() * 1000.0;
        report
    }
}

/// Whether one `match` entry holds of an event: a JSONPath key is checked with `expect`'s
/// operators; a plain key is the event's top-level field.
fn holds(key: &str, assertion: &Assertion, event: &Value) -> bool {
    let nodes: Vec<&Value> = if key.starts_with('$') {
        match serde_json_path::JsonPath::parse(key) {
            Ok(path) => path.query(event).all(),
            Err(_) => return false,
        }
    } else {
        event.get(key).into_iter().collect()
    };
    super::check::evaluate(assertion, &nodes).is_ok()
}

/// How a provider's webhook deliveries are checked and opened.
pub(super) enum WebhookOpener {
    /// PTI: a JWS signed by PTI inside a JWE to the client's key, or (when the delivery carries
    /// the signature header) the plain JSON body Ed25519-signed in a `v1=<base64>` header.
    Pti { private_jwk: Value, pti_public_jwk: Value, ed25519: Option<(String, String)> },
    /// Particeep: a JSON body with a `PTP:` `Authorization` over its `DateTime`.
    Particeep { key: String, secret: String },
}

/// The opener for the scenario's variables: Particeep's when `api_key` is set, else PTI's.
pub(super) fn webhook_opener(vars: &Vars) -> Result<WebhookOpener, String> {
    if let (Some(key), Some(secret)) = (vars.text("api_key"), vars.text("api_secret")) {
        return Ok(WebhookOpener::Particeep { key, secret });
    }
    let private_jwk =
        vars.get("private_jwk").cloned().ok_or("webhook steps need the variable `private_jwk` (the client's key)")?;
    let pti_public_jwk =
        vars.get("pti_public_jwk").cloned().ok_or("webhook steps need the variable `pti_public_jwk`")?;
    // The Ed25519 scheme: the header's name (PTI publishes none; the twin's default) and the key.
    let header = vars.text("pti_signature_header").unwrap_or_else(|| "X-Signature".to_owned());
    let ed25519 = vars.text("pti_webhook_public_pem").map(|pem| (header, pem));
    Ok(WebhookOpener::Pti { private_jwk, pti_public_jwk, ed25519 })
}

impl WebhookOpener {
    pub(super) fn open(&self, headers: &[(String, String)], body: &str) -> Result<Value, String> {
        match self {
            Self::Pti { private_jwk, pti_public_jwk, ed25519 } => {
                let signed = ed25519.as_ref().and_then(|(name, pem)| {
                    headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, value)| (value, pem))
                });
                if let Some((signature, pem)) = signed {
                    mock_server::providers::pti::crypto::verify_webhook_signature(body, signature, pem)?;
                    return serde_json::from_str(body).map_err(|e| format!("the delivery is not JSON: {e}"));
                }
                let private = mock_server::providers::pti::crypto::jwk_from_json(private_jwk)?;
                let public = mock_server::providers::pti::crypto::jwk_from_json(pti_public_jwk)?;
                mock_server::providers::pti::crypto::open_webhook(body, &private, &public)
            }
            Self::Particeep { key, secret } => {
                let header =
                    |name: &str| headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str());
                let date_time = header("datetime").ok_or("the delivery has no DateTime header")?;
                use mock_server::providers::particeep::auth::{authorization_with, Algorithm};
                // Signed with the consumer's algorithm: either is checked, told apart by length.
                let given = header("authorization").unwrap_or_default();
                let algorithm = given.rsplit(':').next().and_then(Algorithm::of_signature).unwrap_or_default();
                let expected = authorization_with(algorithm, key, secret, date_time);
                if given != expected {
                    return Err(format!(
                        "the delivery's Authorization {:?} is not the PTP signature of its DateTime",
                        header("authorization")
                    ));
                }
                let event = header("x-particeep-event").ok_or("the delivery has no X-Particeep-Event header")?;
                let payload: Value =
                    serde_json::from_str(body).map_err(|e| format!("the delivery is not JSON: {e}"))?;
                Ok(serde_json::json!({ "event": event, "payload": payload }))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWIN_KEY: &str = include_str!("../../../mock-server/src/providers/pti/keys/pti-webhook-ed25519.pem");

    fn opener(pem: &str) -> WebhookOpener {
        WebhookOpener::Pti {
            private_jwk: Value::Null,
            pti_public_jwk: Value::Null,
            ed25519: Some(("X-Signature".into(), pem.into())),
        }
    }

    #[test]
    fn an_ed25519_delivery_opens_with_the_twins_key_and_not_with_another() {
        let key = mock_server::providers::pti::crypto::WebhookSigningKey::from_pem(TWIN_KEY)
            .unwrap_or_else(|e| panic!("{e}"));
        let body = r#"{"resourceType":"USER","userId":"u-1"}"#;
        let headers = vec![("x-signature".to_owned(), key.signature_header(body).unwrap_or_default())];
        let opened = opener(&key.public_pem).open(&headers, body);
        assert_eq!(opened.ok().and_then(|event| event["userId"].as_str().map(str::to_owned)).as_deref(), Some("u-1"));
        let tampered = opener(&key.public_pem).open(&headers, r#"{"resourceType":"USER","userId":"u-2"}"#);
        assert!(tampered.is_err(), "{tampered:?}");
        let other = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAZl/a3UFyIBpRy8eMtegVjwtxZClcnCuT+pEbNekxOg4=\n-----END PUBLIC KEY-----\n";
        assert!(opener(other).open(&headers, body).is_err(), "PTI's staging key does not open the twin's");
        // Without the header, the delivery is read as the JWE transport, which a plain body is not.
        assert!(opener(&key.public_pem).open(&[], body).is_err());
    }
}
