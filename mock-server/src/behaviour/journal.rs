//! The request journal: a bounded ring buffer of recent exchanges, with secrets redacted.

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

/// JSON keys whose values are blanked in recorded bodies, whatever else the key says (see
/// [`is_secret_key`]): `old_password`, `newPassword`, `api_secret`, `access_token`...
const SECRET_KEY_WORDS: &[&str] = &["password", "passwd", "secret", "private_key", "privatekey"];

/// A private JWK's parts: secret only as the exact key.
const JWK_PRIVATE_PARTS: &[&str] = &["d", "p", "q", "dp", "dq", "qi"];

/// Whether a body key names a secret: it holds a secret word, ends with `token` (a token, not
/// `token_type`), or is an OTP or a private JWK part.
fn is_secret_key(key: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    SECRET_KEY_WORDS.iter().any(|word| lower.contains(word))
        || lower.ends_with("token")
        || lower == "otp"
        || JWK_PRIVATE_PARTS.contains(&key)
}

/// What a body that may hold a secret key contains: the long key names, and `kty`, since the
/// one-letter keys (`d`, `p`, `q`...) are secret only inside a JWK. Searched without quotes: JSON
/// is full of them, and a search whose patterns start or end with one stops at every quote (it
/// was a tenth of all the work on a Kasisto `/accounts` request, measured with callgrind). A body
/// that names one of these words in a value is merely parsed for nothing.
const SECRET_MARKERS: &[&str] = &["password", "passwd", "secret", "private_key", "privatekey", "oken", "otp", "kty"];

/// One automaton for every marker: a single pass over a body tells whether it may hold a secret.
/// (`None` only if it could not be built; then every body is parsed, which is merely slower.)
static SECRET_KEY_FINDER: std::sync::LazyLock<Option<aho_corasick::AhoCorasick>> =
    std::sync::LazyLock::new(|| aho_corasick::AhoCorasick::new(SECRET_MARKERS).ok());

/// What replaces a secret.
pub const REDACTED: &str = "[redacted]";

/// One recorded exchange.
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
    fn accepts(&self, entry: &JournalEntry) -> bool {
        self.provider.as_deref().is_none_or(|p| p == entry.provider)
            && self.method.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(&entry.method))
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
    inner: Mutex<JournalInner>,
}

#[derive(Debug, Default)]
struct JournalInner {
    next_id: u64,
    entries: VecDeque<JournalEntry>,
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

    /// Records an entry (its id is assigned here), dropping the oldest when full.
    pub fn record(&self, mut entry: JournalEntry) {
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

    /// Matching entries, newest first.
    pub fn query(&self, filter: &JournalFilter) -> (usize, Vec<JournalEntry>) {
        let inner = self.lock();
        let limit = filter.limit.unwrap_or(100);
        let entries: Vec<JournalEntry> =
            inner.entries.iter().rev().filter(|e| filter.accepts(e)).take(limit).cloned().collect();
        (inner.entries.len(), entries)
    }

    /// Forgets every entry.
    pub fn clear(&self) {
        self.lock().entries.clear();
    }

    /// Headers as recorded: names lower-case, secrets redacted.
    pub fn headers(&self, headers: &HeaderMap) -> Vec<(String, String)> {
        headers
            .iter()
            .map(|(name, value)| {
                let name = name.as_str().to_owned();
                let value = if REDACTED_HEADERS.contains(&name.as_str()) {
                    REDACTED.to_owned()
                } else {
                    lossy(value.as_bytes())
                };
                (name, value)
            })
            .collect()
    }

    /// A body as recorded: JSON with secret keys blanked, cut to the capture size.
    pub fn body(&self, bytes: &[u8]) -> Option<String> {
        if bytes.is_empty() {
            return None;
        }
        // Parsing to redact is the costly part of recording; most bodies name no secret key,
        // so look for the key names first and parse only when one is there.
        let may_hold_secrets = SECRET_KEY_FINDER.as_ref().is_none_or(|finder| finder.is_match(bytes));
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

/// In text that is not JSON, blanks the value after each secret key: `"old_password": "x..."` up to
/// its closing quote, `password=x...` up to the next `&`. Written by hand (forty lines): no regex
/// crate is in the twin's build, and the two shapes are all a body that failed to parse shows.
fn redact_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| c.is_ascii_alphabetic() || c == '_') {
        out.push_str(&rest[..start]);
        let word_len =
            rest[start..].find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len() - start);
        let word = &rest[start..start + word_len];
        out.push_str(word);
        rest = &rest[start + word_len..];
        if !is_secret_key(word) {
            continue;
        }
        // `"key": "value"` (the key's closing quote, spaces, a colon, spaces, an opening quote).
        let after = rest.strip_prefix('"').unwrap_or(rest).trim_start();
        if let Some(value) = after.strip_prefix(':').map(str::trim_start).and_then(|v| v.strip_prefix('"')) {
            let consumed = rest.len() - value.len();
            out.push_str(&rest[..consumed]);
            let end = value.find('"').unwrap_or(value.len());
            out.push_str(REDACTED);
            rest = &value[end..];
        } else if let Some(value) = rest.strip_prefix('=') {
            out.push('=');
            let end = value.find('&').unwrap_or(value.len());
            out.push_str(REDACTED);
            rest = &value[end..];
        }
    }
    out.push_str(rest);
    out
}

/// Blanks the values of secret keys (passwords, secrets, tokens, OTPs, private key parts, in any
/// spelling of the key) anywhere in a JSON value.
pub fn redact_json(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, inner) in map.iter_mut() {
                if is_secret_key(key) && (inner.is_string() || inner.is_number()) {
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

    fn entry(status: u16, path: &str) -> JournalEntry {
        JournalEntry {
            id: 0,
            at: chrono::Utc::now(),
            provider: "kasisto".into(),
            method: "POST".into(),
            path: path.into(),
            query: None,
            status,
            duration_ms: 0.0,
            request_headers: vec![],
            request_body: None,
            response_headers: vec![],
            response_body: None,
            fault: None,
        }
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
