//! PTI's cryptography, with josekit: RFC 7638 thumbprints, the six-line string a client signs,
//! RS512 compact JWS for signed requests, single-use user-token JWTs, and webhooks signed with
//! PTI's key (RS512, flattened JSON JWS) then encrypted to the client's key (RSA-OAEP-256 +
//! A256CBC-HS512, flattened JSON JWE).
//!
//! Both sides live here: the twin verifies and seals; the conformance runner signs and opens.

use std::sync::{Arc, OnceLock};

use base64::Engine as _;
use josekit::jwe::{JweHeaderSet, RSA_OAEP_256};
use josekit::jwk::alg::rsa::RsaKeyPair;
use josekit::jwk::Jwk;
use josekit::jws::{JwsHeader, JwsHeaderSet, JwsVerifier, RS512};
use sha2::{Digest, Sha256};

/// Algorithms a client may sign requests with: RS512 is PTI's; the other RSA ones are accepted
/// for leniency (the notes' §2.5), never `none` or HMAC.
const REQUEST_ALGORITHMS: [&str; 6] = ["RS512", "RS384", "RS256", "PS512", "PS384", "PS256"];

/// A key's verifier per algorithm of [`REQUEST_ALGORITHMS`], each made on first use.
type Verifiers = [OnceLock<Option<Box<dyn JwsVerifier>>>; REQUEST_ALGORITHMS.len()];

/// An RSA key pair with its public JWK and thumbprint.
#[derive(Debug, Clone)]
pub struct KeyPair {
    /// The private JWK (with `d`, `p`, `q`...).
    pub private_jwk: Jwk,
    /// The public JWK.
    pub public_jwk: Jwk,
    /// RFC 7638 SHA-256 thumbprint of the public key.
    pub thumbprint: String,
}

impl KeyPair {
    /// Reads a PEM private key (PKCS#8 or PKCS#1).
    pub fn from_pem(pem: &str) -> Result<Self, String> {
        let pair = RsaKeyPair::from_pem(pem).map_err(|e| format!("not an RSA private key: {e}"))?;
        let private_jwk = pair.to_jwk_private_key();
        let public_jwk = pair.to_jwk_public_key();
        let thumbprint = thumbprint(&public_jwk)?;
        Ok(Self { private_jwk, public_jwk, thumbprint })
    }

    /// Reads a private JWK.
    pub fn from_private_jwk(jwk: &Jwk) -> Result<Self, String> {
        let pair = RsaKeyPair::from_jwk(jwk).map_err(|e| format!("not an RSA private JWK: {e}"))?;
        let public_jwk = pair.to_jwk_public_key();
        let thumbprint = thumbprint(&public_jwk)?;
        Ok(Self { private_jwk: pair.to_jwk_private_key(), public_jwk, thumbprint })
    }
}

/// A client's public key as the verifier uses it: chosen by its RFC 7638 thumbprint (what PTI's
/// signers put in the JWS `kid`) or by the JWK's own `kid` (what `utils/keygen.py` writes into the
/// file, a uuid4), whichever the JWS names.
#[derive(Debug, Clone)]
pub struct ClientKey {
    /// RFC 7638 SHA-256 thumbprint.
    pub thumbprint: String,
    /// The JWK's own `kid`, if it has one.
    pub own_kid: Option<String>,
    /// The key material alone: josekit's verifier refuses a JWS whose `kid` (or `alg`) differs
    /// from the JWK's, and a key generated with its own `kid` is still the client's key.
    pub jwk: Jwk,
    /// Its verifier for each of [`REQUEST_ALGORITHMS`], made on first use and kept: making one
    /// (the JWK's modulus decoded, DER built, OpenSSL's key parsed) cost ten times the RSA
    /// verification itself, on every signed request.
    verifiers: Arc<Verifiers>,
}

