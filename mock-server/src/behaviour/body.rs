//! Reading a request's body for the shared behaviour: within the size limit (a declared length
//! over it refused before reading, so `Expect: 100-continue` gets 413 rather than 100 Continue),
//! within the body-read timeout (a head sent without its body does not hold its connection) and
//! at a minimum rate (a body trickled a byte at a time does not either).

use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::http::HeaderMap;
use http_body_util::BodyExt;

use super::CommonError;

/// How long before the minimum rate applies: a client may start slowly.
const RATE_GRACE: Duration = Duration::from_secs(2);

/// How fast a body must come.
#[derive(Debug, Clone, Copy)]
pub(super) struct Pace {
    /// The most the whole body may take.
    pub timeout: Duration,
    /// The slowest average rate past [`RATE_GRACE`] (0: none).
    pub min_bytes_per_sec: u64,
}

impl Pace {
    /// When the next bytes must have come, `read` bytes in, the body started at `started`.
    fn due(&self, started: Instant, read: usize) -> Instant {
        let hard = started + self.timeout;
        if self.min_bytes_per_sec == 0 {
            return hard;
        }
        let earned = Duration::from_secs_f64((read as f64 + 1.0) / self.min_bytes_per_sec as f64);
        (started + RATE_GRACE.max(earned)).min(hard)
    }
}

/// The body, or the error to answer and whether to close the connection after it.
pub(super) async fn read(
    headers: &HeaderMap,
    body: Body,
    limit: usize,
    pace: Pace,
) -> Result<Bytes, (CommonError, bool)> {
    let declared = headers
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return Err((CommonError::PayloadTooLarge { limit }, false));
    }
    let started = Instant::now();
    let mut body = body;
    let mut collected = bytes::BytesMut::new();
    loop {
        let due = pace.due(started, collected.len());
        match tokio::time::timeout_at(due.into(), body.frame()).await {
            // The head came, the body did not (or too slowly): answer, and let the connection go.
            Err(_) => return Err((CommonError::UnreadableBody, true)),
            Ok(None) => return Ok(collected.freeze()),
            Ok(Some(Err(err))) if is_length_limit(&err) => return Err((CommonError::PayloadTooLarge { limit }, false)),
            Ok(Some(Err(_))) => return Err((CommonError::UnreadableBody, false)),
            Ok(Some(Ok(frame))) => {
                if let Ok(data) = frame.into_data() {
                    if collected.len() + data.len() > limit {
                        return Err((CommonError::PayloadTooLarge { limit }, false));
                    }
                    collected.extend_from_slice(&data);
                }
            }
        }
    }
}

/// Whether reading failed on the size limit (rather than a broken body).
fn is_length_limit(err: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(current) = source {
        if current.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = current.source();
    }
    false
}
