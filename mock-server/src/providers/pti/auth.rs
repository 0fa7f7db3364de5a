//! PTI authentication as an extractor: `x-pti-client-id` of a registered client, then either a
//! signed request (`x-pti-signature`, RS512 compact JWS over the six-line string rebuilt from
//! this request, byte for byte) or a single-use user token (`x-pti-token`).
//!
//! It reads the body, since the signature covers its hash; handlers get the bytes with it. Each
//! client's verifying keys are parsed once ([`KeyCache`]) and parsed again when they change.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

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

/// Each client's public keys, parsed into verifiers once: the JWKs they were parsed from are kept
/// beside them, and a client whose JWKs differ (changed through the admin API, or reset) gets its
/// keys parsed again.
#[derive(Debug, Default)]
pub struct KeyCache {
    by_client: Mutex<HashMap<String, CachedKeys>>,
}

/// One client's parsed keys and the JWKs they come from.
#[derive(Debug)]
struct CachedKeys {
    source: Vec<serde_json::Value>,
    keys: Arc<[crypto::ClientKey]>,
}

impl KeyCache {
    /// The keys of client `client_id`, whose JWKs are `jwks` now (a JWK that is not an RSA key is
    /// left out, as it cannot verify anything).
    pub fn keys(&self, client_id: &str, jwks: &[serde_json::Value]) -> Arc<[crypto::ClientKey]> {
        // A poisoned lock only means another request panicked mid-insert: the map is still whole.
        let mut by_client = self.by_client.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(cached) = by_client.get(client_id).filter(|cached| cached.source == jwks) {
            return cached.keys.clone();
        }
        let keys: Arc<[crypto::ClientKey]> =
            jwks.iter().filter_map(|value| crypto::ClientKey::from_json(value).ok()).collect();
        by_client.insert(client_id.to_owned(), CachedKeys { source: jwks.to_vec(), keys: keys.clone() });
        keys
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
            let keys = pti.verifying_keys.keys(client_id, &client.public_jwks);
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
    fn a_clients_keys_are_parsed_once_and_again_when_they_change() {
        let demo: serde_json::Value =
            serde_json::from_str(crate::providers::pti::seed::DEMO_CLIENT_PUBLIC_JWK).unwrap_or_default();
        let pti = crypto::KeyPair::from_pem(include_str!("keys/pti-signing.pem")).unwrap_or_else(|e| panic!("{e}"));
        let other = crypto::jwk_to_json(&pti.public_jwk);
        let cache = KeyCache::default();
        let first = cache.keys("c1", std::slice::from_ref(&demo));
        assert_eq!(first.len(), 1);
        assert!(Arc::ptr_eq(&first, &cache.keys("c1", std::slice::from_ref(&demo))), "the same keys are reused");
        // Another client with the same key has its own entry; a change of keys parses them again.
        assert!(!Arc::ptr_eq(&first, &cache.keys("c2", std::slice::from_ref(&demo))));
        let changed = cache.keys("c1", &[demo.clone(), other.clone()]);
        assert_eq!(changed.len(), 2);
        assert_eq!(changed[1].thumbprint, pti.thumbprint);
        // A JWK that is not an RSA key verifies nothing and is left out.
        assert_eq!(cache.keys("c1", &[serde_json::json!({"kty": "oct", "k": "AA"})]).len(), 0);

        // A signature checks out with cached keys, the verifier made once per algorithm and kept.
        let signed = crypto::string_to_sign("GET", b"", None, "Sun, 22 Nov 2026 10:00:00 GMT", "c1", "/pti/v0/users");
        let signature = crypto::sign_request(&pti, "c1", &signed).unwrap_or_else(|e| panic!("{e}"));
        let keys = cache.keys("c1", &[demo, other]);
        for _ in 0..2 {
            assert!(crypto::verify_request(&signature, "c1", &keys, &signed).is_ok());
        }
        let tampered = signed.replace("GET", "PUT");
        assert!(matches!(
            crypto::verify_request(&signature, "c1", &keys, &tampered),
            Err(crypto::SignatureError::PayloadMismatch { .. }) | Err(crypto::SignatureError::BadSignature)
        ));
    }

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
