//! PTI demo data: the demo client (its id and key pair, whose private JWK the admin API hands
//! out), the stand-in for PTI's webhook-signing key, and the built-in default of the
//! `providers.pti` section (scenarios, tiers, outcomes).

use std::collections::BTreeMap;

use serde_json::Value;

use super::config::{ClientSeed, OutcomeConfig, PtiConfig};
use super::crypto::{self, KeyPair};
use super::state::{ClientRecord, PtiData};
use crate::behaviour::latency::LatencyConfig;
use crate::behaviour::throttle::{RateLimit, ThrottleConfig};

/// The demo client's id (PTI's own documentation uses it).
pub const DEMO_CLIENT_ID: &str = "00000000-0000-0000-0000-000000000000";

/// The demo client's public key as a JWK (`keys/demo-client.public.jwk`).
pub const DEMO_CLIENT_PUBLIC_JWK: &str = include_str!("keys/demo-client.public.jwk");

/// The demo client's private key (`keys/demo-client.pem`).
const DEMO_CLIENT_PEM: &str = include_str!("keys/demo-client.pem");

/// The stand-in for PTI's webhook-signing key (`keys/pti-signing.pem`).
const PTI_SIGNING_PEM: &str = include_str!("keys/pti-signing.pem");

/// The twin's Ed25519 webhook key (`keys/pti-webhook-ed25519.pem`).
const PTI_WEBHOOK_ED25519_PEM: &str = include_str!("keys/pti-webhook-ed25519.pem");

/// The twin's built-in key pairs.
pub(super) struct BuiltInKeys {
    pub(super) pti: KeyPair,
    pub(super) demo_client: KeyPair,
    pub(super) webhook: crypto::WebhookSigningKey,
}

impl BuiltInKeys {
    pub(super) fn read() -> Result<Self, String> {
        Ok(Self {
            pti: KeyPair::from_pem(PTI_SIGNING_PEM)?,
            demo_client: KeyPair::from_pem(DEMO_CLIENT_PEM)?,
            webhook: crypto::WebhookSigningKey::from_pem(PTI_WEBHOOK_ED25519_PEM)?,
        })
    }
}

/// The demo client's private JWK (with its thumbprint as `kid`), for tools that sign as the
/// demo client without asking a running twin (the conformance runner's default).
pub fn demo_client_private_jwk() -> Result<serde_json::Value, String> {
    let key = KeyPair::from_pem(DEMO_CLIENT_PEM)?;
    let mut jwk = crypto::jwk_to_json(&key.private_jwk);
    jwk["kid"] = serde_json::Value::from(key.thumbprint);
    Ok(jwk)
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
            clients: vec![ClientSeed {
                id: DEMO_CLIENT_ID.into(),
                public_jwk: None,
                webhook_url: None,
                webhook_transport: None,
            }],
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
            webhook_signature_header: "X-Signature".into(),
        }
    }
}

/// The state a config starts from: its clients (the demo client with the bundled key).
pub(super) fn seed_data(config: &PtiConfig, demo_public_jwk: &Value) -> PtiData {
    use base64::Engine;
    use rand::RngExt;
    let key: Vec<u8> = (0..64).map(|_| rand::rng().random::<u8>()).collect();
    let mut data = PtiData { token_key: base64::engine::general_purpose::STANDARD.encode(key), ..PtiData::default() };
    for client in &config.clients {
        data.clients.insert(client.id.clone(), client_record(client, demo_public_jwk));
    }
    data
}

/// The record of a configured client (the demo key where it names none).
pub(super) fn client_record(client: &super::config::ClientSeed, demo_public_jwk: &Value) -> ClientRecord {
    let public = client.public_jwk.clone().unwrap_or_else(|| demo_public_jwk.clone());
    ClientRecord {
        public_jwks: vec![public],
        webhook_url: client.webhook_url.clone(),
        webhook_transport: client.webhook_transport,
    }
}
