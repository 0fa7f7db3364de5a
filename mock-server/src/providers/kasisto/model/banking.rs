//! What Kasisto reads of a bank: the customer, accounts, transactions, merchants, categories and
//! payees, and the requests that ask for them.

use super::*;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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
    /// Date of transaction. The 1.0 Swagger's revisions disagree (2016: a date, 2017: a
    /// date-time); the twin sends a date and its contract takes either.
    #[serde(default)]
    #[schemars(extend("anyOf" = [{ "format": "date" }, { "format": "date-time" }]))]
    pub transaction_date: String,
    /// Date of transaction (a date or a date-time, as `transaction_date`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("anyOf" = [{ "format": "date" }, { "format": "date-time" }]))]
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
