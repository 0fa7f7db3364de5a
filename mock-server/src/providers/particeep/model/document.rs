//! The Document module's wire types: a stored document and its edition.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// An uploaded file (`FILE`) or a folder (`FOLDER`).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Document {
    /// UUID.
    pub id: String,
    /// Creation time.
    pub created_at: String,
    /// The user who owns it.
    pub owner_id: String,
    /// What it is attached to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_id: Option<String>,
    /// `USER`, `ENTERPRISE`, `FUNDRAISE`...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_type: Option<String>,
    /// File name.
    pub name: String,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// MIME type of the upload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// Folder path (`/` by default).
    pub path: String,
    /// `FILE` or `FOLDER`.
    pub doc_type: String,
    /// Size in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// Whether it is locked.
    pub locked: bool,
    /// `public` or `private` (the 2025 SDK's `Scope`, required in its model since 2024-01;
    /// `private` unless the upload says otherwise).
    #[serde(default = "private_scope")]
    pub scope: String,
    /// The folder it is in, when it was uploaded into one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folder_id: Option<String>,
    /// Free tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// The integrator's own JSON object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom: Option<Value>,
}

/// `POST /v1/document/{id}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct DocumentEdition {
    /// New name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// New description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// New tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// New `custom` (replaces the old one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom: Option<Value>,
}

fn private_scope() -> String {
    "private".into()
}
