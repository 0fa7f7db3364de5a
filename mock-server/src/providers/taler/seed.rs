//! Taler demo data: the built-in default of the `providers.taler` section (instances `default`
//! and `shop-1` with the demo token, their bank accounts, the demo exchange and KYC statuses).

use std::collections::BTreeMap;

use super::config::{ExchangeSeed, InstanceSeed, KycSeed, TalerConfig, TokenSeed};
use super::model::{AccountEntry, AccountLimit, MerchantAccountKycRedirect};
use super::state::{h_wire, InstanceRecord, TalerData};
use crate::behaviour::latency::LatencyConfig;
use crate::behaviour::throttle::ThrottleConfig;

/// The demo bearer token of both instances (`Authorization: Bearer secret-token:demo`).
pub const DEMO_TOKEN: &str = "secret-token:demo";

fn token(token: &str, permissions: &[&str]) -> TokenSeed {
    TokenSeed { token: token.into(), permissions: permissions.iter().map(|p| (*p).into()).collect() }
}

impl Default for TalerConfig {
    fn default() -> Self {
        let exchange = "https://exchange.demo.taler.net/".to_owned();
        Self {
            enabled: true,
            port: None,
            throttle: ThrottleConfig::default(),
            latency: LatencyConfig::default(),
            version: "25:0:9".into(),
            currency: "KUDOS".into(),
            default_persona: "expert".into(),
            mandatory_tan_channels: Vec::new(),
            max_timeout_ms: 300_000,
            default_instance: "default".into(),
            instances: vec![
                InstanceSeed {
                    id: "default".into(),
                    tokens: vec![
                        token(DEMO_TOKEN, &["instances-kyc-read", "all"]),
                        token("secret-token:orders-only", &["orders-read"]),
                    ],
                    accounts: vec!["payto://iban/DE89370400440532013000?receiver-name=Demo%20Shop".into()],
                },
                InstanceSeed {
                    id: "shop-1".into(),
                    tokens: vec![token(DEMO_TOKEN, &["instances-kyc-read", "all"])],
                    accounts: vec!["payto://iban/CH9300762011623852957?receiver-name=Shop%20One".into()],
                },
            ],
            exchanges: vec![ExchangeSeed {
                url: exchange.clone(),
                currency: "KUDOS".into(),
                master_pub: "F80MFRG8HVH6R9CQ47KRFQSJP3T6DBJ4K1D9B703RJY3Z39TBMJ0".into(),
            }],
            kyc: vec![
                KycSeed {
                    instance: "default".into(),
                    payto_uri: "payto://iban/DE89370400440532013000?receiver-name=Demo%20Shop".into(),
                    exchange_url: exchange.clone(),
                    status: "kyc-required".into(),
                    access_token: Some("8Q7ZT1W5WG5J6D0R0P9DK5BTHXQ3YVG1Q3N0W1CC8K6Z0C5S0V2G".into()),
                    limits: Some(vec![AccountLimit {
                        operation_type: "DEPOSIT".into(),
                        timeframe: super::model::RelativeTime { d_us: serde_json::Value::from(2_592_000_000_000u64) },
                        threshold: "KUDOS:0".into(),
                        soft_limit: Some(false),
                    }]),
                },
                KycSeed {
                    instance: "shop-1".into(),
                    payto_uri: "payto://iban/CH9300762011623852957?receiver-name=Shop%20One".into(),
                    exchange_url: exchange,
                    status: "ready".into(),
                    access_token: Some("2E9CB1FQWM49K6C6904SRF4CVT6KTQY1DX2SN90JT2GMTE1CB7VG".into()),
                    limits: None,
                },
            ],
        }
    }
}

/// The state a config starts from.
pub(super) fn seed_data(config: &TalerConfig) -> TalerData {
    let mut data = TalerData::default();
    for instance in &config.instances {
        let accounts: Vec<AccountEntry> = instance
            .accounts
            .iter()
            .map(|payto| AccountEntry { payto_uri: payto.clone(), h_wire: h_wire(&instance.id, payto), active: true })
            .collect();
        let mut kyc = BTreeMap::new();
        for (index, account) in accounts.iter().enumerate() {
            for exchange in &config.exchanges {
                let seed = config.kyc.iter().find(|k| {
                    k.instance == instance.id && k.payto_uri == account.payto_uri && k.exchange_url == exchange.url
                });
                let entry = MerchantAccountKycRedirect {
                    status: seed.map_or_else(|| "kyc-required".to_owned(), |s| s.status.clone()),
                    payto_uri: account.payto_uri.clone(),
                    exchange_currency: exchange.currency.clone(),
                    h_wire: account.h_wire.clone(),
                    exchange_url: exchange.url.clone(),
                    exchange_http_status: 200,
                    no_keys: false,
                    auth_conflict: false,
                    exchange_code: None,
                    access_token: seed.and_then(|s| s.access_token.clone()),
                    limits: seed.and_then(|s| s.limits.clone()),
                    payto_kycauths: None,
                    kyc_swap_tos_acceptance: None,
                    tos_accepted_early: None,
                };
                // Keyed so the list keeps account, then exchange, order.
                kyc.insert(format!("{index:04} {}", exchange.url), entry);
            }
        }
        data.instances.insert(instance.id.clone(), InstanceRecord { tokens: instance.tokens.clone(), accounts, kyc });
    }
    data
}
