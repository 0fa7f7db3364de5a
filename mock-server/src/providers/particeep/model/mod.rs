//! Particeep's wire types, field names as Particeep's SDKs spell them (snake_case), and the schemas
//! generated from them. Optional fields are left out when absent.
//!
//! One file per Particeep module (`user.rs`, `wallet.rs`, ...); everything is re-exported here, so
//! `model::User` is the type wherever it is defined.

mod document;
mod kyc;
mod role;
mod sepa;
mod transaction;
mod user;
mod wallet;
mod webhook;

pub use document::*;
pub use kyc::*;
pub use role::*;
pub use sepa::*;
pub use transaction::*;
pub use user::*;
pub use wallet::*;
pub use webhook::*;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Event names the twin records (`<entity>_<past participle>`). Only `user_deleted` is published
/// by Particeep; the others follow its pattern and are the twin's (the README lists them).
pub const EVENTS: &[&str] = &[
    "user_created",
    "user_updated",
    "user_deleted",
    "user_password_changed",
    "webhook_created",
    "webhook_updated",
    "webhook_deleted",
    "wallet_created",
    "bank_account_created",
    "bank_account_updated",
    "transaction_wallet_created",
    "transaction_wallet_validated",
    "transaction_wallet_failed",
    "kyc_created",
    "kyc_updated",
    "kyc_ask_validation",
    "kyc_validated",
    "kyc_refused",
    "kyc_cancelled",
    "wallet_confirmed",
    "transaction_created",
    "transaction_updated",
    "transaction_cancelled",
    "transaction_deleted",
    "transaction_succeeded",
    "transaction_payment_failed",
    "transaction_refunded",
    "document_created",
    "document_updated",
    "document_deleted",
    "role_added",
    "role_removed",
    "user_email_changed",
    "transaction_paid",
    "transaction_payment_started",
];

/// The error body: `{hasError, errors}` (bare, or under `error` in the envelope).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    /// Whether an error is present.
    pub has_error: bool,
    /// The errors.
    pub errors: Vec<ErrorItem>,
}

/// One error.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ErrorItem {
    /// `error.<entity>.<reason>`: `error.user.none` is Particeep's; the rest of the catalogue is the
    /// twin's own (`error.api.authentication`, `error.user.email.exists`, `error.custom.not.object`...).
    pub technical_code: String,
    /// A human-readable message.
    pub message: String,
}

/// `meta` of the envelope.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Meta {
    /// The API version (`"1"`).
    pub version: String,
}

/// The documented envelope `{error, result, meta}` (consumers with `envelope: true`). On an error
/// `result` is `null` and `error` holds the error body (the document shows no enveloped error:
/// this is the twin's reading).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Envelope {
    /// `{hasError, errors}`.
    pub error: ErrorBody,
    /// The entity, list or page; `null` on an error.
    pub result: Value,
    /// `{version}`.
    pub meta: Meta,
}

/// `GET /v1/info`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Info {
    /// API version.
    pub version: String,
    /// Whether the `debug-*` headers are on for this consumer.
    pub debug_enable: bool,
    /// Whether the envelope (`meta`) is on for this consumer.
    pub meta_enable: bool,
}

/// A search page: `{total_size, data}`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Page<T> {
    /// How many match in all.
    pub total_size: usize,
    /// This page (`limit` from `offset`).
    pub data: Vec<T>,
}

/// Every schema file of `schemas/particeep/`.
pub fn schemas(generator: &mut schemars::SchemaGenerator) -> Vec<(&'static str, schemars::Schema)> {
    use crate::schemas::root;
    vec![
        ("ErrorBody", root::<ErrorBody>(generator)),
        ("Envelope", root::<Envelope>(generator)),
        ("Info", root::<Info>(generator)),
        ("UserCreation", root::<UserCreation>(generator)),
        ("User", root::<User>(generator)),
        ("UserPage", root::<Page<User>>(generator)),
        ("UserData2022", root::<UserData2022>(generator)),
        ("UserData2022Page", root::<Page<UserData2022>>(generator)),
        ("UserData2025", root::<UserData2025>(generator)),
        ("UserData2025Page", root::<Page<UserData2025>>(generator)),
        ("Credentials", root::<Credentials>(generator)),
        ("PasswordChange", root::<PasswordChange>(generator)),
        ("WebHook", root::<WebHook>(generator)),
        ("WebHookCreation", root::<WebHookCreation>(generator)),
        ("EmailChange", root::<EmailChange>(generator)),
        ("WalletCreation", root::<WalletCreation>(generator)),
        ("Wallet", root::<Wallet>(generator)),
        ("CashIn", root::<CashIn>(generator)),
        ("CashOut", root::<CashOut>(generator)),
        ("WalletTransfer", root::<WalletTransfer>(generator)),
        ("TransactionWallet", root::<TransactionWallet>(generator)),
        ("TransactionWalletFeesOpt", root::<TransactionWalletFeesOpt>(generator)),
        ("SddMandate", root::<SddMandate>(generator)),
        ("RecurringTransaction", root::<RecurringTransaction>(generator)),
        ("TransactionWalletPage", root::<Page<TransactionWallet>>(generator)),
        ("BankAccountCreation", root::<BankAccountCreation>(generator)),
        ("BankAccount", root::<BankAccount>(generator)),
        ("WireCashIn", root::<WireCashIn>(generator)),
        ("CashInBankAccount", root::<CashInBankAccount>(generator)),
        ("KycCreation", root::<KycCreation>(generator)),
        ("KycsEdition", root::<KycsEdition>(generator)),
        ("KycGroups", root::<Vec<KycGroup>>(generator)),
        ("TransactionCreation", root::<TransactionCreation>(generator)),
        ("Transaction", root::<Transaction>(generator)),
        ("TransactionPage", root::<Page<Transaction>>(generator)),
        ("PaymentCbCreation", root::<PaymentCbCreation>(generator)),
        ("PayResult", root::<PayResult>(generator)),
        ("Document", root::<Document>(generator)),
        ("DocumentPage", root::<Page<Document>>(generator)),
        ("DocumentEdition", root::<DocumentEdition>(generator)),
        ("Roles", root::<Roles>(generator)),
        ("RolesPage", root::<Page<Roles>>(generator)),
        ("RoleTarget", root::<RoleTarget>(generator)),
        ("RoleAssignment", root::<RoleAssignment>(generator)),
    ]
}

/// Whether `custom` (when present) is a JSON object.
pub fn custom_is_object(custom: Option<&Value>) -> bool {
    custom.is_none_or(Value::is_object)
}
