//! Kasisto Integration API 1.0 wire format: the request and response bodies, exactly as named in
//! the 2016 Swagger (`definitions`), plus the 2017 `error_response` with 1.3's `otp_details`.
//!
//! Schema notes (they end up in `schemas/kasisto/`): the 1.0 spec marks no response field as
//! required. Our contract requires only what a Kasisto client needs to go on (ids, tokens,
//! statuses); every other field is optional, as in the spec. Absent optional fields are omitted,
//! never sent as `null`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Name/value pair of optional application data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "meta_field")]
pub struct MetaField {
    /// Name of data field
    pub name: String,
    /// Value of data field
    pub value: String,
}

impl MetaField {
    /// A pair from anything string-like.
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Self { name: name.into(), value: value.into() }
    }
}

/// Body of `POST /token`: the customer's online-banking credentials.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "token_credentials")]
pub struct TokenCredentials {
    /// Login name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

/// 200 body of `POST /token`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "token_response")]
pub struct TokenResponse {
    /// The customer the token belongs to.
    pub user_id: String,
    /// Value for the `token` header of later calls.
    pub token: String,
}

/// Body of `POST /validate_otp`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "validate_otp_request")]
pub struct ValidateOtpRequest {
    /// Must be the token's customer when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// The one-time password the customer received.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub otp: Option<String>,
}

/// 200 body of `POST /validate_otp`: a new token carrying the step-up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "validate_otp_response")]
pub struct ValidateOtpResponse {
    /// The customer the token belongs to.
    pub user_id: String,
    /// The new token; retry the call that answered 450 with it.
    pub token: String,
}

/// Body of `POST /customer`, `/merchants`, `/categories` and `/payees`: whose data.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "customer_request")]
pub struct UserRequest {
    /// Must be the token's customer when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
}

/// 200 body of `POST /customer`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "customer")]
pub struct Customer {
    /// The customer's id.
    pub user_id: String,
    /// Full name.
    #[serde(default)]
    pub full_name: String,
    /// First name.
    #[serde(default)]
    pub first_name: String,
    /// Last name.
    #[serde(default)]
    pub last_name: String,
    /// Optional data if needed for application
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Vec<MetaField>>,
}

/// Body of `POST /accounts`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "accounts_request")]
pub struct AccountsRequest {
    /// Must be the token's customer when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// Only this account (an empty list when the customer has no such account).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
}

/// Kind of account.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
// Variant docs would become descriptions in the published schema (and turn its `enum` list into
// a `oneOf`): the wire values name themselves.
#[allow(missing_docs)]
pub enum AccountType {
    Cd,
    Checking,
    CreditCard,
    Heloc,
    Ira,
    Investment,
    Loc,
    Loan,
    MoneyMarket,
    Mortgage,
    OverdraftProtection,
    Sloc,
    Savings,
    Wire,
    #[default]
    Unspecified,
}

impl AccountType {
    /// Accounts whose spendable money is a credit line rather than a balance.
    pub fn is_credit(self) -> bool {
        matches!(self, Self::CreditCard | Self::Heloc | Self::Loc | Self::Sloc | Self::OverdraftProtection)
    }
}

/// One account, as `POST /accounts` lists them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "account")]
pub struct Account {
    /// internal ID used by bank for transaction search API
    pub account_id: String,
    /// number used by kasisto - may be masked
    #[serde(default)]
    pub account_number: String,
    /// account name or nickname
    #[serde(default)]
    pub account_name: String,
    /// checking,savings,loan,credit_card
    #[serde(default)]
    pub account_type: AccountType,
    /// currency of amounts (USD, etc.)
    #[serde(default)]
    pub currency_code: String,
    /// Money the customer can spend now.
    #[serde(default)]
    #[schemars(extend("format" = "float"))]
    pub available_balance: f64,
    /// Ledger balance.
    #[serde(default)]
    #[schemars(extend("format" = "float"))]
    pub current_balance: f64,
    /// (for credit_card only)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "float"))]
    pub available_credit: Option<f64>,
    /// (for credit_card and loan)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub payment_due_date: Option<String>,
    /// (for credit_card and loan)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "float"))]
    pub payment_due_amount: Option<f64>,
    /// Interest rate if applicable
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "float"))]
    pub interest_rate: Option<f64>,
    /// Optional data if needed for application
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Vec<MetaField>>,
}

