//! The KYC module's wire types: KYC groups, their documents and statuses.

use super::*;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// KYC group status, in lifecycle order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum KycStatus {
    /// Documents being attached.
    Created,
    /// Sent for validation.
    AskValidation,
    /// Accepted.
    Validated,
    /// Refused (see each document's `refusal_reason`).
    Refused,
    /// Withdrawn by the owner.
    Cancelled,
}

/// Who a KYC is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum KycUserType {
    /// A person.
    Natural,
    /// A company.
    Legal,
    /// A sole trader.
    SelfEmployed,
    /// An association.
    Association,
}

/// `PUT /v1/kycs`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct KycCreation {
    /// The owner (it must have a wallet: the Kyc module depends on Wallet).
    pub owner_id: String,
    /// `USER` or `ENTERPRISE`.
    pub owner_type: OwnerType,
    /// Which documents are required.
    pub user_type: KycUserType,
    /// The caller's IP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_ip: Option<String>,
}

/// One document type's files, as attached by `POST /v1/kycs`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct KycDocInput {
    /// `ID_CARD`, `ADDRESS_PROOF`, ... (see `KycType`).
    pub doc_type: String,
    /// Files by URL (2022 SDKs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urls: Option<Vec<String>>,
    /// Ids of uploaded Documents of the owner (2025 SDKs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs_ids: Option<Vec<String>>,
}

/// `POST /v1/kycs` (KycsEdition): attach documents while the group is `CREATED` (or `REFUSED`,
/// to resubmit).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct KycsEdition {
    /// The owner.
    pub owner_id: String,
    /// `USER` or `ENTERPRISE`.
    pub owner_type: OwnerType,
    /// The caller's IP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_ip: Option<String>,
    /// Documents per type; a type sent again replaces its files.
    pub docs: Vec<KycDocInput>,
}

/// One document of a KYC group.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Kyc {
    /// `ID_CARD`, `ADDRESS_PROOF`, ...
    pub doc_type: String,
    /// The document's own status (2025 SDKs).
    pub status: KycStatus,
    /// When first attached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// When last changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_at: Option<String>,
    /// Why it was refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal_reason: Option<String>,
    /// The refusal, for a person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal_message: Option<String>,
    /// Files by URL.
    pub urls: Vec<String>,
    /// Uploaded Documents.
    pub docs_ids: Vec<String>,
}

/// A KYC group: one owner's documents and the group's status.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct KycGroup {
    /// The owner.
    pub owner_id: String,
    /// `USER` or `ENTERPRISE`.
    pub owner_type: OwnerType,
    /// Which documents are required.
    pub user_type: KycUserType,
    /// Where the group stands.
    pub status: KycStatus,
    /// Every required document type (empty `urls` and `docs_ids` until attached), then any extra.
    pub docs: Vec<Kyc>,
}
