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

/// What went wrong, as data: each kind has its HTTP status and its `code` (the table above).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PtiErrorKind {
    /// 400 4000: an invalid body, header, path or query.
    InvalidRequest,
    /// 400 4001: an unknown scenario.
    UnknownScenario,
    /// 401 4010: no signature or token.
    MissingCredentials,
    /// 401 4011: a signature that does not verify.
    BadSignature,
    /// 401 4012: a token this twin did not sign, or an expired one.
    BadToken,
    /// 401 4013: a single-use token used again.
    TokenUsed,
    /// 401 4014: an unknown client.
    UnknownClient,
    /// 403 4030: a token for another URL or method.
    WrongTokenTarget,
    /// 403 4031: a user who is not ACTIVE.
    UserNotActive,
    /// 404 4040: an unknown user.
    UnknownUser,
    /// 404 4041: an unknown request.
    UnknownRequest,
    /// 409 4090: a request id already used.
    RequestIdUsed,
    /// 409 4091: a user who already exists.
    UserExists,
    /// 406 4060: more about the user is needed, said in the `error` shape (a funding: the spec
    /// declares 406 `inputRequest` for transaction logs and transactions only).
    MoreInformation,
}

impl PtiErrorKind {
    /// Its HTTP status.
    pub const fn status(self) -> StatusCode {
        match self {
            Self::InvalidRequest | Self::UnknownScenario => StatusCode::BAD_REQUEST,
            Self::MissingCredentials | Self::BadSignature | Self::BadToken | Self::TokenUsed | Self::UnknownClient => {
                StatusCode::UNAUTHORIZED
            }
            Self::WrongTokenTarget | Self::UserNotActive => StatusCode::FORBIDDEN,
            Self::UnknownUser | Self::UnknownRequest => StatusCode::NOT_FOUND,
            Self::RequestIdUsed | Self::UserExists => StatusCode::CONFLICT,
            Self::MoreInformation => StatusCode::NOT_ACCEPTABLE,
        }
    }

    /// Its `code` in the error body.
    pub const fn code(self) -> i32 {
        match self {
            Self::InvalidRequest => 4000,
            Self::UnknownScenario => 4001,
            Self::MissingCredentials => 4010,
            Self::BadSignature => 4011,
            Self::BadToken => 4012,
            Self::TokenUsed => 4013,
            Self::UnknownClient => 4014,
            Self::WrongTokenTarget => 4030,
            Self::UserNotActive => 4031,
            Self::UnknownUser => 4040,
            Self::UnknownRequest => 4041,
            Self::RequestIdUsed => 4090,
            Self::UserExists => 4091,
            Self::MoreInformation => 4060,
        }
    }
}

/// Everything a PTI call can fail with.
#[derive(Debug, Clone, PartialEq)]
pub enum PtiError {
    /// A kind of failure, with the message the client sees.
    Failed(PtiErrorKind, String),
    /// 405.
    MethodNotAllowed,
    /// 406: more about the user is needed.
    MoreInformation(InputRequest),
    /// A shared error.
    Common(CommonError),
}

impl PtiError {
    /// A failure of `kind` saying `message`.
    pub fn new(kind: PtiErrorKind, message: String) -> Self {
        Self::Failed(kind, message)
    }

    /// The same, with a 406 `inputRequest` said in the `error` shape instead (where the spec
    /// declares no `inputRequest`: its `default` answer is `{code, message}`). The message names
    /// the form and the fields, so a person (or a log) still learns what to collect.
    pub fn without_input_request(self) -> Self {
        match self {
            Self::MoreInformation(request) => Self::Failed(
                PtiErrorKind::MoreInformation,
                format!(
                    "more about the user is needed ({}): complete the form at {}",
                    request.fields.join(", "),
                    request.url
                ),
            ),
            other => other,
        }
    }
}

/// PTI's message rule: printable ASCII, at most 1000 characters.
pub fn printable(message: &str) -> String {
    let mut text: String = message.chars().map(|c| if (' '..='~').contains(&c) { c } else { '?' }).collect();
    text.truncate(1000);
    text
}

impl IntoResponse for PtiError {
    fn into_response(self) -> Response {
        match self.into_parts() {
            Ok((status, code, message)) => {
                (status, Json(ErrorBody { code, message: printable(&message) })).into_response()
            }
            Err(request) => (StatusCode::NOT_ACCEPTABLE, Json(request)).into_response(),
        }
    }
}

impl PtiError {
    /// Its status, `code` and message (printable ASCII is made of it when rendered), or the
    /// 406's `inputRequest`. v1 renders the same parts in its own shapes.
    pub fn into_parts(self) -> Result<(StatusCode, i32, String), InputRequest> {
        Ok(match self {
            Self::MoreInformation(request) => return Err(request),
            Self::Failed(kind, message) => (kind.status(), kind.code(), message),
            Self::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, 4050, "method not allowed".to_owned()),
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
        })
    }
}

impl From<crate::extract::BodyProblem> for PtiError {
    fn from(problem: crate::extract::BodyProblem) -> Self {
        Self::new(PtiErrorKind::InvalidRequest, problem.message())
    }
}
