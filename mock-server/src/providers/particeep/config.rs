//! Particeep settings and demo data: API consumers (key, secret, email, monthly quota, envelope or
//! bare bodies), the `DateTime` skew window, and the metadata headers.

use serde::{Deserialize, Serialize};

use crate::config::{LatencyConfig, ThrottleConfig};

/// The public sandbox key printed in Particeep's API document.
pub const DEMO_KEY: &str = "d6a53e1a-fc8e-4251-9dda-fabbce5f2a2c";
/// The public sandbox secret printed in Particeep's API document.
pub const DEMO_SECRET: &str = "9bb3c122-0272-4bed-a632-19d5d52c7b5e";

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
    /// How far `DateTime` may be from the twin's clock, in seconds; `null` accepts any date
    /// (Particeep documents no window, so a signature would replay forever without one).
    pub clock_skew_secs: Option<u64>,
    /// API consumers.
    pub consumers: Vec<ConsumerSeed>,
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
}

fn yes() -> bool {
    true
}

impl Default for ParticeepConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            port: None,
            throttle: ThrottleConfig::default(),
            latency: LatencyConfig::default(),
            clock_skew_secs: Some(900),
            consumers: vec![
                ConsumerSeed {
                    key: DEMO_KEY.into(),
                    secret: DEMO_SECRET.into(),
                    email: "sandbox@particeep.example".into(),
                    quota_max: 0,
                    envelope: true,
                    debug: false,
                },
                // The pair of the document's Java example, so its worked vector can be replayed.
                ConsumerSeed {
                    key: "1234567890".into(),
                    secret: "0987654321".into(),
                    email: "example@particeep.example".into(),
                    quota_max: 0,
                    envelope: true,
                    debug: false,
                },
                ConsumerSeed {
                    key: "bare-demo-key".into(),
                    secret: "bare-demo-secret".into(),
                    email: "bare@particeep.example".into(),
                    quota_max: 0,
                    envelope: false,
                    debug: false,
                },
            ],
        }
    }
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
        Ok(())
    }
}
