//! PTI users: created, read, replaced and patched as the v0 spec says, and their status as PTI
//! staff set it.

use super::*;
use crate::providers::pti::error::{PtiError, PtiErrorKind};
use serde_json::Value;
use std::collections::BTreeMap;

/// What the published `user` schema (checked first, by the handler) cannot say: a BUSINESS needs
/// its main representative. Also drops `status` and `statusReason`, which the API ignores.
pub fn check_user(mut user: Value, path: &str) -> Result<Value, PtiError> {
    let object = user
        .as_object_mut()
        .ok_or_else(|| PtiError::new(PtiErrorKind::InvalidRequest, format!("{path}: a user is a JSON object")))?;
    if object.get("type").and_then(Value::as_str) == Some("BUSINESS") && object.get("mainRepresentative").is_none() {
        return Err(PtiError::new(
            PtiErrorKind::InvalidRequest,
            format!("{path}.mainRepresentative is required for a BUSINESS"),
        ));
    }
    // "The status cannot be set via API calls that create or update users ... silently ignored."
    object.remove("status");
    object.remove("statusReason");
    Ok(user)
}

/// Merges `patch` into `target` (RFC 7396).
pub(super) fn merge(target: &mut Value, patch: &Value) {
    match (target, patch) {
        (Value::Object(target), Value::Object(patch)) => {
            for (key, value) in patch {
                if value.is_null() {
                    target.remove(key);
                } else {
                    merge(target.entry(key.clone()).or_insert(Value::Null), value);
                }
            }
        }
        (target, patch) => *target = patch.clone(),
    }
}

impl PtiStore {
    /// `POST /users` (v0 or v1): 409 when the id exists.
    pub fn create_user(&self, client_id: &str, user: Value, api: Api) -> Result<String, PtiError> {
        let id = user.get("id").and_then(Value::as_str).unwrap_or_default().to_owned();
        let mut data = self.lock();
        let user_key = key(client_id, &id);
        if data.users.contains_key(&user_key) {
            return Err(PtiError::new(PtiErrorKind::UserExists, format!("User already exist: {id}")));
        }
        data.users.insert(
            user_key,
            UserRecord {
                user,
                status: "ACTIVE".into(),
                kyc_tier: 0,
                latest_kyc: None,
                cumulative_usd: BTreeMap::new(),
                api,
                created_at: Some(chrono::Utc::now()),
            },
        );
        Ok(id)
    }

    /// `GET /users`.
    pub fn user_ids(&self, client_id: &str) -> Vec<String> {
        let prefix = format!("{client_id}/");
        self.lock().users.keys().filter_map(|k| k.strip_prefix(&prefix).map(str::to_owned)).take(1000).collect()
    }

    /// `GET /users/{id}`.
    pub fn user(&self, client_id: &str, user_id: &str) -> Result<Value, PtiError> {
        let data = self.lock();
        let record = data.users.get(&key(client_id, user_id)).ok_or_else(|| unknown_user(user_id))?;
        let mut user = record.user.clone();
        if let Some(object) = user.as_object_mut() {
            object.insert("status".into(), Value::from(record.status.clone()));
        }
        Ok(user)
    }

    /// `PUT /users` (replace) or `PATCH /users` (merge), by the body's id.
    pub fn update_user(&self, client_id: &str, user: Value, replace: bool) -> Result<String, PtiError> {
        let id = user.get("id").and_then(Value::as_str).unwrap_or_default().to_owned();
        let mut data = self.lock();
        let record = data.users.get_mut(&key(client_id, &id)).ok_or_else(|| unknown_user(&id))?;
        if replace {
            record.user = user;
        } else {
            let mut merged = record.user.clone();
            merge(&mut merged, &user);
            record.user = check_user(merged, "user")?;
        }
        Ok(id)
    }

    /// Changes a user's status (admin only, as with PTI staff); the `USER` webhook to send.
    pub fn set_user_status(
        &self,
        client_id: &str,
        user_id: &str,
        status: &str,
        reason: Option<String>,
    ) -> Result<Event, String> {
        let mut data = self.lock();
        let record = data.users.get_mut(&key(client_id, user_id)).ok_or_else(|| format!("no user {user_id}"))?;
        record.status = status.to_owned();
        Ok(user_status_event(client_id, user_id, record, reason))
    }

    /// The user, if it exists and may act (404 otherwise, 403 when PTI staff have blocked it).
    pub(super) fn active_user<'a>(
        data: &'a mut PtiData,
        client_id: &str,
        user_id: &str,
    ) -> Result<&'a mut UserRecord, PtiError> {
        let record = data.users.get_mut(&key(client_id, user_id)).ok_or_else(|| unknown_user(user_id))?;
        if record.status != "ACTIVE" {
            return Err(PtiError::new(PtiErrorKind::UserNotActive, format!("user {user_id} is {}", record.status)));
        }
        Ok(record)
    }
}

pub(super) fn unknown_user(user_id: &str) -> PtiError {
    PtiError::new(PtiErrorKind::UnknownUser, format!("User not found: {user_id}"))
}
