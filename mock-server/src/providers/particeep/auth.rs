//! Particeep's `PTP:` authentication: `Authorization: PTP:<key>:<base64(lowercase hex(
//! HMAC(secret, secret + key + DateTime)))>` with the `DateTime` header, the HMAC SHA-1 (the
//! document, the 2018 and 2022 SDKs) or SHA-256 (the 2025 Scala SDK's `Crypto.scala` since 2023-06),
//! told apart by the signature's length (56 or 88 base64 characters). The body, method and path are
//! not signed (Particeep's document and SDKs agree). Webhooks are signed the same way, with the
//! consumer's configured algorithm.

use axum::http::{HeaderMap, HeaderName};
use base64::Engine;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha1::Sha1;
use sha2::Sha256;

/// The HMAC a signature is made with.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Algorithm {
    /// HMAC-SHA1: 40 hex characters, 56 in base64.
    #[default]
    Sha1,
    /// HMAC-SHA256: 64 hex characters, 88 in base64.
    Sha256,
}

impl Algorithm {
    /// The algorithm a signature of this length was made with.
    pub fn of_signature(signature: &str) -> Option<Self> {
        match signature.len() {
            56 => Some(Self::Sha1),
            88 => Some(Self::Sha256),
            _ => None,
        }
    }
}

/// `DateTime`, named once (a `&str` name is parsed again on every lookup).
const DATE_TIME: HeaderName = HeaderName::from_static("datetime");

/// The HMAC-SHA1 signature part of the header for `key`, `secret` and the `DateTime` text, exactly
/// as the document's Java sample builds it.
pub fn signature(key: &str, secret: &str, date_time: &str) -> String {
    signature_with(Algorithm::Sha1, key, secret, date_time)
}

/// The signature with `algorithm`: the same recipe for both (the 2025 SDK changed only the HMAC).
pub fn signature_with(algorithm: Algorithm, key: &str, secret: &str, date_time: &str) -> String {
    // The signed text is `secret + key + DateTime`: fed in three parts rather than built.
    // Lower-case hex in one formatting call (the digest's `LowerHex`), not one per byte.
    let hex = match algorithm {
        Algorithm::Sha1 => {
            let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(secret.as_bytes()) else { return String::new() };
            mac.update(secret.as_bytes());
            mac.update(key.as_bytes());
            mac.update(date_time.as_bytes());
            format!("{:x}", mac.finalize().into_bytes())
        }
        Algorithm::Sha256 => {
            let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else { return String::new() };
            mac.update(secret.as_bytes());
            mac.update(key.as_bytes());
            mac.update(date_time.as_bytes());
            format!("{:x}", mac.finalize().into_bytes())
        }
    };
    base64::engine::general_purpose::STANDARD.encode(hex)
}

/// The whole `Authorization` value (HMAC-SHA1).
pub fn authorization(key: &str, secret: &str, date_time: &str) -> String {
    authorization_with(Algorithm::Sha1, key, secret, date_time)
}

/// The whole `Authorization` value with `algorithm`.
pub fn authorization_with(algorithm: Algorithm, key: &str, secret: &str, date_time: &str) -> String {
    format!("PTP:{key}:{}", signature_with(algorithm, key, secret, date_time))
}

