//! PTI settings and demo data: clients (public JWK, webhook URL), user-token lifetime, how soon
//! results follow, scenarios (cumulative USD → KYC tier) and what each tier needs of a user.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::config::{LatencyConfig, RateLimit, ThrottleConfig};

/// The demo client's id (PTI's own documentation uses it).
pub const DEMO_CLIENT_ID: &str = "00000000-0000-0000-0000-000000000000";

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
}

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
#[derive(Debug, Clone, Serialize, Deserialize)]
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
}

impl Default for PtiConfig {
    fn default() -> Self {
        let brackets =
            |pairs: &[(&str, u32)]| pairs.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect::<BTreeMap<_, _>>();
        let fields = |list: &[&str]| list.iter().map(|f| (*f).to_owned()).collect::<Vec<_>>();
        Self {
            enabled: true,
            port: None,
            throttle: ThrottleConfig {
                default: Some(RateLimit { per_second: 50.0, burst: 100 }),
                routes: BTreeMap::new(),
            },
            latency: LatencyConfig::default(),
            clients: vec![ClientSeed { id: DEMO_CLIENT_ID.into(), public_jwk: None, webhook_url: None }],
            user_token_lifetime_secs: 600,
            result_delay_ms: 300,
            scenarios: BTreeMap::from([
                ("fiat_to_internalCoin".to_owned(), brackets(&[("1", 0), ("101", 0), ("1900", 0), ("9800", 0)])),
                ("withdrawal_to_erc20".to_owned(), brackets(&[("1", 4), ("101", 4), ("1900", 4), ("9800", 5)])),
            ]),
            tier_requirements: BTreeMap::from([
                (0, Vec::new()),
                (
                    1,
                    fields(&[
                        "/name/firstName",
                        "/name/lastName",
                        "/emails/0/address",
                        "/addresses/0/streetAddress",
                        "/dateOfBirth",
                    ]),
                ),
                (2, Vec::new()),
                (3, Vec::new()),
                (4, fields(&["/piis/0/value"])),
                (5, fields(&["/sourceOfFunds"])),
            ]),
            outcomes: OutcomeConfig::default(),
        }
    }
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
        if self.user_token_lifetime_secs == 0 {
            return Err(("user_token_lifetime_secs".into(), "must be greater than 0".into()));
        }
        Ok(())
    }
}
