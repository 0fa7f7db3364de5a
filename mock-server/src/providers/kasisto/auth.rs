//! Kasisto authentication as extractors: [`SecretChecked`] for `/token`, [`Caller`] for the rest.
//!
//! 1.0 semantics: a missing or wrong `secret` is 401; a missing, unknown, revoked or expired
//! `token` is 403. The secret is compared in constant time.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::HeaderName;

use super::error::KasistoError;
use super::state::Caller;
use super::Kasisto;
use crate::secret::constant_time_eq;

// Kasisto's header names, made once: a `&str` name is parsed again on every lookup.
const SECRET: HeaderName = HeaderName::from_static("secret");
/// The `token` header: sent by the client, and sent back rotated.
pub const TOKEN: HeaderName = HeaderName::from_static("token");

/// Proof that the request carried the right `secret` header.
#[derive(Debug, Clone, Copy)]
pub struct SecretChecked;

fn check_secret(parts: &Parts, kasisto: &Kasisto) -> Result<(), KasistoError> {
    let sent = parts
        .headers
        .get(SECRET)
        .ok_or_else(|| KasistoError::AuthenticationFailed("the secret header is required".into()))?;
    let sent = sent.to_str().unwrap_or_default();
    if constant_time_eq(sent, &kasisto.store.config().secret) {
        Ok(())
    } else {
        Err(KasistoError::AuthenticationFailed("the secret header is wrong".into()))
    }
}

impl FromRequestParts<Arc<Kasisto>> for SecretChecked {
    type Rejection = KasistoError;

    async fn from_request_parts(parts: &mut Parts, kasisto: &Arc<Kasisto>) -> Result<Self, Self::Rejection> {
        check_secret(parts, kasisto)?;
        Ok(SecretChecked)
    }
}

impl FromRequestParts<Arc<Kasisto>> for Caller {
    type Rejection = KasistoError;

    async fn from_request_parts(parts: &mut Parts, kasisto: &Arc<Kasisto>) -> Result<Self, Self::Rejection> {
        check_secret(parts, kasisto)?;
        let token = parts.headers.get(TOKEN).map(|value| value.to_str().unwrap_or_default());
        kasisto.store.authorize(token, kasisto.now())
    }
}
