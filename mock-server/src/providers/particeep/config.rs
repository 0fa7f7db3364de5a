//! Particeep settings (the demo values are in `seed.rs`): API consumers (key, secret, email, monthly quota, envelope or
//! bare bodies), the `DateTime` skew window, and the metadata headers.

use serde::{Deserialize, Serialize};

use super::model::KycUserType;
use crate::behaviour::latency::LatencyConfig;
use crate::behaviour::throttle::ThrottleConfig;

/// The `providers.particeep` section.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ParticeepConfig {
    /// Serve this provider at all.
    pub enabled: bool,
    /// A port of its own, serving `/ping` and `/v1/...` at its root (`/particeep` on the main port).
    pub port: Option<u16>,
    /// Rate limits, keyed per API key.
    pub throttle: ThrottleConfig,
    /// Added latency.
    pub latency: LatencyConfig,
    /// How far `DateTime` may be from the twin's clock, in seconds; `null` (the default) accepts any
    /// date, as Particeep evidently does: it documents no window, and its JS SDK signs once, in its
    /// constructor, for the client's whole life. A window stops a captured header replaying.
    pub clock_skew_secs: Option<u64>,
    /// API consumers.
    pub consumers: Vec<ConsumerSeed>,
    /// How KYC groups sent for validation are decided.
    pub kyc: KycSettings,
    /// How card and wire payments complete.
    pub payments: PaymentSettings,
    /// Uploads.
    pub documents: DocumentSettings,
    /// Role names `GET /v1/role/all` lists and `PUT /v1/role/...` accepts (Particeep publishes none).
    pub roles: Vec<String>,
    /// Whether a `LIGHT` wallet (owner's KYC not validated) may cash out.
    pub light_wallet_cashout: bool,
}

crate::http_section!(ParticeepConfig);

/// A decision the twin takes by itself after a delay, or `manual` (the admin API decides).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AutoDecision {
    /// Wait for the admin API (or the payment page).
    Manual,
    /// Accept.
    Accept,
    /// Refuse.
    Refuse,
}

/// `providers.particeep.kyc`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct KycSettings {
    /// What happens to a group sent for validation when no magic value applies.
    pub decision: AutoDecision,
    /// How long after `askValidation` an automatic decision is taken.
    pub decision_delay_ms: u64,
    /// Document types required per `user_type` before `askValidation` is accepted.
    pub required_docs: std::collections::BTreeMap<KycUserType, Vec<String>>,
}

impl Default for KycSettings {
    fn default() -> Self {
        let docs = |list: &[&str]| list.iter().map(|d| (*d).to_owned()).collect::<Vec<_>>();
        Self {
            decision: AutoDecision::Manual,
            decision_delay_ms: 1000,
            required_docs: [
                (KycUserType::Natural, docs(&["ID_CARD", "ADDRESS_PROOF"])),
                (KycUserType::Legal, docs(&["ID_CARD", "ADDRESS_PROOF", "KBIS", "COMPANY_STATUS"])),
                (KycUserType::SelfEmployed, docs(&["ID_CARD", "ADDRESS_PROOF", "KBIS"])),
                (
                    KycUserType::Association,
                    docs(&["ID_CARD", "ASSOCIATION_STATUS", "PRESIDENT_OF_ASSOCIATION", "OFFICIAL_JOURNAL"]),
                ),
            ]
            .into_iter()
            .collect(),
        }
    }
}

/// `providers.particeep.payments`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PaymentSettings {
    /// What happens to a card payment (or cash-in) when no magic amount applies.
    pub card_decision: AutoDecision,
    /// How long after the payment started an automatic (or magic) outcome is applied.
    pub card_delay_ms: u64,
    /// Amounts whose cents are this (`...42`: 10.42 EUR) succeed by themselves.
    pub magic_succeed_cents: Option<u8>,
    /// Amounts whose cents are this (`...02`: 10.02 EUR) are declined by themselves.
    pub magic_decline_cents: Option<u8>,
}

impl Default for PaymentSettings {
    fn default() -> Self {
        Self {
            card_decision: AutoDecision::Manual,
            card_delay_ms: 200,
            magic_succeed_cents: Some(42),
            magic_decline_cents: Some(2),
        }
    }
}

/// `providers.particeep.documents`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DocumentSettings {
    /// Largest file accepted, in bytes (413 `error.document.too.large` above it).
    pub max_bytes: usize,
    /// Content types accepted (400 `error.document.content_type.invalid` otherwise); empty = any.
    pub content_types: Vec<String>,
}

impl Default for DocumentSettings {
    fn default() -> Self {
        Self {
            max_bytes: 5 * 1024 * 1024,
            content_types: ["application/pdf", "image/jpeg", "image/png", "image/gif", "text/plain", "text/csv"]
                .iter()
                .map(|t| (*t).to_owned())
                .collect(),
        }
    }
}

/// An API consumer (an application registered with Particeep).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsumerSeed {
    /// API key.
    pub key: String,
    /// API secret.
    pub secret: String,
    /// The consumer's e-mail.
    pub email: String,
    /// Requests allowed per calendar month (`request-quotamax`); 0 is unlimited.
    #[serde(default)]
    pub quota_max: u64,
    /// Bodies in the documented envelope `{error, result, meta}` (true) or bare, as Particeep's
    /// official SDKs parse them (false).
    #[serde(default = "yes")]
    pub envelope: bool,
    /// Send the `debug-*` headers on every response, not only when `Info-Debug-Enabled` is sent.
    #[serde(default)]
    pub debug: bool,
    /// The HMAC its webhooks are signed with (`sha1`, the default, or `sha256`); its requests may
    /// use either.
    #[serde(default)]
    pub signature: super::auth::Algorithm,
    /// The SDK model lineage its answers follow (`2022`, the default, or `2025`) where the two
    /// disagree (README, Particeep).
    #[serde(default)]
    pub models: Lineage,
}

/// The SDK model lineage a consumer's answers and request rules follow.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lineage {
    /// `Particeep/api-sdk-scala` (2022), and the 2018 Python and JS SDKs.
    #[default]
    #[serde(rename = "2022")]
    V2022,
    /// `Particeep/api-sdk-scala-with-play` 3.x (2025).
    #[serde(rename = "2025")]
    V2025,
}

fn yes() -> bool {
    true
}

impl ParticeepConfig {
    /// Checks what serde cannot: one entry per key, no empty key or secret.
    pub fn validate(&self) -> Result<(), (String, String)> {
        let mut keys = std::collections::BTreeSet::new();
        for (index, consumer) in self.consumers.iter().enumerate() {
            if consumer.key.is_empty() || consumer.secret.is_empty() {
                return Err((format!("consumers[{index}]"), "key and secret must not be empty".into()));
            }
            if !keys.insert(consumer.key.as_str()) {
                return Err((format!("consumers[{index}].key"), format!("`{}` is listed twice", consumer.key)));
            }
        }
        if self.documents.max_bytes == 0 {
            return Err(("documents.max_bytes".into(), "must be greater than 0".into()));
        }
        for (name, cents) in [
            ("magic_succeed_cents", self.payments.magic_succeed_cents),
            ("magic_decline_cents", self.payments.magic_decline_cents),
        ] {
            if cents.is_some_and(|c| c > 99) {
                return Err((format!("payments.{name}"), "must be 0 to 99".into()));
            }
        }
        Ok(())
    }
}
