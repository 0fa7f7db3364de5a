//! PTI settings: clients (public JWK, webhook URL), user-token lifetime, how soon results follow,
//! scenarios (cumulative USD → KYC tier) and what each tier needs of a user. The demo values are in
//! `seed.rs`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::behaviour::latency::LatencyConfig;
use crate::behaviour::throttle::ThrottleConfig;

/// The `providers.pti` section.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PtiConfig {
    /// Serve this provider at all.
    pub enabled: bool,
    /// A port of its own, serving `/v0/...` there (`/pti/v0/...` on the main port).
    pub port: Option<u16>,
    /// Rate limits, keyed per `x-pti-client-id`.
    pub throttle: ThrottleConfig,
    /// Added latency.
    pub latency: LatencyConfig,
    /// Registered clients, as PTI's onboarding registers them.
    pub clients: Vec<ClientSeed>,
    /// Lifetime of a user token from `/auth/userToken`.
    pub user_token_lifetime_secs: u64,
    /// Delay between the PENDING webhook and the final result.
    pub result_delay_ms: u64,
    /// Scenarios for `x-pti-scenario-id`: lower bound of cumulative USD (as text) → KYC tier.
    pub scenarios: BTreeMap<String, BTreeMap<String, u32>>,
    /// What a user must have for each tier: JSON pointers into the user (`/name/firstName`).
    pub tier_requirements: BTreeMap<u32, Vec<String>>,
    /// Results when neither an admin decision nor a magic value decides.
    pub outcomes: OutcomeConfig,
    /// The header carrying the Ed25519 webhook signature (`v1=<base64>`). PTI publishes no name;
    /// its Java SDK's parameter is `xSignatureHttpHeader`.
    pub webhook_signature_header: String,
}

crate::http_section!(PtiConfig);

/// Default results.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OutcomeConfig {
    /// KYC result: ACCEPTED (at the tier the user's data meets), REFUSED, UNDER_REVIEW...
    pub kyc: String,
    /// Transaction-monitoring result: ACCEPT, DENY, MANUAL_REVIEW.
    pub transaction: String,
    /// Final payment status of a funding: SETTLED (after AUTHORIZED), REFUSED...
    pub payment: String,
}

impl Default for OutcomeConfig {
    fn default() -> Self {
        Self { kyc: "ACCEPTED".into(), transaction: "ACCEPT".into(), payment: "SETTLED".into() }
    }
}

/// A client of the twin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientSeed {
    /// The `x-pti-client-id`.
    pub id: String,
    /// The client's public RSA JWK (verifies its signatures, encrypts its webhooks); the demo
    /// client uses the twin's built-in demo key when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_jwk: Option<serde_json::Value>,
    /// Where its webhooks go.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_url: Option<String>,
    /// `jwe` or `ed25519`; unset, each webhook goes in its API's transport (v1 `ed25519`, v0 `jwe`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_transport: Option<super::state::WebhookTransport>,
}

impl PtiConfig {
    /// Checks ids, URLs and brackets.
    pub fn validate(&self) -> Result<(), (String, String)> {
        for (index, client) in self.clients.iter().enumerate() {
            if client.id.is_empty() {
                return Err((format!("clients[{index}].id"), "must not be empty".into()));
            }
            if client.public_jwk.is_none() && client.id != DEMO_CLIENT_ID {
                return Err((
                    format!("clients[{index}].public_jwk"),
                    "required for every client but the demo one".into(),
                ));
            }
            if let Some(jwk) = &client.public_jwk {
                super::crypto::jwk_from_json(jwk)
                    .and_then(|k| super::crypto::thumbprint(&k))
                    .map_err(|m| (format!("clients[{index}].public_jwk"), m))?;
            }
            if let Some(url) = &client.webhook_url {
                if !(url.starts_with("http://") || url.starts_with("https://")) {
                    return Err((format!("clients[{index}].webhook_url"), format!("`{url}` is not an http(s) URL")));
                }
            }
        }
        for (scenario, brackets) in &self.scenarios {
            for bound in brackets.keys() {
                if bound.parse::<f64>().is_err() {
                    return Err((format!("scenarios.{scenario}"), format!("bracket `{bound}` is not a USD amount")));
                }
            }
        }
        use super::model::{KYC_EVENT_STATUSES, MONITORING_EVENT_STATUSES, PAYMENT_EVENT_STATUSES};
        use super::seed::DEMO_CLIENT_ID;
        let outcomes = [
            ("kyc", &self.outcomes.kyc, KYC_EVENT_STATUSES),
            ("transaction", &self.outcomes.transaction, MONITORING_EVENT_STATUSES),
            ("payment", &self.outcomes.payment, PAYMENT_EVENT_STATUSES),
        ];
        for (key, status, allowed) in outcomes {
            if status == "PENDING" || !allowed.contains(&status.as_str()) {
                return Err((format!("outcomes.{key}"), format!("`{status}` is not one of {}", allowed.join(", "))));
            }
        }
        if axum::http::HeaderName::from_bytes(self.webhook_signature_header.as_bytes()).is_err() {
            return Err(("webhook_signature_header".into(), "is not an HTTP header name".into()));
        }
        // A lifetime becomes a date (now + lifetime): past ten years it would overflow it.
        if self.user_token_lifetime_secs == 0 || self.user_token_lifetime_secs > 10 * 365 * 86_400 {
            return Err(("user_token_lifetime_secs".into(), "must be between 1 and 315360000 (ten years)".into()));
        }
        Ok(())
    }
}