/// The headers a client adds to sign a request at `now`: `DateTime` and `Authorization`.
pub fn signed_headers(key: &str, secret: &str, now: DateTime<Utc>) -> [(&'static str, String); 2] {
    let date_time = date_time(now);
    let authorization = authorization(key, secret, &date_time);
    [("DateTime", date_time), ("Authorization", authorization)]
}

/// `DateTime` as Particeep's clients send it: UTC, second precision, `Z`.
pub fn date_time(now: DateTime<Utc>) -> String {
    now.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Why a request was not admitted (all 403 with `error.api.authentication`; the message says which).
#[derive(Debug, Clone, PartialEq)]
pub enum AuthFailure {
    /// No `Authorization` header.
    MissingAuthorization,
    /// No `DateTime` header.
    MissingDateTime,
    /// `Authorization` is not `PTP:<key>:<signature>`.
    Malformed,
    /// The key is not a consumer's.
    UnknownKey,
    /// `DateTime` is not an ISO 8601 instant.
    BadDateTime,
    /// `DateTime` is outside the configured window around the twin's clock.
    Stale,
    /// The signature does not match.
    BadSignature,
}

impl AuthFailure {
    /// What the error message says.
    pub fn message(&self) -> &'static str {
        match self {
            Self::MissingAuthorization => "the Authorization header is missing",
            Self::MissingDateTime => "the DateTime header is missing",
            Self::Malformed => "the Authorization header is not PTP:<api key>:<signature>",
            Self::UnknownKey => "unknown API key",
            Self::BadDateTime => "the DateTime header is not an ISO 8601 date, e.g. 2015-10-19T11:04:18Z",
            Self::Stale => "the DateTime header is too far from the server's time",
            Self::BadSignature => "the signature does not match the API key, secret and DateTime",
        }
    }
}

/// The `(key, signature)` of a `PTP:` header.
pub fn parse_header(headers: &HeaderMap) -> Result<(String, String), AuthFailure> {
    let value = headers.get(axum::http::header::AUTHORIZATION).ok_or(AuthFailure::MissingAuthorization)?;
    let text = value.to_str().map_err(|_| AuthFailure::Malformed)?.trim();
    let rest = text.strip_prefix("PTP:").ok_or(AuthFailure::Malformed)?;
    // The key may not hold `:`; the signature (base64) never does.
    let (key, signature) = rest.rsplit_once(':').ok_or(AuthFailure::Malformed)?;
    if key.is_empty() || signature.is_empty() {
        return Err(AuthFailure::Malformed);
    }
    Ok((key.to_owned(), signature.to_owned()))
}

/// Parses `DateTime`: RFC 3339 (`Z` or an offset), or the SDKs' `+0000` form.
pub fn parse_date_time(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    DateTime::parse_from_rfc3339(text)
        .or_else(|_| DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%z"))
        .or_else(|_| DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f%z"))
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

/// Checks the signature for a known consumer's secret, and the skew window.
pub fn verify(
    headers: &HeaderMap,
    key: &str,
    secret: &str,
    given: &str,
    now: DateTime<Utc>,
    skew_secs: Option<u64>,
) -> Result<(), AuthFailure> {
    let date_text = headers.get(DATE_TIME).ok_or(AuthFailure::MissingDateTime)?;
    let date_text = date_text.to_str().map_err(|_| AuthFailure::BadDateTime)?;
    let date = parse_date_time(date_text).ok_or(AuthFailure::BadDateTime)?;
    // Either algorithm is accepted, told apart by length; a signature of neither length, or a
    // wrong one, is the same refusal.
    let algorithm = Algorithm::of_signature(given).ok_or(AuthFailure::BadSignature)?;
    let expected = signature_with(algorithm, key, secret, date_text);
    if !crate::secret::constant_time_eq(&expected, given) {
        return Err(AuthFailure::BadSignature);
    }
    if let Some(window) = skew_secs {
        if (now - date).num_seconds().unsigned_abs() > window {
            return Err(AuthFailure::Stale);
        }
    }
    Ok(())
}

/// The consumer a request was authenticated as.
#[derive(Debug, Clone)]
pub struct Caller {
    /// Its API key.
    pub key: String,
    /// Where the twin's Particeep root is, as the client reached it (`http://host:port/particeep`):
    /// the base of the payment pages' URLs.
    pub base_url: String,
    /// The SDK model lineage its answers follow.
    pub models: super::config::Lineage,
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Caller {
    type Rejection = super::error::ParticeepError;

    /// The consumer the gate (`handlers::gate`) authenticated: the gate checks the signature itself,
    /// since who the consumer is decides the shape of every answer, a refusal's included (bare or
    /// enveloped), and hands the caller on. A route outside the gate gets the 403 a request without
    /// credentials gets.
    async fn from_request_parts(parts: &mut axum::http::request::Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Caller>().cloned().ok_or_else(|| {
            super::error::ParticeepError::new(
                axum::http::StatusCode::FORBIDDEN,
                super::error::code::API_AUTHENTICATION,
                AuthFailure::MissingAuthorization.message(),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documents_vector() {
        assert_eq!(
            authorization("1234567890", "0987654321", "2015-10-19T11:04:18Z"),
            "PTP:1234567890:YzgwZWEyYjJjOWY4ZTZlNTA5NzgzZWU2N2IzZWNhMGFhMDZhY2RkMA=="
        );
    }

    #[test]
    fn date_time_forms() {
        let z = parse_date_time("2015-10-19T11:04:18Z");
        assert!(z.is_some());
        assert_eq!(parse_date_time("2015-10-19T12:04:18+01:00"), z);
        assert_eq!(parse_date_time("2015-10-19T11:04:18+0000"), z);
        assert_eq!(parse_date_time("yesterday"), None);
    }
}
