//! PTI authentication as an extractor: `x-pti-client-id` of a registered client, then either a
//! signed request (`x-pti-signature`, RS512 compact JWS over the six-line string rebuilt from
//! this request, byte for byte) or a single-use user token (`x-pti-token`).
//!
//! It reads the body, since the signature covers its hash; handlers get the bytes with it.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRequest, OriginalUri, Request};
use axum::http::HeaderMap;

use super::crypto;
use super::error::{PtiError, PtiErrorKind};
use super::Pti;

/// An authenticated request: who sent it, its body, and the API's base URL as the client sees it.
#[derive(Debug, Clone)]
pub struct Authenticated {
    /// `x-pti-client-id`.
    pub client_id: String,
    /// The raw body.
    pub body: Bytes,
    /// The request headers.
    pub headers: HeaderMap,
    /// `http://HOST/pti/v0` (or `http://HOST` on a port of PTI's own), for `link`s.
    pub api_base: String,
}

impl Authenticated {
    /// A request header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok()).filter(|v| !v.is_empty())
    }

    /// Whether `x-pti-disable-webhook: true` was sent.
    pub fn webhooks_disabled(&self) -> bool {
        self.header("x-pti-disable-webhook").is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }
}

/// A path as a user token binds it: scheme, host, mount prefix, `/v0` (or `/v1`), query and
/// trailing slash removed (notes §3).
pub fn normalise_path(url: &str) -> String {
    let without_scheme = match url.find("://") {
        Some(index) => {
            let rest = &url[index + 3..];
            rest.find('/').map_or("/", |slash| &rest[slash..])
        }
        None => url,
    };
    let path = without_scheme.split(['?', '#']).next().unwrap_or_default();
    let path = path.strip_prefix("/pti").filter(|p| p.starts_with("/v0") || p.starts_with("/v1")).unwrap_or(path);
    let path = path.strip_prefix("/v0").or_else(|| path.strip_prefix("/v1")).unwrap_or(path);
    let trimmed = path.trim_end_matches('/');
    if trimmed.starts_with('/') {
        trimmed.to_owned()
    } else {
        format!("/{trimmed}")
    }
}

impl FromRequest<Arc<Pti>> for Authenticated {
    type Rejection = PtiError;

    async fn from_request(request: Request, pti: &Arc<Pti>) -> Result<Self, Self::Rejection> {
        let (parts, body) = request.into_parts();
        // The shared pipeline has already enforced the body limit.
        let body = axum::body::to_bytes(body, usize::MAX)
            .await
            .map_err(|_| PtiError::new(PtiErrorKind::InvalidRequest, "the request body could not be read".into()))?;
        let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok()).filter(|v| !v.is_empty());
        let full_path =
            parts.extensions.get::<OriginalUri>().map_or_else(|| parts.uri.path().to_owned(), |u| u.path().to_owned());
        let inner = parts.uri.path();
        let prefix = full_path.strip_suffix(inner).unwrap_or_default();
        let api_base = format!("http://{}{prefix}", header("host").unwrap_or("localhost"));

        let client_id = header("x-pti-client-id").ok_or_else(|| {
            PtiError::new(PtiErrorKind::MissingCredentials, "the x-pti-client-id header is required".into())
        })?;
        let client = pti
            .store
            .client(client_id)
            .ok_or_else(|| PtiError::new(PtiErrorKind::UnknownClient, format!("unknown client {client_id}")))?;

        if let Some(signature) = header("x-pti-signature") {
            let keys: Vec<crypto::ClientKey> =
                client.public_jwks.iter().filter_map(|value| crypto::ClientKey::from_json(value).ok()).collect();
            let expected = crypto::string_to_sign(
                parts.method.as_str(),
                &body,
                header("content-type"),
                header("date").unwrap_or_default(),
                client_id,
                &full_path,
            );
            crypto::verify_request(signature, client_id, &keys, &expected)
                .map_err(|e| PtiError::new(PtiErrorKind::BadSignature, e.to_string()))?;
        } else if let Some(token) = header("x-pti-token") {
            let jti = pti.token_id(token, client_id)?;
            pti.store.consume_token(&jti, client_id, parts.method.as_str(), &normalise_path(&full_path), pti.now())?;
        } else {
            return Err(PtiError::new(
                PtiErrorKind::MissingCredentials,
                "no valid signature or token: send x-pti-signature or x-pti-token".into(),
            ));
        }
        Ok(Authenticated { client_id: client_id.to_owned(), body, headers: parts.headers, api_base })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_url_form_normalises_to_the_same_path() {
        for url in [
            "/users/u1/transactions/fiat/funding",
            "/v0/users/u1/transactions/fiat/funding",
            "/pti/v0/users/u1/transactions/fiat/funding/",
            "https://api.pearsurge.io/v0/users/u1/transactions/fiat/funding?x=1",
            "users/u1/transactions/fiat/funding",
        ] {
            assert_eq!(normalise_path(url), "/users/u1/transactions/fiat/funding", "{url}");
        }
    }
}
