//! Particeep's PTP header against the vectors made with an independent implementation (python's
//! `hmac`/`hashlib`/`base64`): the valid ones are what the twin computes, the upper-case-hex one is not.

use mock_server::providers::particeep::auth;
use serde_json::Value;

#[test]
fn the_ptp_vectors_sign_and_the_upper_case_one_does_not() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/particeep-auth.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let vectors: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    let cases = vectors["cases"].as_array().cloned().unwrap_or_default();
    assert_eq!(cases.len(), 3);
    for case in cases {
        let text = |name: &str| case[name].as_str().unwrap_or_default().to_owned();
        let computed = auth::authorization(&text("api_key"), &text("api_secret"), &text("datetime"));
        let valid = case["valid"].as_bool().unwrap_or_default();
        assert_eq!(computed == text("authorization"), valid, "{case}");
    }
}

#[test]
fn sha256_signatures_match_pythons_hmac_and_both_algorithms_verify_with_one_refusal_for_a_wrong_one() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/particeep-auth-sha256.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let vectors: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    let cases = vectors["cases"].as_array().cloned().unwrap_or_default();
    assert_eq!(cases.len(), 3);
    for case in cases {
        let text = |name: &str| case[name].as_str().unwrap_or_default().to_owned();
        let (key, secret, date_time) = (text("key"), text("secret"), text("date_time"));
        let ours = auth::authorization_with(auth::Algorithm::Sha256, &key, &secret, &date_time);
        assert_eq!(ours, text("authorization"), "{case}");
        let signature = ours.rsplit(':').next().unwrap_or_default().to_owned();
        assert_eq!((signature.len(), auth::Algorithm::of_signature(&signature)), (88, Some(auth::Algorithm::Sha256)));
        let mut headers = axum::http::HeaderMap::new();
        headers.insert("datetime", date_time.parse().unwrap_or_else(|e| panic!("{e}")));
        let now = chrono::Utc::now();
        assert_eq!(auth::verify(&headers, &key, &secret, &signature, now, None), Ok(()));
        let sha1 = auth::signature(&key, &secret, &date_time);
        assert_eq!(sha1.len(), 56);
        assert_eq!(auth::verify(&headers, &key, &secret, &sha1, now, None), Ok(()));
        let wrong_secret = auth::signature_with(auth::Algorithm::Sha256, &key, "another", &date_time);
        for wrong in [wrong_secret.as_str(), &signature[..80], "bm90IGEgc2lnbmF0dXJl"] {
            assert_eq!(auth::verify(&headers, &key, &secret, wrong, now, None), Err(auth::AuthFailure::BadSignature));
        }
    }
}
