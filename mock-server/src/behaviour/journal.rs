//! The request journal: a bounded ring buffer of recent exchanges, with secrets redacted.
//!
//! Recording is on every request's path and reading is rare, so an exchange is kept as it came
//! ([`Recorded`]: the headers copied into one buffer, the start of each body copied once) and made
//! readable only when the journal is read: UTF-8 decoding, redaction of secret headers and JSON
//! keys, and cutting happen then, for the entries asked for.

use std::collections::VecDeque;
use std::sync::Mutex;

use axum::http::HeaderMap;
use serde::{Deserialize, Serialize};

/// Headers whose values never reach the journal (nor anything built from it).
pub const REDACTED_HEADERS: &[&str] = &[
    "authorization",
    "secret",
    "token",
    "x-pti-signature",
    "x-pti-token",
    "cookie",
    "set-cookie",
    "proxy-authorization",
];

/// What replaces a secret.
pub const REDACTED: &str = "[redacted]";

use super::recorded::{lossy, truncate};
pub use super::recorded::{CapturedBody, RawHeaders, Recorded};
pub use super::redact::redact_json;
use super::redact::{may_hold_secrets, redact_text};

/// One recorded exchange, as `GET /__admin/requests` shows it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct JournalEntry {
    /// Increasing id, unique within the process.
    pub id: u64,
    /// When the request arrived (the twins' clock; RFC 3339 in JSON). Kept as a time and written
    /// as text only when the journal is read.
    pub at: chrono::DateTime<chrono::Utc>,
    /// The provider that answered.
    pub provider: String,
    /// HTTP method.
    pub method: String,
    /// The path as the client sent it (mount prefix included).
    pub path: String,
    /// The raw query string, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<String>,
    /// The status sent (0 when the connection was reset by a fault).
    pub status: u16,
    /// Time from the request's arrival to the response's head, in milliseconds.
    pub duration_ms: f64,
    /// Request headers, secrets redacted.
    pub request_headers: Vec<(String, String)>,
    /// The start of the request body (UTF-8, lossy), secrets redacted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_body: Option<String>,
    /// Response headers, secrets redacted.
    pub response_headers: Vec<(String, String)>,
    /// The start of the response body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_body: Option<String>,
    /// Set when an injected fault shaped this answer (`status 503`, `reset`, `latency`...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fault: Option<String>,
}

/// Filters of `GET /__admin/requests`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JournalFilter {
    /// Exact provider name.
    pub provider: Option<String>,
    /// Exact method, any case.
    pub method: Option<String>,
    /// Substring of the path.
    pub path: Option<String>,
    /// Exact status (`429`) or a class (`4xx`).
    pub status: Option<String>,
    /// At most this many entries (newest first); default 100.
    pub limit: Option<usize>,
}

impl JournalFilter {
    fn accepts(&self, entry: &Recorded) -> bool {
        self.provider.as_deref().is_none_or(|p| p == entry.provider)
            && self.method.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(entry.method.as_str()))
            && self.path.as_deref().is_none_or(|p| entry.path.contains(p))
            && self.status.as_deref().is_none_or(|s| status_matches(s, entry.status))
    }
}

fn status_matches(wanted: &str, status: u16) -> bool {
    let wanted = wanted.trim();
    match wanted.strip_suffix("xx").or_else(|| wanted.strip_suffix("XX")) {
        Some(class) => class.parse::<u16>().is_ok_and(|c| status / 100 == c),
        None => wanted.parse::<u16>().is_ok_and(|s| s == status),
    }
}

/// The bounded journal.
#[derive(Debug)]
pub struct Journal {
    enabled: bool,
    capacity: usize,
    body_capture_bytes: usize,
    max_bytes: usize,
    inner: Mutex<JournalInner>,
}

/// Header values kept per entry, each and in all: a peer sending 400 KiB headers must not make
/// the journal hold 400 KiB per request.
pub const HEADER_VALUE_BYTES: usize = 4 * 1024;
/// See [`HEADER_VALUE_BYTES`].
pub const HEADERS_BYTES: usize = 32 * 1024;

