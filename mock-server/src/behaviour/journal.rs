//! The request journal: a bounded ring buffer of recent exchanges, with secrets redacted.
//!
//! An exchange is kept as it was ([`Exchange`]: the header maps and body bytes, shared with the
//! request and response rather than copied) and turned into text ([`JournalEntry`]) only when the
//! journal is read: recording sits on every request's path, reading on few. Secrets never enter
//! it: a secret header's value is replaced, and a body that may hold a secret key is redacted, as
//! the exchange is recorded.

use std::collections::VecDeque;
use std::sync::Mutex;

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, Method, Uri};
use chrono::{DateTime, Utc};
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

/// JSON keys whose values are blanked in recorded bodies.
const REDACTED_BODY_KEYS: &[&str] = &["password", "secret", "private_key", "d", "p", "q", "dp", "dq", "qi"];

/// The same keys as they appear in JSON text, for a cheap look before parsing.
const QUOTED_BODY_KEYS: &[&str] =
    &["\"password\"", "\"secret\"", "\"private_key\"", "\"d\"", "\"p\"", "\"q\"", "\"dp\"", "\"dq\"", "\"qi\""];

/// One automaton for every quoted key: a single pass over a body tells whether it may hold one.
/// (`None` only if it could not be built; then every body is parsed, which is merely slower.)
static SECRET_KEY_FINDER: std::sync::LazyLock<Option<aho_corasick::AhoCorasick>> =
    std::sync::LazyLock::new(|| aho_corasick::AhoCorasick::new(QUOTED_BODY_KEYS).ok());

/// What replaces a secret.
pub const REDACTED: &str = "[redacted]";

/// One recorded exchange, as the admin API shows it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct JournalEntry {
    /// Increasing id, unique within the process.
    pub id: u64,
    /// When the request arrived (the twins' clock, RFC 3339).
    pub at: String,
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
    fn accepts(&self, exchange: &Exchange) -> bool {
        self.provider.as_deref().is_none_or(|p| p == exchange.provider)
            && self.method.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(exchange.method.as_str()))
            && self.path.as_deref().is_none_or(|p| exchange.uri.path().contains(p))
            && self.status.as_deref().is_none_or(|s| status_matches(s, exchange.status))
    }
}

/// A body as kept.
#[derive(Debug, Clone, Default)]
pub enum KeptBody {
    /// None was sent.
    #[default]
    Empty,
    /// The bytes (cut a little past the capture size), naming no secret key.
    Raw(Bytes),
    /// Text already made: a redacted JSON body, or why the body could not be read.
    Text(String),
}

/// One exchange as kept until the journal is read.
#[derive(Debug, Clone)]
pub struct Exchange {
    id: u64,
    at: DateTime<Utc>,
    provider: &'static str,
    method: Method,
    /// The URI as the client sent it (mount prefix included).
    uri: Uri,
    /// The status sent (0 when the connection was reset by a fault).
    pub status: u16,
    /// Time from the request's arrival to the response's head, in milliseconds.
    pub duration_ms: f64,
    request_headers: HeaderMap,
    /// The request body.
    pub request_body: KeptBody,
    response_headers: HeaderMap,
    /// The response body.
    pub response_body: KeptBody,
    /// Set when an injected fault shaped this answer (`status 503`, `reset`, `latency`...).
    pub fault: Option<String>,
}

impl Exchange {
    /// The response's headers (secrets replaced).
    pub fn set_response_headers(&mut self, headers: &HeaderMap) {
        self.response_headers = kept_headers(headers);
    }
}

/// A copy of `headers` with every secret header's value replaced. Cloning a header map shares
/// its values' bytes rather than copying them.
fn kept_headers(headers: &HeaderMap) -> HeaderMap {
    let mut kept = headers.clone();
    for name in REDACTED_HEADERS {
        if kept.contains_key(*name) {
            kept.insert(*name, HeaderValue::from_static(REDACTED));
        }
    }
    kept
}

/// Headers as text: names lower-case, values lossy UTF-8.
fn rendered_headers(headers: &HeaderMap) -> Vec<(String, String)> {
    headers.iter().map(|(name, value)| (name.as_str().to_owned(), lossy(value.as_bytes()))).collect()
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
    inner: Mutex<JournalInner>,
}

#[derive(Debug, Default)]
struct JournalInner {
    next_id: u64,
    entries: VecDeque<Exchange>,
}

impl Journal {
    /// A journal keeping at most `capacity` entries and `body_capture_bytes` of each body.
    pub fn new(enabled: bool, capacity: usize, body_capture_bytes: usize) -> Self {
        Self { enabled, capacity, body_capture_bytes, inner: Mutex::new(JournalInner::default()) }
    }

