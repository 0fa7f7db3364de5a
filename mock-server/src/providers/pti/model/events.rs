//! The bodies of PTI v0's webhooks: KYC, transaction monitoring and payment events.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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
    /// Last four digits of the card, when the funding gave them (`creditCardLast4`).
    #[serde(rename = "CreditCardLast4Digits", default, skip_serializing_if = "Option::is_none")]
    pub credit_card_last4_digits: Option<String>,
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

/// Webhook: a user's status changed (only PTI staff change it; the admin API here). The same
/// message in v0 and v1 (the v1 guide's "User Status Update").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "userWebhook")]
pub struct UserStatusEvent {
    /// Always `USER`.
    #[schemars(regex(pattern = r"^USER$"))]
    pub resource_type: String,
    /// The client.
    pub client_id: String,
    /// The user.
    pub user_id: String,
    /// ACTIVE, INACTIVE or BLOCKED.
    #[schemars(extend("enum" = ["ACTIVE", "INACTIVE", "BLOCKED"]))]
    pub status: String,
    /// Why, when PTI says (FRAUD_SUSPICION, COMPLIANCE_FLAG...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    /// When (ISO-8601).
    pub date: String,
}
