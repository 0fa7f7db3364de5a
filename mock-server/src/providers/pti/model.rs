//! PTI v0 wire format: the small fixed shapes (errors, references, tokens, KYC status, feedback)
//! and the webhook events of the notes' §5.4. Users and transactions are the client's own JSON,
//! checked field by field in `handlers.rs` against the spec's patterns and kept as sent.

use schemars::JsonSchema;

/// The spec's pattern for URLs (`&amp;` included: the published spec has it so, and inside a
/// character class it only adds harmless characters).
const URL_PATTERN: &str = r"^([\w.,@?^=%&amp;:/~+#-]*[\w@?^=%&amp;/\.~+#-])?$";

/// The spec's ISO-8601 date-time pattern.
const DATE_TIME_PATTERN: &str = r"^(?:[1-9]\d{3}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)|(?:[1-9]\d(?:0[48]|[2468][048]|[13579][26])|(?:[2468][048]|[13579][26])00)-02-29)T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?(?:Z|[+-][01]\d:[0-5]\d)";
use serde::{Deserialize, Serialize};

/// v0 `error`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "error")]
pub struct ErrorBody {
    /// 0..9999; see the README for the values.
    #[schemars(range(min = 0, max = 9999))]
    pub code: i32,
    /// Printable ASCII, at most 1000 characters.
    #[schemars(regex(pattern = r"^[ -~]*$"), length(max = 1000))]
    pub message: String,
}

/// v0 `inputRequest` (406): more about the user is needed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "inputRequest")]
pub struct InputRequest {
    /// Where the user can give it (a form of the twin's).
    #[schemars(regex(pattern = URL_PATTERN), length(min = 1, max = 1022))]
    pub url: String,
    /// The missing user fields, as JSON pointers.
    #[serde(default)]
    #[schemars(length(max = 100))]
    pub fields: Vec<String>,
}

/// v0 `objectReference`: what a create answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "objectReference")]
pub struct ObjectReference {
    /// The id (the user id, or the request id).
    #[schemars(regex(pattern = r"^[a-z0-9_-]{3,40}$"), length(max = 40))]
    pub id: String,
    /// Absolute URL of the resource.
    #[schemars(regex(pattern = URL_PATTERN), length(min = 1, max = 1022))]
    pub link: String,
}

/// v0 `userTokenRequest`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "userTokenRequest")]
pub struct UserTokenRequest {
    /// The URL (or path) the token will be used on.
    #[schemars(regex(pattern = URL_PATTERN), length(min = 1, max = 1022))]
    pub url: String,
    /// The method it will be used with.
    #[schemars(regex(pattern = r"^(GET|POST|PUT|PATCH|DELETE|OPTIONS|CONNECT)$"), length(min = 3, max = 6))]
    pub method: String,
}

/// v0 `userToken`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(rename = "userToken")]
pub struct UserToken {
    /// A single-use JWT for `x-pti-token`.
    #[schemars(
        regex(pattern = r"^[A-Za-z0-9-_=]+\.[A-Za-z0-9-_=]+\.?[A-Za-z0-9-_.+\/=]*$"),
        length(min = 128, max = 4096)
    )]
    pub access_token: String,
    /// Unix seconds.
    #[schemars(range(min = 1_200_000_000, max = 2_147_483_647), extend("type" = "number"))]
    pub expires_at: i64,
    /// Always `JWT`.
    #[schemars(regex(pattern = r"^JWT$"), length(max = 3))]
    pub token_type: String,
}

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

/// v0 `transactionFeedbackType`. The spec marks nothing required; `feedback` is, as in v1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(rename = "transactionFeedbackType")]
pub struct TransactionFeedback {
    /// What became of the transaction.
    pub feedback: Feedback,
    /// A transaction hash or other identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[A-Za-z0-9\-_]{3,256}$"), length(max = 256))]
    pub transaction_id: Option<String>,
    /// When (ISO-8601); now when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = DATE_TIME_PATTERN), length(max = 40))]
    pub date: Option<String>,
}

/// Every schema of this provider, by the file name it is published under in `schemas/pti/`
/// (the spec's component names).
pub fn schemas(generator: &mut schemars::SchemaGenerator) -> Vec<(&'static str, schemars::Schema)> {
    fn root<T: JsonSchema>(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        generator.clone().into_root_schema_for::<T>()
    }
    let mut references = generator.clone().into_root_schema_for::<Vec<ObjectReference>>();
    references.insert("title".into(), "objectReferences".into());
    vec![
        ("error", root::<ErrorBody>(generator)),
        ("objectReference", root::<ObjectReference>(generator)),
        ("objectReferences", references),
        ("userTokenRequest", root::<UserTokenRequest>(generator)),
        ("userToken", root::<UserToken>(generator)),
        ("kycNeeds", root::<KycNeeds>(generator)),
        ("kyc", root::<Kyc>(generator)),
        ("inputRequest", root::<InputRequest>(generator)),
        ("transactionFeedbackType", root::<TransactionFeedback>(generator)),
        ("kycWebhook", root::<KycEvent>(generator)),
        ("transactionMonitoringWebhook", root::<MonitoringEvent>(generator)),
        ("paymentProcessorWebhook", root::<PaymentEvent>(generator)),
    ]
}

