//! Kasisto errors: one enum, rendered as the `error_response` body with Kasisto's statuses.
//!
//! The `code` values (1.0 defines none; these are ours, listed in the README):
//!
//! | status | code | when |
//! |---|---|---|
//! | 400 | `invalid_request` | body is not JSON, a field has the wrong type, a required field is missing |
//! | 401 | `authentication_failed` | `secret` header missing or wrong |
//! | 401 | `invalid_credentials` | `/token` with a wrong or missing username or password |
//! | 403 | `access_denied` | `token` missing, unknown or revoked; `user_id`, account or payee not the token's customer's |
//! | 403 | `token_expired` | `token` past its lifetime |
//! | 404 | `not_found` | no such endpoint |
//! | 405 | `method_not_allowed` | every endpoint is `POST` |
//! | 413 | `payload_too_large` | body over the configured limit |
//! | 429 | `too_many_requests` | rate limit hit; see `Retry-After` |
//! | 450 | `otp_required` | the call needs a stepped-up token; an OTP was issued (`otp_details` says where) |
//! | 451 | `otp_invalid` | wrong OTP; `meta` `remaining_attempts` |
//! | 452 | `otp_expired` | the OTP outlived its lifetime; the flow is over |
//! | 453 | `otp_too_many_failures` | the failure limit was reached; the flow is over |
//! | any | `injected_fault` | a fault rule asked for this status |

use crate::respond::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::model::{ErrorResponse, MetaField};
use crate::behaviour::CommonError;

/// Everything a Kasisto call can fail with.
#[derive(Debug, Clone, PartialEq)]
pub enum KasistoError {
    /// 400: the body could not be understood.
    InvalidRequest(String),
    /// 401: the `secret` header is missing or wrong.
    AuthenticationFailed(String),
    /// 401: `/token` credentials are wrong.
    InvalidCredentials,
    /// 403: no valid token, or data that is not the token's customer's.
    AccessDenied(String),
    /// 403: the token has expired.
    TokenExpired,
    /// 404: no such endpoint.
    NotFound(String),
    /// 405: wrong method.
    MethodNotAllowed,
    /// 450: step-up needed; an OTP was sent.
    OtpRequired {
        /// Where the OTP was sent.
        details: String,
    },
    /// 451: wrong OTP.
    OtpInvalid {
        /// Why (wrong code, none pending, already used).
        message: String,
        /// Attempts left before 453, when an OTP is pending.
        remaining_attempts: Option<u32>,
    },
    /// 452: the OTP expired.
    OtpExpired,
    /// 453: too many wrong codes.
    OtpTooManyFailures,
    /// A shared error (429, 413, an injected status).
    Common(CommonError),
}

impl From<CommonError> for KasistoError {
    fn from(error: CommonError) -> Self {
        Self::Common(error)
    }
}

/// Kasisto's OTP statuses, which `http` has no constants for.
fn otp_status(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::FORBIDDEN)
}

impl KasistoError {
    /// The HTTP status, `code` and message.
    fn parts(&self) -> (StatusCode, &'static str, String) {
        match self {
            Self::InvalidRequest(message) => (StatusCode::BAD_REQUEST, "invalid_request", message.clone()),
            Self::AuthenticationFailed(message) => (StatusCode::UNAUTHORIZED, "authentication_failed", message.clone()),
            Self::InvalidCredentials => {
                (StatusCode::UNAUTHORIZED, "invalid_credentials", "username or password is wrong".into())
            }
            Self::AccessDenied(message) => (StatusCode::FORBIDDEN, "access_denied", message.clone()),
            Self::TokenExpired => {
                (StatusCode::FORBIDDEN, "token_expired", "the token has expired; get a new one from /token".into())
            }
            Self::NotFound(path) => (StatusCode::NOT_FOUND, "not_found", format!("no Kasisto endpoint at {path}")),
            Self::MethodNotAllowed => {
                (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "every Kasisto endpoint is POST".into())
            }
            Self::OtpRequired { .. } => (
                otp_status(450),
                "otp_required",
                "a one-time password is required: validate it with /validate_otp, then retry with the new token".into(),
            ),
            Self::OtpInvalid { message, .. } => (otp_status(451), "otp_invalid", message.clone()),
            Self::OtpExpired => {
                (otp_status(452), "otp_expired", "the one-time password has expired; the request is cancelled".into())
            }
            Self::OtpTooManyFailures => (
                otp_status(453),
                "otp_too_many_failures",
                "too many wrong one-time passwords; the request is cancelled".into(),
            ),
            Self::Common(CommonError::Throttled { retry_after_secs }) => (
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_requests",
                format!("rate limit exceeded; retry after {retry_after_secs} s"),
            ),
            Self::Common(CommonError::PayloadTooLarge { limit }) => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!("the request body is larger than {limit} bytes"),
            ),
            Self::Common(CommonError::UnreadableBody) => {
                (StatusCode::BAD_REQUEST, "invalid_request", "the request body could not be read".into())
            }
            Self::Common(CommonError::Injected { status }) => {
                (*status, "injected_fault", format!("fault injected by the twin's configuration: {status}"))
            }
            Self::Common(CommonError::StateNotSaved) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "server_error",
                "the change could not be saved to the twin's state directory".into(),
            ),
        }
    }
}

impl IntoResponse for KasistoError {
    fn into_response(self) -> Response {
        let (status, code, message) = self.parts();
        let mut body = ErrorResponse { code: code.into(), message, otp_details: None, meta: None };
        match self {
            Self::OtpRequired { details } => body.otp_details = Some(details),
            Self::OtpInvalid { remaining_attempts: Some(left), .. } => {
                body.meta = Some(vec![MetaField::new("remaining_attempts", left.to_string())]);
            }
            Self::Common(CommonError::Throttled { retry_after_secs }) => {
                body.meta = Some(vec![MetaField::new("retry_after", retry_after_secs.to_string())]);
            }
            _ => {}
        }
        let mut response = (status, Json(body)).into_response();
        // HTTP/1 has no standard phrase for Kasisto's 45x codes; send the spec's own words.
        let phrase: Option<&'static [u8]> = match status.as_u16() {
            450 => Some(b"One-Time Password is required"),
            451 => Some(b"Invalid One-Time Password"),
            452 => Some(b"Expired One-Time Password"),
            453 => Some(b"Too Many One-Time Password Failures"),
            _ => None,
        };
        if let Some(phrase) = phrase {
            response.extensions_mut().insert(hyper::ext::ReasonPhrase::from_static(phrase));
        }
        response
    }
}

impl From<crate::extract::BodyProblem> for KasistoError {
    fn from(problem: crate::extract::BodyProblem) -> Self {
        Self::InvalidRequest(problem.message())
    }
}
