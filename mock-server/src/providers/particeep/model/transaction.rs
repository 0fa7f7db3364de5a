//! The Transaction and Payment modules' wire types: transactions, their statuses and payment
//! methods, card payments.

use super::*;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `PENDING`, `SUCCEEDED`, `REFUNDED`, `CANCELLED` or `FROZEN`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum TransactionStatus {
    /// Not paid yet (or a card payment in progress).
    Pending,
    /// Paid.
    Succeeded,
    /// Paid, then refunded.
    Refunded,
    /// Cancelled before payment.
    Cancelled,
    /// Blocked (never set by the twin; listed for the 2025 SDKs).
    Frozen,
}

/// How a transaction was paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PaymentMethod {
    /// From the issuer's wallet.
    Wallet,
    /// By card, on the payment page.
    CreditCard,
    /// By wire.
    DirectCashin,
}

/// The fields of a transaction a creation sets and an edition may change.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct TransactionFields {
    /// Fundraise id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fundraise_id: Option<String>,
    /// Fundraise type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fundraise_type: Option<String>,
    /// Item id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_id: Option<String>,
    /// Item type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_type: Option<String>,
    /// Comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Free tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// The integrator's own JSON object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom: Option<Value>,
}

/// A transaction: money owed by an issuer to a recipient, paid through `/v1/payment`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Transaction {
    /// UUID.
    pub id: String,
    /// Creation time.
    pub created_at: String,
    /// Who pays.
    pub issuer_id: String,
    /// `USER` or `ENTERPRISE`.
    pub issuer_type: OwnerType,
    /// Who is paid.
    pub recipient_id: String,
    /// `USER` or `ENTERPRISE`.
    pub recipient_type: OwnerType,
    /// Cents.
    pub amount: i64,
    /// Cents kept by the platform.
    pub fees: i64,
    /// ISO 4217.
    pub currency: String,
    /// Where it stands.
    pub status: TransactionStatus,
    /// How it was paid (once a payment started).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_method: Option<PaymentMethod>,
    /// Paid outside Particeep.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handled_offline: Option<bool>,
    /// The rest.
    #[serde(flatten)]
    pub fields: TransactionFields,
}

/// `PUT /v1/transaction`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct TransactionCreation {
    /// Who pays.
    pub issuer_id: String,
    /// `USER` or `ENTERPRISE`.
    pub issuer_type: OwnerType,
    /// Who is paid.
    pub recipient_id: String,
    /// `USER` or `ENTERPRISE`.
    pub recipient_type: OwnerType,
    /// Cents, more than 0.
    pub amount: i64,
    /// Cents kept by the platform (default 0, at most `amount`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fees: Option<i64>,
    /// ISO 4217 (default `EUR`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// The creation time to record (default now).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// The rest.
    #[serde(flatten)]
    pub fields: TransactionFields,
}

/// `POST /v1/payment/{id}`, `/credit-card/{id}`, `/cash-in/direct/{id}` (PaymentCbCreation).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct PaymentCbCreation {
    /// Where the payment page sends the payer after paying.
    pub accept_url: String,
    /// ... after a refusal.
    pub decline_url: String,
    /// ... while pending.
    pub pending_url: String,
    /// The payer's IP.
    pub owner_ip: String,
    /// Page language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
}

/// What a payment call answers.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct PayResult {
    /// The transaction after the call.
    pub transaction: Transaction,
    /// The payment page (card payments).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_url: Option<String>,
    /// Where to wire the money (direct cash-in).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_account: Option<CashInBankAccount>,
}

/// A recurrence of a transaction (the 2025 SDK's `RecurringTransaction`): from `start_at`, every
/// `frequency` days, `duration` times (forever without one), a new `PENDING` transaction like its
/// parent, for `amount`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct RecurringTransaction {
    /// UUID.
    pub id: String,
    /// Creation time.
    pub created_at: String,
    /// The parent transaction.
    pub transaction_id: String,
    /// Cents each occurrence owes.
    pub amount: i64,
    /// Days between occurrences (Particeep does not say the unit: our reading).
    pub frequency: i64,
    /// The first occurrence (the creation time when not given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_at: Option<String>,
    /// How many occurrences (unbounded when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<i64>,
}

/// `POST /v1/transaction/recurring/{transaction_id}` (`RecurringTransactionEdition`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RecurringTransactionEdition {
    #[serde(default)]
    pub amount: Option<i64>,
    #[serde(default)]
    pub frequency: Option<i64>,
    #[serde(default)]
    pub start_at: Option<String>,
    #[serde(default)]
    pub duration: Option<i64>,
}
