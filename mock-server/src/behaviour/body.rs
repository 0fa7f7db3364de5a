//! Reading a request's body for the shared behaviour: within the size limit (a declared length
//! over it refused before reading, so `Expect: 100-continue` gets 413 rather than 100 Continue)
//! and within the body-read timeout (a head sent without its body does not hold its connection).

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::HeaderMap;

use super::CommonError;

/// The body, or the error to answer and whether to close the connection after it.
pub(super) async fn read(
    headers: &HeaderMap,
    body: Body,
    limit: usize,
    timeout: Duration,
) -> Result<Bytes, (CommonError, bool)> {
    let declared = headers
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return Err((CommonError::PayloadTooLarge { limit }, false));
    }
    match tokio::time::timeout(timeout, axum::body::to_bytes(body, limit)).await {
        // The head came, the body did not: answer, and let the connection go.
        Err(_) => Err((CommonError::UnreadableBody, true)),
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(err)) if is_length_limit(&err) => Err((CommonError::PayloadTooLarge { limit }, false)),
        Ok(Err(_)) => Err((CommonError::UnreadableBody, false)),
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
