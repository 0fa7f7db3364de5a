//! Kasisto Integration API 1.0 wire format: the request and response bodies, exactly as named in
//! the 2016 Swagger (`definitions`), plus the 2017 `error_response` with 1.3's `otp_details`.
//!
//! Schema notes (they end up in `schemas/kasisto/`): the 1.0 spec marks no response field as
//! required. Our contract requires only what a Kasisto client needs to go on (ids, tokens,
//! statuses); every other field is optional, as in the spec. Absent optional fields are omitted,
//! never sent as `null`.
//!
//! One file per area (`session.rs`, `banking.rs`, `movements.rs`), re-exported here.

mod banking;
mod movements;
mod session;

pub use banking::*;
pub use movements::*;
pub use session::*;

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
