//! PTI v0's KYC answers: what a user needs for an amount, and the latest KYC.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// v0 `kycNeeds`. The spec marks nothing required; our contract requires `kyc_needed`, the
/// answer a client reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "kycNeeds")]
pub struct KycNeeds {
    /// Whether the user must pass a KYC before a transaction of that amount.
    pub kyc_needed: bool,
}

/// Status of a user's latest KYC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
// Variant docs would become descriptions in the published schema (and turn its `enum` list into
// a `oneOf`): the wire values name themselves.
#[allow(missing_docs)]
pub enum KycStatus {
    Accepted,
    Refused,
    ManualReview,
    RequestedMoreInformation,
}

/// v0 `kyc`: the latest KYC result of a user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(rename = "kyc")]
pub struct Kyc {
    /// The result.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<KycStatus>,
    /// The tier reached.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier: Option<i64>,
    /// The client's meta data sent with the KYC.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_meta: Option<serde_json::Map<String, serde_json::Value>>,
    /// The KYC's request id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}
