//! The Webhook module's wire types: a registered webhook and its creation.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A registered webhook.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct WebHook {
    /// UUID.
    pub id: String,
    /// Creation time.
    pub created_at: String,
    /// The event name (`user_deleted`...): one URL per name.
    pub name: String,
    /// Where the event is POSTed.
    pub url: String,
}

/// `PUT /v1/webhook`, `POST /v1/webhook/{id}`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct WebHookCreation {
    /// The event name.
    pub name: String,
    /// Where to POST it.
    pub url: String,
}