impl ClientKey {
    /// The key of a public (or private) RSA JWK.
    pub fn new(jwk: &Jwk) -> Result<Self, String> {
        let thumbprint = thumbprint(jwk)?;
        let own_kid = jwk.key_id().map(str::to_owned);
        let mut map = jwk.as_ref().clone();
        for member in ["kid", "alg", "use", "key_ops"] {
            map.remove(member);
        }
        let jwk = Jwk::from_map(map).map_err(|e| format!("not a JWK: {e}"))?;
        Ok(Self { thumbprint, own_kid, jwk, verifiers: Arc::default() })
    }

    /// Its verifier for `alg`, one of [`REQUEST_ALGORITHMS`] (`None` for another, or when the
    /// key cannot verify with it).
    fn verifier(&self, alg: &str) -> Option<&dyn JwsVerifier> {
        let index = REQUEST_ALGORITHMS.iter().position(|known| *known == alg)?;
        self.verifiers[index].get_or_init(|| verifier_for(alg, &self.jwk)).as_deref()
    }

    /// Reads one from JSON.
    pub fn from_json(value: &serde_json::Value) -> Result<Self, String> {
        Self::new(&jwk_from_json(value)?)
    }

    /// Whether a JWS `kid` names this key.
    fn is_named(&self, kid: &str) -> bool {
        self.thumbprint == kid || self.own_kid.as_deref() == Some(kid)
    }
}

/// Reads a JWK from JSON.
pub fn jwk_from_json(value: &serde_json::Value) -> Result<Jwk, String> {
    let map = value.as_object().cloned().ok_or("a JWK is a JSON object")?;
    Jwk::from_map(map).map_err(|e| format!("not a JWK: {e}"))
}

/// A public JWK as JSON, for the admin API.
pub fn jwk_to_json(jwk: &Jwk) -> serde_json::Value {
    serde_json::Value::Object(jwk.as_ref().clone())
}

/// RFC 7638 thumbprint (SHA-256, base64url without padding) of an RSA public key.
pub fn thumbprint(jwk: &Jwk) -> Result<String, String> {
    let field =
        |name: &str| jwk.parameter(name).and_then(|v| v.as_str()).ok_or_else(|| format!("the JWK has no `{name}`"));
    if jwk.key_type() != "RSA" {
        return Err(format!("only RSA keys are supported, not {}", jwk.key_type()));
    }
    // The members in lexicographic order, no whitespace: the canonical form RFC 7638 hashes.
    let canonical = format!(r#"{{"e":"{}","kty":"RSA","n":"{}"}}"#, field("e")?, field("n")?);
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes())))
}

/// Whether PTI hashes the body of this method (POST, PUT, PATCH).
fn hashes_body(method: &str) -> bool {
    matches!(method.to_ascii_uppercase().as_str(), "POST" | "PUT" | "PATCH")
}

/// The six lines a client signs: method, upper-case SHA-256 hex of the body, `content-type:`
/// line, `date:` line, `x-pti-client-id:` line, and the path without the query. Lines 2 and 3
/// are empty for methods without a hashed body. No trailing newline.
pub fn string_to_sign(
    method: &str,
    body: &[u8],
    content_type: Option<&str>,
    date: &str,
    client_id: &str,
    path: &str,
) -> String {
    let method = method.to_ascii_uppercase();
    let (hash, content_type_line) = if hashes_body(&method) {
        let hash: String = Sha256::digest(body).iter().map(|b| format!("{b:02X}")).collect();
        (hash, format!("content-type:{}", content_type.unwrap_or_default()))
    } else {
        (String::new(), String::new())
    };
    format!("{method}\n{hash}\n{content_type_line}\ndate:{date}\nx-pti-client-id:{client_id}\n{path}")
}

