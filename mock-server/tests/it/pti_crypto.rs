//! PTI's cryptography against vectors made with an independent implementation (jwcrypto, the
//! library of PTI's own reference signer and example webhook receiver), not against our signer.

use mock_server::providers::pti::crypto::{self, KeyPair, SignatureError};
use serde_json::Value;

fn vectors(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"))
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
    let keys = vec![(client.thumbprint.clone(), client.public_jwk.clone())];
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
    let keys = vec![(client.thumbprint.clone(), client.public_jwk.clone())];
    let case = &vectors["cases"][0];
    let signature = case["x_pti_signature"].as_str().unwrap_or_default();
    let expected = case["string_to_sign"].as_str().unwrap_or_default();
    assert_eq!(
        crypto::verify_request(signature, "11111111-0000-0000-0000-000000000000", &keys, expected),
        Err(SignatureError::ClientMismatch)
    );
    let other = key(&vectors_webhook_pti());
    let wrong_keys = vec![(client.thumbprint.clone(), other.public_jwk.clone())];
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
