//! Particeep demo data: the built-in default of the `providers.particeep` section (the public
//! sandbox consumer of Particeep's docs, the pair of the document's Java example, a bare-body
//! consumer, and one as the 2025 Scala SDK expects: SHA-256, bare, the 2025 models).

use super::auth::Algorithm;
use super::config::{ConsumerSeed, DocumentSettings, KycSettings, Lineage, ParticeepConfig, PaymentSettings};
use super::state::{ConsumerData, ParticeepData};
use crate::behaviour::latency::LatencyConfig;
use crate::behaviour::throttle::ThrottleConfig;

/// The public sandbox key printed in Particeep's API document.
pub const DEMO_KEY: &str = "d6a53e1a-fc8e-4251-9dda-fabbce5f2a2c";
/// The public sandbox secret printed in Particeep's API document.
pub const DEMO_SECRET: &str = "9bb3c122-0272-4bed-a632-19d5d52c7b5e";
/// The demo consumer of the 2025 Scala SDK (HMAC-SHA256, bare bodies, the 2025 models).
pub const SDK2025_KEY: &str = "sdk2025-demo-key";
/// Its secret.
pub const SDK2025_SECRET: &str = "sdk2025-demo-secret";
/// The demo consumer in bare mode (no envelope: entities and errors as the SDKs parse them).
pub const BARE_KEY: &str = "bare-demo-key";
/// Its secret.
pub const BARE_SECRET: &str = "bare-demo-secret";

impl Default for ParticeepConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            port: None,
            throttle: ThrottleConfig::default(),
            latency: LatencyConfig::default(),
            clock_skew_secs: None,
            consumers: vec![
                ConsumerSeed {
                    key: DEMO_KEY.into(),
                    secret: DEMO_SECRET.into(),
                    email: "sandbox@particeep.example".into(),
                    quota_max: 0,
                    envelope: true,
                    debug: false,
                    signature: Algorithm::Sha1,
                    models: Lineage::V2022,
                },
                // The pair of the document's Java example, so its worked vector can be replayed.
                ConsumerSeed {
                    key: "1234567890".into(),
                    secret: "0987654321".into(),
                    email: "example@particeep.example".into(),
                    quota_max: 0,
                    envelope: true,
                    debug: false,
                    signature: Algorithm::Sha1,
                    models: Lineage::V2022,
                },
                ConsumerSeed {
                    key: BARE_KEY.into(),
                    secret: BARE_SECRET.into(),
                    email: "bare@particeep.example".into(),
                    quota_max: 0,
                    envelope: false,
                    debug: false,
                    signature: Algorithm::Sha1,
                    models: Lineage::V2022,
                },
                // What the 2025 Scala SDK expects: HMAC-SHA256, bare bodies, the 2025 models.
                ConsumerSeed {
                    key: SDK2025_KEY.into(),
                    secret: SDK2025_SECRET.into(),
                    email: "sdk2025@particeep.example".into(),
                    quota_max: 0,
                    envelope: false,
                    debug: false,
                    signature: Algorithm::Sha256,
                    models: Lineage::V2025,
                },
            ],
            kyc: KycSettings::default(),
            payments: PaymentSettings::default(),
            documents: DocumentSettings::default(),
            roles: ["admin", "investor", "project_owner", "partner", "moderator"]
                .iter()
                .map(|r| (*r).to_owned())
                .collect(),
            light_wallet_cashout: false,
        }
    }
}

/// The state a config starts from: each consumer with no data.
pub(super) fn seed_data(config: &ParticeepConfig) -> ParticeepData {
    ParticeepData { consumers: config.consumers.iter().map(|c| (c.key.clone(), ConsumerData::default())).collect() }
}
