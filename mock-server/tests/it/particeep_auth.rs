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