/// Body of `POST /transactions`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "transaction_criteria")]
pub struct TransactionCriteria {
    /// Must be the token's customer when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// Only these accounts (all the customer's when absent or empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_ids: Option<Vec<String>>,
    /// At most this many transactions, newest first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<i32>,
}

/// Kind of transaction.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
// Variant docs would become descriptions in the published schema (and turn its `enum` list into
// a `oneOf`): the wire values name themselves.
#[allow(missing_docs)]
pub enum TransactionType {
    Atm,
    Cash,
    Check,
    CheckDeposit,
    Credit,
    Debit,
    Fee,
    Dividend,
    Interest,
    #[default]
    Unspecified,
}

/// Status of a transaction.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
// Variant docs would become descriptions in the published schema (and turn its `enum` list into
// a `oneOf`): the wire values name themselves.
#[allow(missing_docs)]
pub enum TransactionStatus {
    Posted,
    Pending,
    Cancelled,
    #[default]
    Unspecified,
}

/// One transaction, as `POST /transactions` lists them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "transaction")]
pub struct Transaction {
    /// ID of account transaction is from
    pub account_id: String,
    /// ID of this transaction
    pub transaction_id: String,
    /// Description of transaction
    #[serde(default)]
    pub description: String,
    /// Type of transaction
    #[serde(default)]
    pub transaction_type: TransactionType,
    /// Amount of transaction (can be positive or negative)
    #[serde(default)]
    #[schemars(extend("format" = "float"))]
    pub amount: f64,
    /// Currency type of the amount
    #[serde(default)]
    pub currency_code: String,
    /// Category of transaction if provided
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Status of transaction
    #[serde(default)]
    pub status: TransactionStatus,
    /// Check number of transaction is a check
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_number: Option<i32>,
    /// Date of transaction
    #[serde(default)]
    #[schemars(extend("format" = "date"))]
    pub transaction_date: String,
    /// Date of transaction
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub post_date: Option<String>,
    /// Optional data if needed for application
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Vec<MetaField>>,
}

/// A merchant, as `POST /merchants` lists them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "merchant")]
pub struct Merchant {
    /// ID of merchant
    pub merchant_id: String,
    /// Name of merchant
    #[serde(default)]
    pub name: String,
    /// Optional alternative names for this merchant
    #[serde(default)]
    pub alias: Vec<String>,
}

/// A transaction category, as `POST /categories` lists them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "category")]
pub struct Category {
    /// ID of transaction category
    pub category_id: String,
    /// Name of transaction category
    #[serde(default)]
    pub name: String,
    /// Optional alternative names for this category
    #[serde(default)]
    pub alias: Vec<String>,
}

/// A payee, as `POST /payees` lists them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "payee")]
pub struct Payee {
    /// ID of payee
    pub payee_id: String,
    /// Name of payee
    #[serde(default)]
    pub name: String,
    /// Optional alternative names for this payee
    #[serde(default)]
    pub alias: Vec<String>,
}

/// Body of `POST /transfer`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "transfer_request")]
pub struct TransferRequest {
    /// source account of transfer
    pub source_account_id: String,
    /// destination account of transfer
    pub dest_account_id: String,
    /// amount of transfer
    #[schemars(extend("format" = "float"))]
    pub amount: f64,
    /// currency of amounts (USD, etc.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency_code: Option<String>,
    /// date of transfer
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub date: Option<String>,
}

/// Outcome of a transfer or payment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
// Variant docs would become descriptions in the published schema (and turn its `enum` list into
// a `oneOf`): the wire values name themselves.
#[allow(missing_docs)]
pub enum MovementStatus {
    Processed,
    Pending,
    Cancelled,
    Failed,
    #[default]
    Unspecified,
}