#[derive(Debug, Default)]
struct JournalInner {
    next_id: u64,
    // Shared, so a read copies them after the lock is released.
    entries: VecDeque<std::sync::Arc<Recorded>>,
    // What the entries hold, roughly, in bytes.
    bytes: usize,
}

/// Roughly how many bytes an entry holds.
fn size_of(entry: &Recorded) -> usize {
    256 + entry.path.len()
        + entry.query.as_ref().map_or(0, String::len)
        + entry.request_headers.held_bytes()
        + entry.response_headers.held_bytes()
        + entry.request_body.as_ref().map_or(0, CapturedBody::held_bytes)
        + entry.response_body.as_ref().map_or(0, CapturedBody::held_bytes)
}

impl Journal {
    /// A journal keeping at most `capacity` entries and `body_capture_bytes` of each body.
    pub fn new(enabled: bool, capacity: usize, body_capture_bytes: usize) -> Self {
        Self {
            enabled,
            capacity,
            body_capture_bytes,
            max_bytes: usize::MAX,
            inner: Mutex::new(JournalInner::default()),
        }
    }

    /// With the whole journal bounded in bytes too: the oldest entries go first past it.
    pub fn with_max_bytes(mut self, max_bytes: usize) -> Self {
        self.max_bytes = max_bytes.max(1);
        self
    }

    /// Whether requests are recorded at all.
    pub fn is_enabled(&self) -> bool {
        self.enabled
    }

    /// Records an entry (its id is assigned here), dropping the oldest when full.
    pub fn record(&self, mut entry: Recorded) {
        if !self.enabled {
            return;
        }
        let size = size_of(&entry);
        let evicted = {
            let mut inner = self.lock();
            inner.next_id += 1;
            entry.id = inner.next_id;
            let mut evicted = Vec::new();
            while !inner.entries.is_empty()
                && (inner.entries.len() >= self.capacity || inner.bytes + size > self.max_bytes)
            {
                if let Some(old) = inner.entries.pop_front() {
                    inner.bytes = inner.bytes.saturating_sub(size_of(&old));
                    evicted.push(old);
                }
            }
            inner.bytes += size;
            inner.entries.push_back(std::sync::Arc::new(entry));
            evicted
        };
        // Freed after the lock is released: an entry is a score of allocations, and every worker
        // records through this one lock.
        drop(evicted);
    }

    /// Matching entries, newest first.
    pub fn query(&self, filter: &JournalFilter) -> (usize, Vec<JournalEntry>) {
        let limit = filter.limit.unwrap_or(100);
        // Under the lock only the matching entries' handles are taken; they are copied after it
        // is released, so a large read never stalls the requests being recorded.
        let (total, shared): (usize, Vec<std::sync::Arc<Recorded>>) = {
            let inner = self.lock();
            let shared = inner.entries.iter().rev().filter(|e| filter.accepts(e)).take(limit).cloned().collect();
            (inner.entries.len(), shared)
        };
        (total, shared.iter().map(|entry| self.render(entry)).collect())
    }

    /// An entry made readable.
    fn render(&self, entry: &Recorded) -> JournalEntry {
        JournalEntry {
            id: entry.id,
            at: entry.at,
            provider: entry.provider.to_owned(),
            method: entry.method.to_string(),
            path: entry.path.clone(),
            query: entry.query.clone(),
            status: entry.status,
            duration_ms: entry.duration_ms,
            request_headers: entry.request_headers.render(),
            request_body: entry.request_body.as_ref().and_then(|b| self.readable(b)),
            response_headers: entry.response_headers.render(),
            response_body: entry.response_body.as_ref().and_then(|b| self.readable(b)),
            fault: entry.fault.clone(),
        }
    }