    /// Whether requests are recorded at all.
    pub fn is_enabled(&self) -> bool {
        self.enabled
    }

    /// The start of an exchange: when it arrived, who answers it, and the request's head.
    pub fn exchange(
        &self,
        at: DateTime<Utc>,
        provider: &'static str,
        method: &Method,
        uri: &Uri,
        headers: &HeaderMap,
    ) -> Exchange {
        Exchange {
            id: 0,
            at,
            provider,
            method: method.clone(),
            uri: uri.clone(),
            status: 0,
            duration_ms: 0.0,
            request_headers: kept_headers(headers),
            request_body: KeptBody::Empty,
            response_headers: HeaderMap::new(),
            response_body: KeptBody::Empty,
            fault: None,
        }
    }

    /// Records an exchange (its id is assigned here), dropping the oldest when full.
    pub fn record(&self, mut entry: Exchange) {
        if !self.enabled {
            return;
        }
        let evicted = {
            let mut inner = self.lock();
            inner.next_id += 1;
            entry.id = inner.next_id;
            let evicted = if inner.entries.len() >= self.capacity { inner.entries.pop_front() } else { None };
            inner.entries.push_back(entry);
            evicted
        };
        // Freed after the lock is released: an entry is a score of allocations, and every worker
        // records through this one lock.
        drop(evicted);
    }

    /// Matching entries, newest first, as text.
    pub fn query(&self, filter: &JournalFilter) -> (usize, Vec<JournalEntry>) {
        let limit = filter.limit.unwrap_or(100);
        // Copied out under the lock (the copies share their bytes), rendered after it.
        let (total, matching): (usize, Vec<Exchange>) = {
            let inner = self.lock();
            (
                inner.entries.len(),
                inner.entries.iter().rev().filter(|e| filter.accepts(e)).take(limit).cloned().collect(),
            )
        };
        (total, matching.iter().map(|exchange| self.render(exchange)).collect())
    }

    fn render(&self, exchange: &Exchange) -> JournalEntry {
        JournalEntry {
            id: exchange.id,
            at: exchange.at.to_rfc3339(),
            provider: exchange.provider.to_owned(),
            method: exchange.method.to_string(),
            path: exchange.uri.path().to_owned(),
            query: exchange.uri.query().map(str::to_owned),
            status: exchange.status,
            duration_ms: exchange.duration_ms,
            request_headers: rendered_headers(&exchange.request_headers),
            request_body: self.rendered_body(&exchange.request_body),
            response_headers: rendered_headers(&exchange.response_headers),
            response_body: self.rendered_body(&exchange.response_body),
            fault: exchange.fault.clone(),
        }
    }

    fn rendered_body(&self, body: &KeptBody) -> Option<String> {
        match body {
            KeptBody::Empty => None,
            KeptBody::Raw(bytes) => Some(truncate(lossy(bytes), self.body_capture_bytes)),
            // Cut when it was made.
            KeptBody::Text(text) => Some(text.clone()),
        }
    }

    /// Forgets every entry.
    pub fn clear(&self) {
        self.lock().entries.clear();
    }

