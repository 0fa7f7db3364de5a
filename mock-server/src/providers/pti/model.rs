//! PTI v0 wire format: the small fixed shapes (errors, references, tokens, KYC status, feedback)
//! and the webhook events of the notes' §5.4. Users and transactions are the client's own JSON,
//! checked field by field in `handlers.rs` against the spec's patterns and kept as sent.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// v0 `error`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "error")]
pub struct ErrorBody {
    /// 0..9999; see the README for the values.
    pub code: i32,
    /// Printable ASCII, at most 1000 characters.
    pub message: String,
}

/// v0 `inputRequest` (406): more about the user is needed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "inputRequest")]
pub struct InputRequest {
    /// Where the user can give it (a form of the twin's).
    pub url: String,
    /// The missing user fields, as JSON pointers.
    #[serde(default)]
    pub fields: Vec<String>,
}

/// v0 `objectReference`: what a create answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "objectReference")]
pub struct ObjectReference {
    /// The id (the user id, or the request id).
    pub id: String,
    /// Absolute URL of the resource.
    pub link: String,
}

/// v0 `userTokenRequest`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "userTokenRequest")]
pub struct UserTokenRequest {
    /// The URL (or path) the token will be used on.
    pub url: String,
    /// The method it will be used with.
    pub method: String,
}

/// v0 `userToken`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "userToken")]
pub struct UserToken {
    /// A single-use JWT for `x-pti-token`.
    pub access_token: String,
    /// Unix seconds.
    pub expires_at: i64,
    /// Always `JWT`.
    pub token_type: String,
}

/// v0 `kycNeeds`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "kycNeeds")]
pub struct KycNeeds {
    /// Whether the user must pass a KYC before a transaction of that amount.
    pub kyc_needed: bool,
}

/// Status of a user's latest KYC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[allow(missing_docs)]
pub enum KycStatus {
    Accepted,
    Refused,
    ManualReview,
    RequestedMoreInformation,
}

/// v0 `kyc`: the latest KYC result of a user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "kyc")]
pub struct Kyc {
    /// The result.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<KycStatus>,
    /// The tier reached.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier: Option<u32>,
    /// The client's meta data sent with the KYC.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_meta: Option<serde_json::Map<String, serde_json::Value>>,
    /// The KYC's request id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// Feedback values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[allow(missing_docs)]
pub enum Feedback {
    Accepted,
    Settled,
    Cancelled,
    Rejected,
    Refunded,
    ChargedBack,
    Error,
}

/// v0 `transactionFeedbackType`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(rename = "transactionFeedbackType")]
pub struct TransactionFeedback {
    /// What became of the transaction.
    pub feedback: Feedback,
    /// A transaction hash or other identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_id: Option<String>,
    /// When (ISO-8601); now when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}
