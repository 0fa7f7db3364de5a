//! Fuzz target: PTI's `x-pti-signature` and `x-pti-token` as sent by anyone. The bytes are split
//! into a signature, the string it should sign and a token; verification and token decoding must
//! refuse garbage with an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mock_server::providers::pti::{crypto, user_token_id, DEMO_CLIENT_PUBLIC_JWK};

const CLIENT: &str = "00000000-0000-0000-0000-000000000000";

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(3, '\n');
    let (signature, expected, token) =
        (parts.next().unwrap_or_default(), parts.next().unwrap_or_default(), parts.next().unwrap_or_default());
    let key = serde_json::from_str(DEMO_CLIENT_PUBLIC_JWK).ok().and_then(|json| crypto::ClientKey::from_json(&json).ok());
    if let Some(key) = key {
        let keys = [key];
        let _ = crypto::verify_request(signature, CLIENT, &keys, expected);
        let _ = crypto::verify_request(signature, CLIENT, &keys[..0], expected);
    }
    let _ = user_token_id(b"a fixed secret of the fuzz target, 64 bytes long, for HS512 ....", token, CLIENT);
});
