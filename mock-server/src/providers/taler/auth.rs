//! Taler authentication: `Authorization: Bearer secret-token:...` of the instance, with the
//! permission `instances-kyc-read`, as extractors ([`KycReader`], [`AdminKycReader`]) that read the
//! instance from the path: a 404 for an unknown instance first (the backend resolves the instance
//! before it authenticates), then 401/403, always before any long-poll wait.

use std::sync::Arc;

use axum::extract::{FromRequestParts, OptionalFromRequestParts, Path};
use axum::http::request::Parts;
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

/// A caller admitted to read an instance's KYC and accounts: the instance of the path (the default
/// instance where the path names none), authenticated with that instance's token.
#[derive(Debug, Clone)]
pub struct KycReader {
    /// The instance read.
    pub instance: String,
}

/// A caller admitted to the management API's KYC of an instance: the instance of the path,
/// authenticated with the default (admin) instance's token.
#[derive(Debug, Clone)]
pub struct AdminKycReader {
    /// The instance read.
    pub instance: String,
}

impl FromRequestParts<Arc<Taler>> for KycReader {
    type Rejection = TalerError;

    async fn from_request_parts(parts: &mut Parts, taler: &Arc<Taler>) -> Result<Self, TalerError> {
        let instance = match path_instance(parts, taler).await? {
            Some(instance) => instance,
            None => taler.store.config().default_instance.clone(),
        };
        admit(taler, &parts.headers, &instance, &instance)?;
        Ok(Self { instance })
    }
}

impl FromRequestParts<Arc<Taler>> for AdminKycReader {
    type Rejection = TalerError;

    async fn from_request_parts(parts: &mut Parts, taler: &Arc<Taler>) -> Result<Self, TalerError> {
        let admin = taler.store.config().default_instance.clone();
        let instance = path_instance(parts, taler).await?.unwrap_or_else(|| admin.clone());
        admit(taler, &parts.headers, &instance, &admin)?;
        Ok(Self { instance })
    }
}

/// The `{instance}` path segment, if the route has one. One that does not decode (not UTF-8)
/// names no instance, so it gets the unknown-instance 404 rather than axum's plain-text rejection.
async fn path_instance(parts: &mut Parts, taler: &Arc<Taler>) -> Result<Option<String>, TalerError> {
    match <Path<String> as OptionalFromRequestParts<Arc<Taler>>>::from_request_parts(parts, taler).await {
        Ok(instance) => Ok(instance.map(|Path(id)| id)),
        Err(_) => Err(TalerError::InstanceUnknown("(not UTF-8)".to_owned())),
    }
}

/// 404 for an unknown instance, then 401/403 unless `token_instance`'s token with the KYC
/// permission was sent: all before any wait.
fn admit(taler: &Taler, headers: &HeaderMap, instance: &str, token_instance: &str) -> Result<(), TalerError> {
    if !taler.store.has_instance(instance) {
        return Err(TalerError::InstanceUnknown(instance.to_owned()));
    }
    authorize(taler, headers, token_instance, KYC_READ)
}
