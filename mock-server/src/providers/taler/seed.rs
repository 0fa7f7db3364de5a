//! Taler demo data: the built-in default of the `providers.taler` section (instances `default`
//! and `shop-1` with the demo token, their bank accounts, the demo exchange and KYC statuses).

use super::config::{ExchangeSeed, InstanceSeed, KycSeed, TalerConfig, TokenSeed};
use super::model::AccountLimit;
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
                    access_token: Some("2K8B3M1X7Q5W9E4R6T0Y8U2I4O6P8A0S1D3F5G7H9J1K3L5Z7X9C".into()),
                    limits: None,
                },
            ],
        }
    }
}
