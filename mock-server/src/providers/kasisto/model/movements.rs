//! Kasisto's money movements: transfer and payment requests and their outcomes.

use super::*;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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
    /// date of transfer. The 1.0 Swagger's revisions disagree (2016: a date, 2017: a date-time);
    /// the twin takes either, so clients of both revisions pass.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("anyOf" = [{ "format": "date" }, { "format": "date-time" }]))]
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
