//! Taler authentication: `Authorization: Bearer secret-token:...` of the instance, with the
//! permission `instances-kyc-read`. The instance comes from the path, so this is a check the
//! handlers call once they know it (after a 404 for an unknown instance, as the backend resolves
//! the instance first), always before any long-poll wait.

use axum::http::HeaderMap;

use super::error::TalerError;
use super::Taler;

/// The permission the KYC endpoints need.
pub const KYC_READ: &str = "instances-kyc-read";

/// The bearer token sent, if any. The docs once wrote the header without `Bearer`; accept both.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get("authorization")?.to_str().ok()?.trim();
    Some(value.strip_prefix("Bearer ").map_or(value, str::trim))
}

/// 401 without a token of the instance; 403 when it lacks `permission` (`all` includes every one).
pub fn authorize(taler: &Taler, headers: &HeaderMap, instance: &str, permission: &str) -> Result<(), TalerError> {
    let token = bearer(headers).ok_or(TalerError::Unauthorized)?;
    let permissions = taler.store.permissions(instance, token).ok_or(TalerError::Unauthorized)?;
    if permissions.iter().any(|p| p == permission || p == "all") {
        Ok(())
    } else {
        Err(TalerError::PermissionInsufficient)
    }
}
