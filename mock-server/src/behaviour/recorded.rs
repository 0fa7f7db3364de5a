//! An exchange as the journal keeps it ([`Recorded`]): the headers copied into one buffer and the
//! start of each body copied once, made readable (decoded, redacted, cut) only when read.

use axum::http::HeaderMap;

use super::journal::{HEADERS_BYTES, HEADER_VALUE_BYTES, REDACTED, REDACTED_HEADERS};

/// One exchange as the pipeline records it: what the request and response carried, copied
/// compactly and not yet made readable.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// Assigned when it is recorded.
    pub id: u64,
    /// When the request arrived.
    pub at: chrono::DateTime<chrono::Utc>,
    /// The provider that answered.
    pub provider: &'static str,
    /// HTTP method.
    pub method: axum::http::Method,
    /// The path as the client sent it.
    pub path: String,
    /// The raw query string.
    pub query: Option<String>,
    /// The status sent (0: reset by a fault).
    pub status: u16,
    /// Arrival to the response's head, in milliseconds.
    pub duration_ms: f64,
    /// Request headers.
    pub request_headers: RawHeaders,
    /// The start of the request body.
    pub request_body: Option<CapturedBody>,
    /// Response headers.
    pub response_headers: RawHeaders,
    /// The start of the response body, or what went wrong reading it.
    pub response_body: Option<CapturedBody>,
    /// The injected fault that shaped the answer.
    pub fault: Option<String>,
}

/// The start of a body as recorded.
#[derive(Debug, Clone, PartialEq)]
pub enum CapturedBody {
    /// The bytes, made readable (and redacted) when the journal is read.
    Raw(Box<[u8]>),
    /// Already readable: a body too long to keep whole that may name a secret is redacted while
    /// it is whole (a JSON body's secrets can only be found in the whole body), and a note.
    Text(String),
}

impl CapturedBody {
    /// The bytes it holds (what the journal's size bound counts).
    pub fn held_bytes(&self) -> usize {
        match self {
            Self::Raw(bytes) => bytes.len(),
            Self::Text(text) => text.len(),
        }
    }
}

/// Headers copied into one buffer, `name\0value\0` each (a header value cannot hold a NUL), each
/// value and the whole cut to what the journal keeps.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawHeaders {
    packed: Box<[u8]>,
    /// Headers left out past the journal's size for them.
    left_out: usize,
}

impl RawHeaders {
    /// Copies `headers`, at most [`HEADER_VALUE_BYTES`] (and a few more, to show the cut) of each
    /// value and [`HEADERS_BYTES`] in all.
    pub fn copy(headers: &HeaderMap) -> Self {
        let mut packed = Vec::with_capacity(
            headers.iter().map(|(n, v)| n.as_str().len() + v.len() + 2).sum::<usize>().min(HEADERS_BYTES + 64),
        );
        let mut left_out = 0;
        for (index, (name, value)) in headers.iter().enumerate() {
            let value = &value.as_bytes()[..value.len().min(HEADER_VALUE_BYTES + 4)];
            if packed.len() + name.as_str().len() + value.len() > HEADERS_BYTES {
                left_out = headers.len() - index;
                break;
            }
            packed.extend_from_slice(name.as_str().as_bytes());
            packed.push(0);
            packed.extend_from_slice(value);
            packed.push(0);
        }
        Self { packed: packed.into_boxed_slice(), left_out }
    }

    /// The headers as text: names lower-case, secrets redacted, long values cut.
    pub fn render(&self) -> Vec<(String, String)> {
        let mut parts = self.packed.split(|b| *b == 0);
        let mut out = Vec::new();
        while let (Some(name), Some(value)) = (parts.next(), parts.next()) {
            let name = lossy(name);
            let value = if REDACTED_HEADERS.contains(&name.as_str()) {
                REDACTED.to_owned()
            } else {
                truncate(lossy(value), HEADER_VALUE_BYTES)
            };
            out.push((name, value));
        }
        if self.left_out > 0 {
            out.push(("…".into(), format!("[truncated: {} more header(s)]", self.left_out)));
        }
        out
    }

    /// The bytes it holds (what the journal's size bound counts).
    pub fn held_bytes(&self) -> usize {
        self.packed.len()
    }
}

/// The bytes as text. Valid UTF-8 (nearly every body and header) is checked in one fast pass;
/// `String::from_utf8_lossy` walks it chunk by chunk, a measurable share of recording.
pub(super) fn lossy(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// `text` cut to `max` bytes at a character boundary, with a mark saying so.
pub(super) fn truncate(mut text: String, max: usize) -> String {
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
