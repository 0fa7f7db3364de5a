//! GNU Taler merchant backend wire format for the KYC status endpoint: `MerchantAccountKycRedirectsResponse`,
//! `MerchantAccountKycRedirect`, `AccountLimit`, `ErrorDetail`, `/config` and `/private/accounts`.
//! Optional fields are omitted, never `null`, as the C backend does.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Every KYC status the seed document lists.
pub const STATUSES: &[&str] = &[
    "unsupported-account",
    "no-exchange-keys",
    "kyc-wire-impossible",
    "kyc-wire-required",
    "kyc-required",
    "awaiting-aml-review",
    "ready",
    "logic-bug",
    "merchant-internal-error",
    "exchange-internal-error",
    "exchange-gateway-timeout",
    "exchange-unreachable",
    "exchange-status-invalid",
];

/// `RelativeTime`: microseconds, or `"forever"`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RelativeTime {
    /// Microseconds (an integer) or `"forever"`.
    pub d_us: serde_json::Value,
}

/// `AccountLimit` (exchange type).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "AccountLimit")]
pub struct AccountLimit {
    /// WITHDRAW, DEPOSIT, MERGE, BALANCE, CLOSE, AGGREGATE, TRANSACTION or REFUND.
    #[schemars(extend("enum" = ["WITHDRAW", "DEPOSIT", "MERGE", "BALANCE", "CLOSE", "AGGREGATE", "TRANSACTION", "REFUND"]))]
    pub operation_type: String,
    /// The window the threshold applies to.
    pub timeframe: RelativeTime,
    /// `CURRENCY:VALUE[.FRACTION]`; zero forbids the operation.
    #[schemars(regex(pattern = r"^[A-Z]{1,11}:[0-9]+(\.[0-9]{1,8})?$"))]
    pub threshold: String,
    /// A soft limit (default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub soft_limit: Option<bool>,
}

/// `MerchantAccountKycRedirect`: one account at one exchange.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "MerchantAccountKycRedirect")]
pub struct MerchantAccountKycRedirect {
    /// Summary of the KYC process (one of the seed document's values).
    #[schemars(extend("enum" = ["unsupported-account", "no-exchange-keys", "kyc-wire-impossible", "kyc-wire-required", "kyc-required", "awaiting-aml-review", "ready", "logic-bug", "merchant-internal-error", "exchange-internal-error", "exchange-gateway-timeout", "exchange-unreachable", "exchange-status-invalid"]))]
    pub status: String,
    /// Full payto URI of the bank account.
    pub payto_uri: String,
    /// Currency used by the exchange.
    pub exchange_currency: String,
    /// Hash of the salted payto URI (Crockford base32 of 64 bytes).
    pub h_wire: String,
    /// Base URL of the exchange.
    pub exchange_url: String,
    /// HTTP status the exchange answered the KYC inquiry with.
    pub exchange_http_status: i64,
    /// No `/keys` from this exchange yet.
    pub no_keys: bool,
    /// The KYC auth wire transfer cannot work.
    pub auth_conflict: bool,
    /// Error code the exchange returned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange_code: Option<i64>,
    /// Access token for the exchange's KYC SPA.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token: Option<String>,
    /// Limits that KYC may lift.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limits: Option<Vec<AccountLimit>>,
    /// payto URIs for the KYC auth wire transfer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payto_kycauths: Option<Vec<String>>,
    /// Swap the terms of service and KYC auth steps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kyc_swap_tos_acceptance: Option<bool>,
    /// Terms-of-service version accepted early.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tos_accepted_early: Option<String>,
}

/// `MerchantAccountKycRedirectsResponse`: the 200 body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "MerchantAccountKycRedirectsResponse")]
pub struct KycRedirectsResponse {
    /// One entry per (account, exchange) the query selects.
    pub kyc_data: Vec<MerchantAccountKycRedirect>,
}

/// `ErrorDetail`: every JSON error body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "ErrorDetail")]
pub struct ErrorDetail {
    /// TALER_EC numeric code.
    pub code: i64,
    /// Human-readable; not stable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// For a malformed parameter: its name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// An exchange in `/config`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ConfigExchange {
    /// Base URL.
    pub base_url: String,
    /// Currency.
    pub currency: String,
    /// Master public key.
    pub master_pub: String,
}

/// `MerchantVersionResponse` (`GET /config`): every field the protocol has up to the version
/// claimed (25 by default; a lower `version` in the config drops the later fields): v6's
/// `exchanges`, v8's `implementation`, v21's `have_self_provisioning`, `have_donau` and
/// `mandatory_tan_channels`, v23's `default_persona`, v25's `report_generators`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "MerchantVersionResponse")]
pub struct VersionResponse {
    /// `current:revision:age`.
    pub version: String,
    /// `taler-merchant`.
    pub name: String,
    /// URN of the implementation.
    pub implementation: String,
    /// Default currency.
    pub currency: String,
    /// Currency specifications by code.
    pub currencies: serde_json::Map<String, serde_json::Value>,
    /// Exchanges.
    pub exchanges: Vec<ConfigExchange>,
    /// Whether instances may be created by their owners (v21); the twin's instances are its config's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub have_self_provisioning: Option<bool>,
    /// Whether the backend works with a Donau (tax-receipt) service (v21); the twin does not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub have_donau: Option<bool>,
    /// TAN channels (`sms`, `email`) every instance must confirm (v21); absent when none is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mandatory_tan_channels: Option<Vec<String>>,
    /// The user-interface persona the merchant SPA starts in (v23).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_persona: Option<String>,
    /// Report generators by name, with what each makes (v25); the twin has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_generators: Option<std::collections::BTreeMap<String, String>>,
}

/// One bank account in `/private/accounts`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AccountEntry {
    /// Full payto URI.
    pub payto_uri: String,
    /// Hash of the salted payto URI.
    pub h_wire: String,
    /// In use.
    pub active: bool,
}

/// `AccountsSummaryResponse` (`GET /private/accounts`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "AccountsSummaryResponse")]
pub struct AccountsResponse {
    /// The instance's accounts.
    pub accounts: Vec<AccountEntry>,
}

/// Every schema of this provider, by the file name it is published under in `schemas/taler/`.
pub fn schemas(generator: &mut schemars::SchemaGenerator) -> Vec<(&'static str, schemars::Schema)> {
    use crate::schemas::root;
    vec![
        ("MerchantAccountKycRedirectsResponse", root::<KycRedirectsResponse>(generator)),
        ("MerchantAccountKycRedirect", root::<MerchantAccountKycRedirect>(generator)),
        ("AccountLimit", root::<AccountLimit>(generator)),
        ("ErrorDetail", root::<ErrorDetail>(generator)),
        ("MerchantVersionResponse", root::<VersionResponse>(generator)),
        ("AccountsSummaryResponse", root::<AccountsResponse>(generator)),
    ]
}