/// Signs a string to sign as PTI's reference signer does: compact RS512 JWS with `cid` and `kid`.
pub fn sign_request(key: &KeyPair, client_id: &str, string_to_sign: &str) -> Result<String, String> {
    let signer = RS512.signer_from_jwk(&key.private_jwk).map_err(|e| format!("cannot sign: {e}"))?;
    let mut header = JwsHeader::new();
    header.set_algorithm("RS512");
    header.set_claim("cid", Some(client_id.into())).map_err(|e| e.to_string())?;
    header.set_key_id(key.thumbprint.clone());
    josekit::jws::serialize_compact(string_to_sign.as_bytes(), &header, &*signer)
        .map_err(|e| format!("cannot sign: {e}"))
}

/// A `Date` header value as PTI's clients send it (`Mon, 30 Nov 2026 12:00:00 GMT`).
pub fn http_date(now: chrono::DateTime<chrono::Utc>) -> String {
    now.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// The headers a client adds to sign a request as PTI's reference signer does: `date`,
/// `x-pti-client-id` and `x-pti-signature`, over the method, body, content type, date, client and
/// path (mount prefix included; a query is left out, as the signer does).
pub fn signed_headers(
    key: &KeyPair,
    client_id: &str,
    method: &str,
    path: &str,
    body: &[u8],
    content_type: Option<&str>,
    date: &str,
) -> Result<[(&'static str, String); 3], String> {
    let path = path.split('?').next().unwrap_or_default();
    let signature = sign_request(key, client_id, &string_to_sign(method, body, content_type, date, client_id, path))?;
    Ok([("date", date.to_owned()), ("x-pti-client-id", client_id.to_owned()), ("x-pti-signature", signature)])
}

/// Why a signed request was refused (each is a 401).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureError {
    /// Not a compact JWS, or its header is unreadable.
    Malformed(String),
    /// `alg` is not an RSA signature algorithm.
    Algorithm(String),
    /// `cid` is not the `x-pti-client-id`.
    ClientMismatch,
    /// `kid` names no key of this client (by thumbprint or by its own `kid`).
    UnknownKey(String),
    /// The signature does not verify with the client's key.
    BadSignature,
    /// The signed string is not the one rebuilt from the request.
    PayloadMismatch {
        /// What the request's method, body, headers and path give.
        expected: String,
    },
}

impl std::fmt::Display for SignatureError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Malformed(why) => write!(f, "x-pti-signature is not a compact JWS: {why}"),
            Self::Algorithm(alg) => write!(f, "x-pti-signature uses alg {alg}; RS512 is expected"),
            Self::ClientMismatch => write!(f, "the cid of x-pti-signature is not x-pti-client-id"),
            Self::UnknownKey(kid) => {
                write!(f, "the kid {kid} of x-pti-signature names no key of this client (its thumbprint or kid)")
            }
            Self::BadSignature => write!(f, "x-pti-signature does not verify with the client's public key"),
            // PTI error messages are printable ASCII on one line: show the newlines as \n.
            Self::PayloadMismatch { expected } => {
                write!(f, "the signed string does not match this request; expected {}", expected.replace('\n', "\\n"))
            }
        }
    }
}

/// Verifies `x-pti-signature` for a client whose public keys are `keys`, against the string
/// rebuilt from the request.
pub fn verify_request(
    signature: &str,
    client_id: &str,
    keys: &[ClientKey],
    expected: &str,
) -> Result<(), SignatureError> {
    let header = josekit::jwt::decode_header(signature).map_err(|e| SignatureError::Malformed(e.to_string()))?;
    let alg = header.claim("alg").and_then(|v| v.as_str()).unwrap_or_default().to_owned();
    if !REQUEST_ALGORITHMS.contains(&alg.as_str()) {
        return Err(SignatureError::Algorithm(alg));
    }
    if header.claim("cid").and_then(|v| v.as_str()) != Some(client_id) {
        return Err(SignatureError::ClientMismatch);
    }
    let kid = header.claim("kid").and_then(|v| v.as_str());
    let key = match kid {
        Some(kid) => {
            keys.iter().find(|key| key.is_named(kid)).ok_or_else(|| SignatureError::UnknownKey(kid.to_owned()))?
        }
        None if keys.len() == 1 => &keys[0],
        None => return Err(SignatureError::UnknownKey("(none)".into())),
    };
    let verifier = key.verifier(&alg).ok_or(SignatureError::BadSignature)?;
    let (payload, _) =
        josekit::jws::deserialize_compact(signature, verifier).map_err(|_| SignatureError::BadSignature)?;
    if payload != expected.as_bytes() {
        return Err(SignatureError::PayloadMismatch { expected: expected.to_owned() });
    }
    Ok(())
}

