//! Fuzz target: Particeep's `Authorization: PTP:key:signature` and `DateTime` headers as sent by
//! anyone. Parsing and verification must refuse garbage with an error, never a panic.
#![no_main]

use axum::http::{HeaderMap, HeaderValue};
use libfuzzer_sys::fuzz_target;
use mock_server::providers::particeep::auth;

fuzz_target!(|data: &[u8]| {
    let split = data.iter().position(|b| *b == b'\n').unwrap_or(data.len());
    let (authorization, date_time) = data.split_at(split);
    let mut headers = HeaderMap::new();
    if let Ok(value) = HeaderValue::from_bytes(authorization) {
        headers.insert("authorization", value);
    }
    if let Ok(value) = HeaderValue::from_bytes(date_time.get(1..).unwrap_or_default()) {
        headers.insert("datetime", value);
    }
    if let Ok((key, given)) = auth::parse_header(&headers) {
        let now = chrono::Utc::now();
        let _ = auth::verify(&headers, &key, "secret", &given, now, Some(300));
        let _ = auth::verify(&headers, &key, "secret", &given, now, None);
    }
    if let Ok(text) = std::str::from_utf8(date_time) {
        let _ = auth::parse_date_time(text);
    }
});