    /// A body as the journal keeps it: whole when it fits the capture size (and a few bytes more,
    /// to show the cut), else its start, redacted now if it may name a secret.
    pub fn capture(&self, bytes: &[u8]) -> Option<CapturedBody> {
        let keep = self.body_capture_bytes + 4;
        match bytes.len() {
            0 => None,
            n if n <= keep => Some(CapturedBody::Raw(Box::from(bytes))),
            _ if may_hold_secrets(bytes) => self.body(bytes).map(CapturedBody::Text),
            _ => Some(CapturedBody::Raw(Box::from(&bytes[..keep]))),
        }
    }

    fn readable(&self, body: &CapturedBody) -> Option<String> {
        match body {
            CapturedBody::Raw(bytes) => self.body(bytes),
            CapturedBody::Text(text) => Some(text.clone()),
        }
    }

    /// Forgets every entry.
    pub fn clear(&self) {
        let mut inner = self.lock();
        inner.entries.clear();
        inner.bytes = 0;
    }

    /// Headers as recorded: names lower-case, secrets redacted.
    pub fn headers(&self, headers: &HeaderMap) -> Vec<(String, String)> {
        RawHeaders::copy(headers).render()
    }

    /// A body as recorded: JSON with secret keys blanked, cut to the capture size.
    pub fn body(&self, bytes: &[u8]) -> Option<String> {
        if bytes.is_empty() {
            return None;
        }
        // Parsing to redact is the costly part of recording; most bodies name no secret key,
        // so look for the key names first and parse only when one is there.
        let may_hold_secrets = may_hold_secrets(bytes);
        let text = match may_hold_secrets.then(|| serde_json::from_slice::<serde_json::Value>(bytes)) {
            Some(Ok(mut json)) => {
                redact_json(&mut json);
                json.to_string()
            }
            // Not JSON (cut short, a form, garbage) but naming a secret: blank what follows each
            // secret key as text, so a body that is not quite JSON keeps no password raw.
            Some(Err(_)) => redact_text(&lossy(&bytes[..bytes.len().min(self.body_capture_bytes + 4)])),
            None => lossy(&bytes[..bytes.len().min(self.body_capture_bytes + 4)]),
        };
        Some(truncate(text, self.body_capture_bytes))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, JournalInner> {
        // Every update is a single push/pop, so a poisoned lock still holds a consistent deque.
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(status: u16, path: &str) -> Recorded {
        Recorded {
            id: 0,
            at: chrono::Utc::now(),
            provider: "kasisto",
            method: axum::http::Method::POST,
            path: path.into(),
            query: None,
            status,
            duration_ms: 0.0,
            request_headers: RawHeaders::default(),
            request_body: None,
            response_headers: RawHeaders::default(),
            response_body: None,
            fault: None,
        }
    }

    #[test]
    fn what_is_recorded_raw_is_redacted_and_cut_when_it_is_read() {
        let journal = Journal::new(true, 10, 40);
        let mut headers = HeaderMap::new();
        headers.insert("token", axum::http::HeaderValue::from_static("demo-token"));
        headers.insert(
            "x-long",
            axum::http::HeaderValue::from_str(&"v".repeat(HEADER_VALUE_BYTES + 100))
                .unwrap_or(axum::http::HeaderValue::from_static("x")),
        );
        let mut recorded = entry(200, "/kasisto/token");
        recorded.request_headers = RawHeaders::copy(&headers);
        recorded.request_body = journal.capture(br#"{"username":"joe","password":"demo-password"}"#);
        // Longer than the capture and naming a secret: redacted while whole, then cut.
        let long = format!(r#"{{"password":"demo-password","note":"{}"}}"#, "n".repeat(100));
        recorded.response_body = journal.capture(long.as_bytes());
        assert!(matches!(recorded.response_body, Some(CapturedBody::Text(_))));
        journal.record(recorded);
        let (_, entries) = journal.query(&JournalFilter::default());
        let read = &entries[0];
        assert_eq!(read.request_headers[0], ("token".to_string(), REDACTED.to_string()));
        assert_eq!(read.request_headers[1].1.len(), HEADER_VALUE_BYTES + "…[truncated]".len());
        let request = read.request_body.as_deref().unwrap_or_default();
        assert!(!request.contains("demo-password") && request.starts_with(r#"{"username":"joe","#), "{request}");
        let response = read.response_body.as_deref().unwrap_or_default();
        assert!(!response.contains("demo-password") && response.ends_with("…[truncated]"), "{response}");
        // A long body naming no secret keeps only its start.
        let plain = journal.capture("p".repeat(1000).as_bytes());
        assert_eq!(plain, Some(CapturedBody::Raw(Box::from("p".repeat(44).as_bytes()))));
    }

    #[test]
    fn the_journal_keeps_only_the_newest_entries() {
        let journal = Journal::new(true, 3, 100);
        for i in 0..5 {
            journal.record(entry(200, &format!("/kasisto/{i}")));
        }
        let (total, entries) = journal.query(&JournalFilter::default());
        assert_eq!(total, 3);
        let paths: Vec<_> = entries.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, ["/kasisto/4", "/kasisto/3", "/kasisto/2"]);
    }

    #[test]
    fn filters_select_by_status_class_and_path() {
        let journal = Journal::new(true, 10, 100);
        journal.record(entry(200, "/kasisto/accounts"));
        journal.record(entry(429, "/kasisto/accounts"));
        journal.record(entry(403, "/kasisto/transfer"));
        let filter = JournalFilter { status: Some("4xx".into()), path: Some("accounts".into()), ..Default::default() };
        let (_, entries) = journal.query(&filter);
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].status, 429);
    }

    #[test]
    fn secrets_in_headers_and_bodies_are_redacted() {
        let journal = Journal::new(true, 10, 100);
        let mut headers = HeaderMap::new();
        headers.insert("secret", "kasisto-demo-secret".parse().unwrap_or(axum::http::HeaderValue::from_static("x")));
        let recorded = journal.headers(&headers);
        assert_eq!(recorded, vec![("secret".to_string(), REDACTED.to_string())]);
        let body = journal.body(br#"{"username":"joe","password":"demo-password"}"#).unwrap_or_default();
        assert!(!body.contains("demo-password"), "{body}");
        assert!(body.contains("joe"), "{body}");
    }

    #[test]
    fn a_private_jwk_loses_its_private_parts_and_other_one_letter_keys_stay() {
        let journal = Journal::new(true, 10, 1000);
        let jwk =
            br#"{"keys":[{"kty":"RSA","n":"modulus","e":"AQAB","d":"private-exponent","p":"prime-1","qi":"coef"}]}"#;
        let body = journal.body(jwk).unwrap_or_default();
        for secret in ["private-exponent", "prime-1", "coef"] {
            assert!(!body.contains(secret), "{body}");
        }
        assert!(body.contains("modulus"), "{body}");
        let plain = journal.body(br#"{"d":"2026-11-30","p":1}"#).unwrap_or_default();
        assert_eq!(plain, r#"{"d":"2026-11-30","p":1}"#, "no JWK: nothing to redact");
    }

    #[test]
    fn long_bodies_are_cut_at_a_character_boundary() {
        let journal = Journal::new(true, 10, 5);
        let body = journal.body("ééééé".as_bytes()).unwrap_or_default();
        assert!(body.starts_with("éé"), "{body}");
        assert!(body.ends_with("[truncated]"), "{body}");
    }

    #[test]
    fn bodies_and_headers_that_are_not_utf8_are_recorded_with_replacement_characters() {
        let journal = Journal::new(true, 10, 100);
        assert_eq!(journal.body(b"ok \xff\xfe end").as_deref(), Some("ok \u{fffd}\u{fffd} end"));
        let mut headers = HeaderMap::new();
        let value =
            axum::http::HeaderValue::from_bytes(b"caf\xe9").unwrap_or(axum::http::HeaderValue::from_static("x"));
        headers.insert("x-note", value);
        assert_eq!(journal.headers(&headers), vec![("x-note".to_string(), "caf\u{fffd}".to_string())]);
    }
}
