//! PTI errors: the v0 `error` body `{code, message}` (message printable ASCII, at most 1000
//! characters), and 406's `inputRequest {url, fields}`.
//!
//! v0 defines no `code` values; ours are the HTTP status times ten plus a variant (README):
//! 4000 invalid body or header, 4001 unknown scenario, 4010 no signature or token, 4011 bad
//! signature, 4012 bad or expired token, 4013 token already used, 4014 unknown client, 4030
//! token for another URL or method, 4031 user not ACTIVE, 4040 unknown user, 4041 unknown
//! request, 4090 request id already used, 4091 user already exists, 4130 body too large,
//! 4290 throttled, 4050 method not allowed, and the injected status × 10 for faults.

use crate::respond::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::model::{ErrorBody, InputRequest};
use crate::behaviour::CommonError;

/// Everything a PTI call can fail with.
#[derive(Debug, Clone, PartialEq)]
pub enum PtiError {
    /// 400 with a code and message.
    BadRequest(i32, String),
    /// 401 with a code and message.
    Unauthorized(i32, String),
    /// 403 with a code and message.
    Forbidden(i32, String),
    /// 404 with a code and message.
    NotFound(i32, String),
    /// 405.
    MethodNotAllowed,
    /// 406: more about the user is needed.
    MoreInformation(InputRequest),
    /// 409 with a code and message.
    Conflict(i32, String),
    /// A shared error.
    Common(CommonError),
}

/// PTI's message rule: printable ASCII, at most 1000 characters.
fn printable(message: &str) -> String {
    let mut text: String = message.chars().map(|c| if (' '..='~').contains(&c) { c } else { '?' }).collect();
    text.truncate(1000);
    text
}

impl IntoResponse for PtiError {
    fn into_response(self) -> Response {
        let (status, code, message) = match self {
            Self::MoreInformation(request) => return (StatusCode::NOT_ACCEPTABLE, Json(request)).into_response(),
            Self::BadRequest(code, message) => (StatusCode::BAD_REQUEST, code, message),
            Self::Unauthorized(code, message) => (StatusCode::UNAUTHORIZED, code, message),
            Self::Forbidden(code, message) => (StatusCode::FORBIDDEN, code, message),
            Self::NotFound(code, message) => (StatusCode::NOT_FOUND, code, message),
            Self::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, 4050, "method not allowed".to_owned()),
            Self::Conflict(code, message) => (StatusCode::CONFLICT, code, message),
            Self::Common(CommonError::Throttled { retry_after_secs }) => {
                (StatusCode::TOO_MANY_REQUESTS, 4290, format!("too many requests; retry after {retry_after_secs} s"))
            }
            Self::Common(CommonError::PayloadTooLarge { limit }) => {
                (StatusCode::PAYLOAD_TOO_LARGE, 4130, format!("the request body is larger than {limit} bytes"))
            }
            Self::Common(CommonError::UnreadableBody) => {
                (StatusCode::BAD_REQUEST, 4000, "the request body could not be read".to_owned())
            }
            Self::Common(CommonError::Injected { status }) => (
                status,
                i32::from(status.as_u16()) * 10,
                format!("fault injected by the twin's configuration: {status}"),
            ),
            Self::Common(CommonError::StateNotSaved) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                5000,
                "the change could not be saved to the twin's state directory".to_owned(),
            ),
        };
        (status, Json(ErrorBody { code, message: printable(&message) })).into_response()
    }
}