/// KYC statuses a webhook can carry.
pub const KYC_EVENT_STATUSES: &[&str] =
    &["ACCEPTED", "REFUSED", "UNDER_REVIEW", "ERROR", "PENDING", "REQUESTED_MORE_INFORMATION"];
/// Transaction-monitoring statuses a webhook can carry.
pub const MONITORING_EVENT_STATUSES: &[&str] = &["ACCEPT", "MANUAL_REVIEW", "DENY", "ERROR", "PENDING"];
/// Payment statuses a webhook can carry.
pub const PAYMENT_EVENT_STATUSES: &[&str] =
    &["AUTHORIZED", "REFUSED", "ERROR", "PENDING", "CHARGED_BACK", "CANCELED", "REFUNDED", "CAPTURED", "SETTLED"];

/// Webhook: a KYC result (notes §5.4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "kycWebhook")]
pub struct KycEvent {
    /// Always `KYC`.
    #[schemars(regex(pattern = r"^KYC$"))]
    pub resource_type: String,
    /// The KYC's `x-pti-request-id`.
    pub request_id: String,
    /// The client.
    pub client_id: String,
    /// The user.
    pub user_id: String,
    /// PENDING first, then the result.
    #[schemars(extend("enum" = ["ACCEPTED", "REFUSED", "UNDER_REVIEW", "ERROR", "PENDING", "REQUESTED_MORE_INFORMATION"]))]
    pub status: String,
    /// The tier reached (an integer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<u32>,
    /// Why it was refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal_reason: Option<String>,
}

/// The detail code of a DENY.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct MonitoringDetail {
    /// FRAUD_SUSPICION, TRANSACTION_VELOCITY_VIOLATION, BLOCKED_JURISDICTION, GEO_FENCING_VIOLATION or SANCTION_SCREENING.
    pub compliance_provider_response_code: String,
}

/// Webhook: a transaction-monitoring result (notes §5.4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "transactionMonitoringWebhook")]
pub struct MonitoringEvent {
    /// Always `TRANSACTION_MONITORING`.
    #[schemars(regex(pattern = r"^TRANSACTION_MONITORING$"))]
    pub resource_type: String,
    /// The transaction's `x-pti-request-id`.
    pub request_id: String,
    /// The client.
    pub client_id: String,
    /// The initiating user.
    pub user_id: String,
    /// PENDING first, then ACCEPT, DENY or MANUAL_REVIEW.
    #[schemars(extend("enum" = ["ACCEPT", "MANUAL_REVIEW", "DENY", "ERROR", "PENDING"]))]
    pub status: String,
    /// The transaction's `date`.
    pub transaction_date: String,
    /// The transaction's `amount` (a number).
    pub amount: f64,
    /// The transaction's `type`.
    pub transaction_type: String,
    /// With DENY: why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_monitoring_result_detail: Option<MonitoringDetail>,
}

/// Card details of a payment update (PTI spells these keys in PascalCase).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PaymentInfos {
    /// Last four digits of the card.
    #[serde(rename = "CreditCardLast4Digits")]
    pub credit_card_last4_digits: String,
    /// The payment provider's reference.
    #[serde(rename = "PaymentProviderTransactionId")]
    pub payment_provider_transaction_id: String,
}

/// Why a payment was refused.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PaymentDetail {
    /// PTI_TECHNICAL_ERROR, PAYMENT_PROVIDER_DECLINED, FRAUD_SUSPICION...
    pub provider_response_code: String,
    /// ERROR, SOFT_DECLINE or HARD_DECLINE.
    #[schemars(extend("enum" = ["ERROR", "SOFT_DECLINE", "HARD_DECLINE"]))]
    pub provider_response_category: String,
}

/// Webhook: a payment-processing update of a fiat funding (notes §5.4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "paymentProcessorWebhook")]
pub struct PaymentEvent {
    /// Always `PAYMENT_PROCESSOR`.
    #[schemars(regex(pattern = r"^PAYMENT_PROCESSOR$"))]
    pub resource_type: String,
    /// The funding's `x-pti-request-id`.
    pub request_id: String,
    /// The client.
    pub client_id: String,
    /// The user.
    pub user_id: String,
    /// PENDING → AUTHORIZED → SETTLED, or REFUSED...
    #[schemars(extend("enum" = ["AUTHORIZED", "REFUSED", "ERROR", "PENDING", "CHARGED_BACK", "CANCELED", "REFUNDED", "CAPTURED", "SETTLED"]))]
    pub status: String,
    /// When (ISO-8601).
    pub date: String,
    /// Amount (a number).
    pub amount: f64,
    /// Fees (a number).
    pub fees: f64,
    /// ISO currency.
    pub currency: String,
    /// Always `FUNDING`.
    pub transaction_type: String,
    /// PAYPAL, TOKEN, BANK_ACCOUNT or ENCRYPTED_CREDIT_CARD.
    pub payment_method: String,
    /// Card details.
    pub additional_infos: PaymentInfos,
    /// With REFUSED: why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_status_detail: Option<PaymentDetail>,
}