/// 200 body of `POST /transfer`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "transfer")]
pub struct Transfer {
    /// The transfer's id.
    pub transfer_id: String,
    /// Reference to show the customer.
    #[serde(default)]
    pub reference_number: String,
    /// `processed`, or `failed` with the reason in `meta` (`reason`).
    pub status: MovementStatus,
    /// Optional data if needed for application
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Vec<MetaField>>,
}

/// Body of `POST /payment`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "payment_request")]
pub struct PaymentRequest {
    /// source account of payment
    pub source_account_id: String,
    /// destination payee of payment
    pub payee_id: String,
    /// amount of transfer
    #[schemars(extend("format" = "float"))]
    pub amount: f64,
    /// currency of amounts (USD, etc.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency_code: Option<String>,
    /// date of payment
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub date: Option<String>,
}

/// 200 body of `POST /payment`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "payment")]
pub struct Payment {
    /// The payment's id.
    pub payment_id: String,
    /// Reference to show the customer.
    #[serde(default)]
    pub reference_number: String,
    /// `processed`, or `failed` with the reason in `meta` (`reason`).
    pub status: MovementStatus,
    /// Optional data if needed for application
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Vec<MetaField>>,
}

/// Body of every non-200 answer (the 2017 revision's `error_response`, with 1.3's `otp_details`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "error_response")]
pub struct ErrorResponse {
    /// Machine-readable reason, one of the codes the README lists (`access_denied`, `otp_required`...).
    pub code: String,
    /// Human-readable explanation.
    #[serde(default)]
    pub message: String,
    /// On 450: where the one-time password was sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub otp_details: Option<String>,
    /// Optional data if needed for application
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Vec<MetaField>>,
}

/// Every schema of this provider, by the file name it is published under in `schemas/kasisto/`.
pub fn schemas(generator: &mut schemars::SchemaGenerator) -> Vec<(&'static str, schemars::Schema)> {
    use crate::schemas::root;
    fn list<T: JsonSchema>(generator: &mut schemars::SchemaGenerator, title: &str) -> schemars::Schema {
        let mut schema = generator.clone().into_root_schema_for::<Vec<T>>();
        schema.insert("title".into(), title.into());
        schema
    }
    vec![
        ("token_credentials", root::<TokenCredentials>(generator)),
        ("token_response", root::<TokenResponse>(generator)),
        ("validate_otp_request", root::<ValidateOtpRequest>(generator)),
        ("validate_otp_response", root::<ValidateOtpResponse>(generator)),
        ("customer_request", root::<UserRequest>(generator)),
        ("customer", root::<Customer>(generator)),
        ("accounts_request", root::<AccountsRequest>(generator)),
        ("account", root::<Account>(generator)),
        ("accounts_response", list::<Account>(generator, "accounts_response")),
        ("transaction_criteria", root::<TransactionCriteria>(generator)),
        ("transaction", root::<Transaction>(generator)),
        ("transactions_response", list::<Transaction>(generator, "transactions_response")),
        ("merchants_request", renamed(root::<UserRequest>(generator), "merchants_request")),
        ("merchant", root::<Merchant>(generator)),
        ("merchants_response", list::<Merchant>(generator, "merchants_response")),
        ("categories_request", renamed(root::<UserRequest>(generator), "categories_request")),
        ("category", root::<Category>(generator)),
        ("categories_response", list::<Category>(generator, "categories_response")),
        ("payees_request", renamed(root::<UserRequest>(generator), "payees_request")),
        ("payee", root::<Payee>(generator)),
        ("payees_response", list::<Payee>(generator, "payees_response")),
        ("transfer_request", root::<TransferRequest>(generator)),
        ("transfer", root::<Transfer>(generator)),
        ("payment_request", root::<PaymentRequest>(generator)),
        ("payment", root::<Payment>(generator)),
        ("meta_field", root::<MetaField>(generator)),
        ("error_response", root::<ErrorResponse>(generator)),
    ]
}

fn renamed(mut schema: schemars::Schema, title: &str) -> schemars::Schema {
    schema.insert("title".into(), title.into());
    schema
}