fn verifier_for(alg: &str, key: &Jwk) -> Option<Box<dyn JwsVerifier>> {
    use josekit::jws::{PS256, PS384, PS512, RS256, RS384};
    let verifier: Box<dyn JwsVerifier> = match alg {
        "RS512" => Box::new(RS512.verifier_from_jwk(key).ok()?),
        "RS384" => Box::new(RS384.verifier_from_jwk(key).ok()?),
        "RS256" => Box::new(RS256.verifier_from_jwk(key).ok()?),
        "PS512" => Box::new(PS512.verifier_from_jwk(key).ok()?),
        "PS384" => Box::new(PS384.verifier_from_jwk(key).ok()?),
        "PS256" => Box::new(PS256.verifier_from_jwk(key).ok()?),
        _ => return None,
    };
    Some(verifier)
}

/// Seals a webhook event: RS512 flattened JSON JWS with PTI's key (`kid` its thumbprint, `jku`
/// where its JWKS is served), then that JWS's JSON encrypted to the client's public key.
pub fn seal_webhook(
    event: &serde_json::Value,
    pti: &KeyPair,
    jku: &str,
    client_public: &Jwk,
) -> Result<String, String> {
    let signer = RS512.signer_from_jwk(&pti.private_jwk).map_err(|e| format!("cannot sign the webhook: {e}"))?;
    let mut header = JwsHeaderSet::new();
    header.set_algorithm("RS512", true);
    header.set_key_id(pti.thumbprint.clone(), true);
    header.set_jwk_set_url(jku, true);
    let payload = serde_json::to_vec(event).map_err(|e| e.to_string())?;
    let jws = josekit::jws::serialize_flattened_json(&payload, &header, &*signer)
        .map_err(|e| format!("cannot sign the webhook: {e}"))?;

    let encrypter = RSA_OAEP_256
        .encrypter_from_jwk(client_public)
        .map_err(|e| format!("the client's public key cannot encrypt: {e}"))?;
    let mut protected = JweHeaderSet::new();
    protected.set_content_encryption("A256CBC-HS512", true);
    protected.set_key_id(thumbprint(client_public)?, true);
    josekit::jwe::serialize_flattened_json(jws.as_bytes(), Some(&protected), None, None, &*encrypter)
        .map_err(|e| format!("cannot encrypt the webhook: {e}"))
}

