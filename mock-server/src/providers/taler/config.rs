//! Taler settings: instances with their tokens and bank accounts, exchanges, the KYC status of
//! each account at each exchange, and the long-poll cap. The demo values are in `seed.rs`.

use serde::{Deserialize, Serialize};

use super::model::AccountLimit;
use crate::behaviour::latency::LatencyConfig;
use crate::behaviour::throttle::ThrottleConfig;

/// The newest merchant protocol version the twin serves all of (`/config`'s fields and the KYC
/// long-poll parameters of v25).
pub const MAX_PROTOCOL: u32 = 25;

/// The `providers.taler` section.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TalerConfig {
    /// Serve this provider at all.
    pub enabled: bool,
    /// A port of its own, serving the merchant backend's root there (`/taler` on the main port).
    pub port: Option<u16>,
    /// Rate limits, keyed per bearer token.
    pub throttle: ThrottleConfig,
    /// Added latency.
    pub latency: LatencyConfig,
    /// `version` of `/config` (libtool `current:revision:age`; current ≥ 25 has the `lp_*` parameters).
    pub version: String,
    /// The default currency.
    pub currency: String,
    /// `default_persona` of `/config` (the merchant SPA's starting persona).
    pub default_persona: String,
    /// `mandatory_tan_channels` of `/config` (`sms`, `email`); absent when empty.
    pub mandatory_tan_channels: Vec<String>,
    /// Longest wait a `timeout_ms` may ask for; longer ones are cut to it.
    pub max_timeout_ms: u64,
    /// The instance `/private/kyc` without a prefix (and `/management`) uses.
    pub default_instance: String,
    /// Instances of the backend.
    pub instances: Vec<InstanceSeed>,
    /// Exchanges the backend works with.
    pub exchanges: Vec<ExchangeSeed>,
    /// KYC status of accounts at exchanges (pairs not listed start as `kyc-required`).
    pub kyc: Vec<KycSeed>,
}

crate::http_section!(TalerConfig);

/// An instance.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstanceSeed {
    /// Its id.
    pub id: String,
    /// Tokens that may call it: `secret-token:...` and the permissions each has.
    pub tokens: Vec<TokenSeed>,
    /// Its bank accounts (full `payto://` URIs).
    pub accounts: Vec<String>,
}

/// A bearer token and its permissions.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenSeed {
    /// `secret-token:...`.
    pub token: String,
    /// Permissions; `instances-kyc-read` is what `/private/kyc` needs.
    pub permissions: Vec<String>,
}

/// An exchange.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExchangeSeed {
    /// Base URL (with the trailing `/`).
    pub url: String,
    /// Its currency.
    pub currency: String,
    /// Its master public key.
    pub master_pub: String,
}

/// The starting KYC state of one account at one exchange.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KycSeed {
    /// The instance.
    pub instance: String,
    /// The account's payto URI.
    pub payto_uri: String,
    /// The exchange's base URL.
    pub exchange_url: String,
    /// The status (`ready`, `kyc-required`...).
    pub status: String,
    /// Access token for the exchange's KYC SPA.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token: Option<String>,
    /// Limits in force.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limits: Option<Vec<AccountLimit>>,
}

impl TalerConfig {
    /// `current` of the libtool `version` (0 when it does not parse: validation refuses that).
    pub fn current_version(&self) -> u32 {
        self.version.split(':').next().and_then(|c| c.parse().ok()).unwrap_or(0)
    }

    /// Checks ids, URLs, statuses and the version; errors name the key inside the section.
    pub fn validate(&self) -> Result<(), (String, String)> {
        if !self.instances.iter().any(|i| i.id == self.default_instance) {
            return Err(("default_instance".into(), format!("no instance `{}`", self.default_instance)));
        }
        let parts: Vec<Option<u32>> = self.version.split(':').map(|p| p.parse::<u32>().ok()).collect();
        let [Some(current), Some(_), Some(age)] = parts[..] else {
            return Err(("version".into(), format!("`{}` is not current:revision:age", self.version)));
        };
        if current > MAX_PROTOCOL || age > current {
            return Err((
                "version".into(),
                format!(
                    "`{}`: the twin serves the merchant protocol up to {MAX_PROTOCOL} (and age is at most current)",
                    self.version
                ),
            ));
        }
        for (index, channel) in self.mandatory_tan_channels.iter().enumerate() {
            if !["sms", "email"].contains(&channel.as_str()) {
                return Err((format!("mandatory_tan_channels[{index}]"), format!("`{channel}` is not sms or email")));
            }
        }
        for (index, exchange) in self.exchanges.iter().enumerate() {
            if !(exchange.url.starts_with("http://") || exchange.url.starts_with("https://")) {
                return Err((format!("exchanges[{index}].url"), format!("`{}` is not an http(s) URL", exchange.url)));
            }
        }
        for (index, seed) in self.kyc.iter().enumerate() {
            let instance = self.instances.iter().find(|i| i.id == seed.instance);
            if !instance.is_some_and(|i| i.accounts.contains(&seed.payto_uri)) {
                return Err((format!("kyc[{index}]"), "the account is not one of the instance's".into()));
            }
            if !super::model::STATUSES.contains(&seed.status.as_str()) {
                return Err((format!("kyc[{index}].status"), format!("`{}` is not a KYC status", seed.status)));
            }
        }
        Ok(())
    }
}
