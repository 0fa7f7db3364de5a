//! PTI's cryptography against vectors made with an independent implementation (jwcrypto, the
//! library of PTI's own reference signer and example webhook receiver), not against our signer.

use mock_server::providers::pti::crypto::{self, ClientKey, KeyPair, SignatureError};
use serde_json::Value;

fn vectors(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"))
}

fn client_key(jwk: &josekit::jwk::Jwk) -> ClientKey {
    ClientKey::new(jwk).unwrap_or_else(|e| panic!("{e}"))
}

fn key(value: &Value) -> KeyPair {
    let jwk = crypto::jwk_from_json(value).unwrap_or_else(|e| panic!("{e}"));
    KeyPair::from_private_jwk(&jwk).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_thumbprint_is_rfc_7638_as_jwcrypto_computes_it() {
    let vectors = vectors("pti-signing.json");
    let client = key(&vectors["client_private_jwk"]);
    assert_eq!(client.thumbprint, vectors["client_kid_thumbprint"].as_str().unwrap_or_default());
}

#[test]
fn signed_requests_from_the_reference_signer_verify_and_a_tampered_one_does_not() {
    let vectors = vectors("pti-signing.json");
    let client = key(&vectors["client_private_jwk"]);
    let keys = vec![client_key(&client.public_jwk)];
    let cases = vectors["cases"].as_array().cloned().unwrap_or_default();
    assert_eq!(cases.len(), 5);
    for case in cases {
        let text = |name: &str| case[name].as_str().unwrap_or_default().to_owned();
        let rebuilt = crypto::string_to_sign(
            &text("method"),
            text("body").as_bytes(),
            case["content_type"].as_str(),
            &text("date"),
            &text("client_id"),
            &text("path"),
        );
        let outcome = crypto::verify_request(&text("x_pti_signature"), &text("client_id"), &keys, &rebuilt);
        if case["must_verify"] == Value::Bool(true) {
            assert_eq!(rebuilt, text("string_to_sign"), "the string to sign of {}", text("path"));
            assert_eq!(outcome, Ok(()), "{}", text("path"));
            // RS512 is deterministic: our signer writes the same JWS for the same header bytes.
            let ours = crypto::sign_request(&client, &text("client_id"), &rebuilt).unwrap_or_default();
            assert_eq!(ours, text("x_pti_signature"), "byte-identical to jwcrypto's JWS");
            let verified = crypto::verify_request(&ours, &text("client_id"), &keys, &rebuilt);
            assert_eq!(verified, Ok(()));
        } else {
            assert!(matches!(outcome, Err(SignatureError::PayloadMismatch { .. })), "{outcome:?}");
        }
    }
}

#[test]
fn a_signature_for_another_client_or_key_is_refused() {
    let vectors = vectors("pti-signing.json");
    let client = key(&vectors["client_private_jwk"]);
    let keys = vec![client_key(&client.public_jwk)];
    let case = &vectors["cases"][0];
    let signature = case["x_pti_signature"].as_str().unwrap_or_default();
    let expected = case["string_to_sign"].as_str().unwrap_or_default();
    assert_eq!(
        crypto::verify_request(signature, "11111111-0000-0000-0000-000000000000", &keys, expected),
        Err(SignatureError::ClientMismatch)
    );
    let other = key(&vectors_webhook_pti());
    let mut wrong_keys = vec![client_key(&other.public_jwk)];
    wrong_keys[0].thumbprint = client.thumbprint.clone();
    assert_eq!(
        crypto::verify_request(signature, "00000000-0000-0000-0000-000000000000", &wrong_keys, expected),
        Err(SignatureError::BadSignature)
    );
    assert!(matches!(
        crypto::verify_request("not.a.jws", "x", &keys, expected),
        Err(SignatureError::Malformed(_) | SignatureError::Algorithm(_))
    ));
}

fn vectors_webhook_pti() -> Value {
    vectors("pti-webhook.json")["pti_private_jwk"].clone()
}

#[test]
fn the_reference_webhook_opens_with_the_client_key_and_verifies_with_ptis() {
    let vectors = vectors("pti-webhook.json");
    let client = key(&vectors["client_private_jwk"]);
    let pti = key(&vectors["pti_private_jwk"]);
    let body = vectors["body"].to_string();
    let event = crypto::open_webhook(&body, &client.private_jwk, &pti.public_jwk).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(event, vectors["event"]);
}

#[test]
fn a_webhook_we_seal_opens_and_has_the_reference_shape() {
    let vectors = vectors("pti-webhook.json");
    let client = key(&vectors["client_private_jwk"]);
    let pti = key(&vectors["pti_private_jwk"]);
    let sealed = crypto::seal_webhook(&vectors["event"], &pti, "http://127.0.0.1/__admin/pti/jwks", &client.public_jwk)
        .unwrap_or_else(|e| panic!("{e}"));
    let body: Value = serde_json::from_str(&sealed).unwrap_or_default();
    let mut members: Vec<&str> = body.as_object().map(|o| o.keys().map(String::as_str).collect()).unwrap_or_default();
    members.sort_unstable();
    assert_eq!(
        members,
        ["ciphertext", "encrypted_key", "iv", "protected", "tag"],
        "exactly the flattened JWE members PTI's receivers read"
    );
    let event = crypto::open_webhook(&sealed, &client.private_jwk, &pti.public_jwk).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(event, vectors["event"]);
    // Someone else's key cannot read it.
    let stranger = KeyPair::from_pem(include_str!("../../src/providers/pti/keys/demo-client.pem"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(crypto::open_webhook(&sealed, &stranger.private_jwk, &pti.public_jwk).is_err());
}

/// PTI's published staging key for the 2026 webhook scheme (pti-platform-sdks
/// `java/src/main/resources/pti-staging-public.pem`): our verifier reads the format PTI ships.
const PTI_STAGING_ED25519_PEM: &str = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA";

#[test]
fn ed25519_webhook_signatures_match_python_cryptography_and_verify_as_ptis_java_sdk_does() {
    let vectors = vectors("pti-webhook-ed25519.json");
    let pem = include_str!("../../src/providers/pti/keys/pti-webhook-ed25519.pem");
    let key = crypto::WebhookSigningKey::from_pem(pem).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(key.public_pem.trim(), vectors["public_pem"].as_str().unwrap_or_default().trim());
    let cases = vectors["cases"].as_array().cloned().unwrap_or_default();
    assert_eq!(cases.len(), 3);
    for case in cases {
        let body = case["body"].as_str().unwrap_or_default();
        let theirs = case["signature_base64"].as_str().unwrap_or_default();
        // Ed25519 is deterministic: the same key and message give the same signature.
        assert_eq!(key.signature_header(body), Ok(format!("v1={theirs}")), "{body}");
        for header in [format!("v1={theirs}"), format!("t=1764583200, V1={theirs}"), format!(" v0=abc ,v1={theirs} ")] {
            assert_eq!(crypto::verify_webhook_signature(body, &header, &key.public_pem), Ok(()), "{header}");
        }
        let tampered = body.replacen('"', "'", 1);
        assert!(crypto::verify_webhook_signature(&tampered, &format!("v1={theirs}"), &key.public_pem).is_err());
        assert!(crypto::verify_webhook_signature(body, "v2=abc", &key.public_pem).is_err(), "no v1 part");
    }
}

#[test]
fn ptis_published_ed25519_key_does_not_verify_the_twins_signatures() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/specs/pti/pti-platform-sdks/java/src/main/resources/pti-staging-public.pem");
    let Ok(staging) = std::fs::read_to_string(&path) else {
        println!("skipped: {} is not here (a clone without ../shared)", path.display());
        return;
    };
    assert!(staging.starts_with(PTI_STAGING_ED25519_PEM), "an Ed25519 SPKI PEM");
    let pem = include_str!("../../src/providers/pti/keys/pti-webhook-ed25519.pem");
    let key = crypto::WebhookSigningKey::from_pem(pem).unwrap_or_else(|e| panic!("{e}"));
    let header = key.signature_header("{}").unwrap_or_default();
    let refused = crypto::verify_webhook_signature("{}", &header, &staging);
    assert_eq!(refused, Err("Signature verification failed - Mismatch".to_owned()), "PTI's key reads, and refuses");
}

#[test]
fn a_key_made_by_ptis_keygen_with_its_own_kid_still_verifies_signatures_naming_its_thumbprint() {
    let vectors = vectors("pti-signing.json");
    let client = key(&vectors["client_private_jwk"]);
    // `utils/keygen.py`: `JWK.generate(kty='RSA', size=4096, kid=<uuid4>)`, exported with that kid.
    let mut public = crypto::jwk_to_json(&client.public_jwk);
    public["kid"] = Value::from("5f0c7a53-3b0e-4d0c-9d55-2a4bd3c9e0a1");
    let keys = vec![ClientKey::from_json(&public).unwrap_or_else(|e| panic!("{e}"))];
    assert_eq!(keys[0].own_kid.as_deref(), Some("5f0c7a53-3b0e-4d0c-9d55-2a4bd3c9e0a1"));
    let case = &vectors["cases"][0];
    let text = |name: &str| case[name].as_str().unwrap_or_default().to_owned();
    let verified = crypto::verify_request(&text("x_pti_signature"), &text("client_id"), &keys, &text("string_to_sign"));
    assert_eq!(verified, Ok(()), "the JWS names the thumbprint; the JWK's own kid does not stop it");
    let unknown = vec![ClientKey::from_json(&crypto::jwk_to_json(&key(&vectors_webhook_pti()).public_jwk))
        .unwrap_or_else(|e| panic!("{e}"))];
    let refused =
        crypto::verify_request(&text("x_pti_signature"), &text("client_id"), &unknown, &text("string_to_sign"));
    assert!(matches!(refused, Err(SignatureError::UnknownKey(_))), "{refused:?}");
}
