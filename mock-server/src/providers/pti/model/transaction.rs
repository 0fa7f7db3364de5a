//! PTI v0's transactions: the logged or funded transaction, its payment method, and feedback.

use super::*;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Feedback values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
// Variant docs would become descriptions in the published schema (and turn its `enum` list into
// a `oneOf`): the wire values name themselves.
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
#[schemars(rename = "transactionFeedbackType", extend("required" = ["feedback"]))]
pub struct TransactionFeedback {
    /// What became of the transaction. PTI's spec requires nothing in this body, so the twin takes
    /// one without it (recorded with no feedback); our contract requires it, as v1's does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Feedback")]
    pub feedback: Option<Feedback>,
    /// A transaction hash or other identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[A-Za-z0-9\-_]{3,256}$"), length(max = 256))]
    pub transaction_id: Option<String>,
    /// When (ISO-8601); now when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = DATE_TIME_PATTERN), length(max = 40))]
    pub date: Option<String>,
}

/// A fiat payment method.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "paymentMethod")]
pub struct PaymentMethod {
    /// FIAT, TOKEN or WALLET.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[A-Z]+(?:_[A-Z]+)*$"))]
    pub payment_method_type: Option<String>,
    /// ISO currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^([A-Za-z]{3})$"), length(max = 3))]
    pub currency: Option<String>,
    /// oneOfPaymentInformation (`type` ENCRYPTED_CREDIT_CARD, PAYPAL, BANK_ACCOUNT, TOKEN...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_information: Option<serde_json::Value>,
}

/// v0 `oneOfTransactionSubTypes` and `fiatFundingTransaction`: the base `transaction` fields
/// plus the sub-types' (`type` is required for transaction logs, checked by the handler).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "transaction")]
pub struct Transaction {
    /// FUNDING, WITHDRAWAL, TRANSFER, SELL, BUY, MINT or SWAP.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[A-Z]+(?:_[A-Z]+)*$"), length(max = 100))]
    pub kind: Option<String>,
    /// The request id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = UUID_LIKE), length(max = 64))]
    pub request_id: Option<String>,
    /// Groups transactions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = UUID_LIKE), length(max = 64))]
    pub transaction_group_id: Option<String>,
    /// The client's own client, in a multi-tenant system.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = UUID_LIKE), length(max = 64))]
    pub sub_client_id: Option<String>,
    /// The client's status of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = PRINTABLE), length(max = 64))]
    pub status: Option<String>,
    /// USD value: drives the KYC tier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 999_999))]
    pub usd_value: Option<f64>,
    /// Amount.
    #[schemars(range(min = 1, max = 999_999))]
    pub amount: f64,
    /// When (ISO-8601 with an offset).
    #[schemars(regex(pattern = DATE_TIME_PATTERN), length(max = 40))]
    pub date: String,
    /// Who initiates it (at least `{id, type}`).
    pub initiator: User,
    /// PTI's meta data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pti_meta: Option<serde_json::Map<String, serde_json::Value>>,
    /// The client's meta data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_meta: Option<serde_json::Map<String, serde_json::Value>>,
    /// Fee, total and subtotal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_total: Option<serde_json::Value>,
    /// Where the money comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_method: Option<PaymentMethod>,
    /// Where the money goes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination_method: Option<PaymentMethod>,
    /// TRANSFER: from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_transfer_method: Option<serde_json::Value>,
    /// TRANSFER: to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination_transfer_method: Option<serde_json::Value>,
    /// TRANSFER and MINT: the receiving user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination: Option<User>,
    /// BUY and SELL: the asset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asset: Option<serde_json::Value>,
    /// BUY: the seller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seller: Option<User>,
    /// SELL: the buyer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buyer: Option<User>,
}
