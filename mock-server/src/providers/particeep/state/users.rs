//! Particeep users and their password hashes.

use super::*;
use crate::providers::particeep::error::{code, ParticeepError};
use sha2::{Digest, Sha256};

/// Salted hash of a password.
pub fn password_hash(user_id: &str, password: &str) -> String {
    let digest = Sha256::digest(format!("fintwin-particeep:{user_id}:{password}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A user of the consumer, or 404 `error.user.none`.
pub fn user<'a>(consumer: &'a mut ConsumerData, id: &str) -> Result<&'a mut StoredUser, ParticeepError> {
    consumer
        .users
        .get_mut(id)
        .ok_or_else(|| ParticeepError::not_found(code::USER_NONE, format!("no user with id {id}")))
}

impl ConsumerData {
    /// Checks an owner reference: a `USER` must be a user of the consumer; other types are taken
    /// on trust (the twin has no Enterprise module).
    pub fn check_owner(&mut self, owner_id: &str, owner_type: &str) -> Result<(), ParticeepError> {
        if owner_type.trim().is_empty() {
            return Err(ParticeepError::bad_request(code::OWNER_TYPE_INVALID, "`owner_type` must not be empty"));
        }
        if owner_type.eq_ignore_ascii_case("USER") {
            user(self, owner_id)?;
        }
        Ok(())
    }
}