    /// A body as kept: JSON naming a secret key is redacted now; any other body is kept as bytes
    /// (shared, not copied, unless it is much longer than the capture size).
    pub fn keep_body(&self, bytes: &Bytes) -> KeptBody {
        if bytes.is_empty() {
            return KeptBody::Empty;
        }
        // Parsing to redact is the costly part of recording; most bodies name no secret key,
        // so look for the key names first and parse only when one is there.
        let may_hold_secrets = SECRET_KEY_FINDER.as_ref().is_none_or(|finder| finder.is_match(bytes));
        if let Some(Ok(mut json)) = may_hold_secrets.then(|| serde_json::from_slice::<serde_json::Value>(bytes)) {
            redact_json(&mut json);
            return KeptBody::Text(truncate(json.to_string(), self.body_capture_bytes));
        }
        // A few bytes past the cut, so rendering can tell the body was longer.
        let keep = self.body_capture_bytes + 4;
        if bytes.len() <= keep {
            KeptBody::Raw(bytes.clone())
        } else {
            // A copy of the start, so a large body's buffer is not held by the journal.
            KeptBody::Raw(Bytes::copy_from_slice(&bytes[..keep]))
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, JournalInner> {
        // Every update is a single push/pop, so a poisoned lock still holds a consistent deque.
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Blanks the values of secret keys (password, secret, private key parts) anywhere in a JSON value.
pub fn redact_json(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, inner) in map.iter_mut() {
                if REDACTED_BODY_KEYS.contains(&key.as_str()) && inner.is_string() {
                    *inner = serde_json::Value::String(REDACTED.into());
                } else {
                    redact_json(inner);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(redact_json),
        _ => {}
    }
}

/// The bytes as text. Valid UTF-8 (nearly every body and header) is checked in one fast pass;
/// `String::from_utf8_lossy` walks it chunk by chunk, a measurable share of recording.
fn lossy(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => String::from_utf8_lossy(bytes).into_owned(),
    }
}

fn truncate(mut text: String, max: usize) -> String {
    if text.len() > max {
        let mut cut = max;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        text.push_str("…[truncated]");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(journal: &Journal, status: u16, path: &str, headers: &HeaderMap, body: &[u8]) {
        let uri: Uri = path.parse().unwrap_or_default();
        let mut exchange = journal.exchange(Utc::now(), "kasisto", &Method::POST, &uri, headers);
        exchange.status = status;
        exchange.request_body = journal.keep_body(&Bytes::copy_from_slice(body));
        journal.record(exchange);
    }

    fn only(journal: &Journal) -> JournalEntry {
        journal.query(&JournalFilter::default()).1.remove(0)
    }

    #[test]
    fn the_journal_keeps_only_the_newest_entries() {
        let journal = Journal::new(true, 3, 100);
        for i in 0..5 {
            record(&journal, 200, &format!("/kasisto/{i}"), &HeaderMap::new(), b"");
        }
        let (total, entries) = journal.query(&JournalFilter::default());
        assert_eq!(total, 3);
        let paths: Vec<_> = entries.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, ["/kasisto/4", "/kasisto/3", "/kasisto/2"]);
    }

    #[test]
    fn filters_select_by_status_class_and_path_and_the_query_is_kept_apart() {
        let journal = Journal::new(true, 10, 100);
        record(&journal, 200, "/kasisto/accounts", &HeaderMap::new(), b"");
        record(&journal, 429, "/kasisto/accounts?page=2", &HeaderMap::new(), b"");
        record(&journal, 403, "/kasisto/transfer", &HeaderMap::new(), b"");
        let filter = JournalFilter { status: Some("4xx".into()), path: Some("accounts".into()), ..Default::default() };
        let (_, entries) = journal.query(&filter);
        assert_eq!(entries.len(), 1);
        assert_eq!((entries[0].status, entries[0].path.as_str()), (429, "/kasisto/accounts"));
        assert_eq!(entries[0].query.as_deref(), Some("page=2"));
    }

    #[test]
    fn secrets_in_headers_and_bodies_are_redacted_before_they_are_kept() {
        let journal = Journal::new(true, 10, 100);
        let mut headers = HeaderMap::new();
        headers.insert("secret", HeaderValue::from_static("kasisto-demo-secret"));
        headers.insert("x-trace", HeaderValue::from_static("t-1"));
        record(&journal, 200, "/kasisto/token", &headers, br#"{"username":"joe","password":"demo-password"}"#);
        {
            let inner = journal.lock();
            let kept = &inner.entries[0];
            assert_eq!(kept.request_headers["secret"], REDACTED, "replaced in what is kept, not only when shown");
            assert!(matches!(&kept.request_body, KeptBody::Text(text) if !text.contains("demo-password")));
        }
        let entry = only(&journal);
        assert!(entry.request_headers.contains(&("secret".to_string(), REDACTED.to_string())));
        assert!(entry.request_headers.contains(&("x-trace".to_string(), "t-1".to_string())));
        let body = entry.request_body.unwrap_or_default();
        assert!(!body.contains("demo-password") && body.contains("joe"), "{body}");
    }

    #[test]
    fn long_bodies_are_cut_at_a_character_boundary() {
        let journal = Journal::new(true, 10, 5);
        record(&journal, 200, "/kasisto/x", &HeaderMap::new(), "ééééé".as_bytes());
        let body = only(&journal).request_body.unwrap_or_default();
        assert!(body.starts_with("éé"), "{body}");
        assert!(body.ends_with("[truncated]"), "{body}");
    }

    #[test]
    fn bodies_and_headers_that_are_not_utf8_are_recorded_with_replacement_characters() {
        let journal = Journal::new(true, 10, 100);
        let mut headers = HeaderMap::new();
        headers.insert("x-note", HeaderValue::from_bytes(b"caf\xe9").unwrap_or(HeaderValue::from_static("x")));
        record(&journal, 200, "/kasisto/x", &headers, b"ok \xff\xfe end");
        let entry = only(&journal);
        assert_eq!(entry.request_body.as_deref(), Some("ok \u{fffd}\u{fffd} end"));
        assert_eq!(entry.request_headers, vec![("x-note".to_string(), "caf\u{fffd}".to_string())]);
    }
}
