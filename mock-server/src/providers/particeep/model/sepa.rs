//! Particeep's SEPA direct-debit mandates, as the 2025 SDK's `WalletSepaClient` reads and sends them.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A SEPA direct-debit mandate of a wallet (the 2025 SDK's `SddMandate`).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[allow(missing_docs)]
pub struct SddMandate {
    pub id: String,
    pub created_at: String,
    pub holder: String,
    pub bic: String,
    pub iban: String,
    pub street: String,
    pub zip: String,
    pub city: String,
    pub country: String,
    pub wallet_id: String,
    /// `PENDING` until signed, then `VALIDATED`; `REFUSED` once removed.
    pub status: String,
    /// A business-to-business mandate (the twin makes consumer ones; the 2025 model reads the
    /// field, so it is always sent).
    #[serde(default)]
    pub is_b2b: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
}

/// `PUT /v1/wallet/{id}/sepa` (`SddMandateCreation`).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[allow(missing_docs)]
pub struct SddMandateCreation {
    pub owner_ip: String,
    pub holder: String,
    pub bic: String,
    pub iban: String,
    pub street: String,
    pub zip: String,
    pub city: String,
    pub country: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mandate_language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
}