/// Opens a webhook as PTI's example receiver does: decrypt with the client's private key
/// (RSA-OAEP-256 + A256CBC-HS512 required), then verify the inner JWS with PTI's public key
/// (RS512 required); returns the event JSON.
pub fn open_webhook(body: &str, client_private: &Jwk, pti_public: &Jwk) -> Result<serde_json::Value, String> {
    let decrypter =
        RSA_OAEP_256.decrypter_from_jwk(client_private).map_err(|e| format!("the client key cannot decrypt: {e}"))?;
    let (jws, header) =
        josekit::jwe::deserialize_json(body, &*decrypter).map_err(|e| format!("the JWE does not decrypt: {e}"))?;
    if header.algorithm() != Some("RSA-OAEP-256") || header.content_encryption() != Some("A256CBC-HS512") {
        return Err(format!(
            "JWE alg/enc are {:?}/{:?}, RSA-OAEP-256/A256CBC-HS512 expected",
            header.algorithm(),
            header.content_encryption()
        ));
    }
    let verifier = RS512.verifier_from_jwk(pti_public).map_err(|e| format!("PTI's key cannot verify: {e}"))?;
    let (payload, jws_header) = josekit::jws::deserialize_json(&jws, &verifier)
        .map_err(|e| format!("the inner JWS does not verify with PTI's key: {e}"))?;
    if jws_header.algorithm() != Some("RS512") {
        return Err(format!("the inner JWS uses {:?}, RS512 expected", jws_header.algorithm()));
    }
    let event: serde_json::Value =
        serde_json::from_slice(&payload).map_err(|e| format!("the event is not JSON: {e}"))?;
    // PTI once sent the event as a JSON string inside the JWS; its example receiver decodes twice.
    match event {
        serde_json::Value::String(text) => {
            serde_json::from_str(&text).map_err(|e| format!("the event is not JSON: {e}"))
        }
        other => Ok(other),
    }
}

/// The twin's Ed25519 webhook key (PTI's 2026 scheme): signs a webhook's plain JSON body.
pub struct WebhookSigningKey {
    signer: josekit::jws::alg::eddsa::EddsaJwsSigner,
    /// The public key as SPKI PEM, as PTI publishes its own (`pti-prod-public.pem`).
    pub public_pem: String,
}

impl std::fmt::Debug for WebhookSigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookSigningKey").field("public_pem", &self.public_pem).finish_non_exhaustive()
    }
}

impl WebhookSigningKey {
    /// Reads a PKCS#8 PEM Ed25519 private key.
    pub fn from_pem(pem: &str) -> Result<Self, String> {
        use josekit::jwk::alg::ed::EdKeyPair;
        use josekit::jwk::KeyPair as _;
        let pair = EdKeyPair::from_pem(pem).map_err(|e| format!("not an Ed25519 private key: {e}"))?;
        let public_pem = String::from_utf8(pair.to_pem_public_key()).map_err(|e| e.to_string())?;
        let signer = josekit::jws::EdDSA.signer_from_pem(pem).map_err(|e| format!("cannot sign with it: {e}"))?;
        Ok(Self { signer, public_pem })
    }

    /// The header value for `body`: `v1=` and the base64 Ed25519 signature over the body with
    /// surrounding white space trimmed (PTI's Java SDK verifies `payload.trim()`).
    pub fn signature_header(&self, body: &str) -> Result<String, String> {
        use josekit::jws::JwsSigner as _;
        let signature = self.signer.sign(body.trim().as_bytes()).map_err(|e| format!("cannot sign: {e}"))?;
        Ok(format!("v1={}", base64::engine::general_purpose::STANDARD.encode(signature)))
    }
}

/// Checks an Ed25519 webhook as PTI's Java SDK's `verifyWebhookSignature` does: the header's
/// comma-separated parts trimmed, the first starting `v1=` (any case) taken, its base64 decoded,
/// and the signature checked over the trimmed body with the SPKI PEM key.
pub fn verify_webhook_signature(body: &str, header: &str, public_pem: &str) -> Result<(), String> {
    use josekit::jws::JwsVerifier as _;
    let signature = header
        .split(',')
        .map(str::trim)
        .find(|part| part.get(..3).is_some_and(|prefix| prefix.eq_ignore_ascii_case("v1=")))
        .map(|part| &part[3..])
        .ok_or("Signature verification failed - Missing signature")?;
    let signature = base64::engine::general_purpose::STANDARD
        .decode(signature)
        .map_err(|e| format!("the v1 signature is not base64: {e}"))?;
    let verifier =
        josekit::jws::EdDSA.verifier_from_pem(public_pem).map_err(|e| format!("not an Ed25519 SPKI PEM: {e}"))?;
    verifier.verify(body.trim().as_bytes(), &signature).map_err(|_| "Signature verification failed - Mismatch".into())
}
