//! The Role module's wire types: roles, their targets and assignments.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One role a user holds.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Role {
    /// UUID.
    pub id: String,
    /// Creation time.
    pub created_at: String,
    /// One of `GET /v1/role/all`.
    pub role_name: String,
    /// What the role is on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_id: Option<String>,
    /// Its type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_type: Option<String>,
    /// Free tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
}

/// A user's roles.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Roles {
    /// The user.
    pub user_id: String,
    /// Its roles.
    pub roles: Vec<Role>,
}

/// `PUT /v1/role/{user_id}/add/{role}` (the body may be empty).
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct RoleTarget {
    /// What the role is on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_id: Option<String>,
    /// Its type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_type: Option<String>,
}

/// One item of `PUT /v1/role`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct RoleAssignment {
    /// Ignored (the twin assigns ids).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The user.
    pub user_id: String,
    /// One of `GET /v1/role/all`.
    pub role_name: String,
    /// What the role is on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_id: Option<String>,
    /// Its type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_type: Option<String>,
    /// Free tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
}
