//! Particeep errors: `{hasError: true, errors: [{technicalCode, message}]}` with technicalCodes in
//! Particeep's `error.<entity>.<reason>` style. Only `error.user.none` is Particeep's own; the rest
//! of the catalogue is the twin's (see the README's Particeep section).

use crate::respond::Json;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::model::{ErrorBody, ErrorItem};
use crate::behaviour::CommonError;

/// A Particeep error: its status, technicalCode and message.
#[derive(Debug, Clone, PartialEq)]
pub struct ParticeepError {
    /// HTTP status.
    pub status: StatusCode,
    /// `technicalCode`.
    pub code: &'static str,
    /// `message`.
    pub message: String,
    /// `Retry-After`, for 429.
    pub retry_after_secs: Option<u64>,
}

/// Marks a response as an error, so the envelope puts the body under `error`.
#[derive(Debug, Clone, Copy)]
pub struct IsError;

impl ParticeepError {
    /// An error with this status, code and message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self { status, code, message: message.into(), retry_after_secs: None }
    }

    /// 400 with a code.
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// 404 with a code.
    pub fn not_found(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, code, message)
    }

    /// A shared error in Particeep's shape.
    pub fn common(error: CommonError) -> Self {
        match error {
            CommonError::Throttled { retry_after_secs } => Self {
                retry_after_secs: Some(retry_after_secs),
                ..Self::new(StatusCode::TOO_MANY_REQUESTS, "error.api.rate.limit", "too many requests")
            },
            CommonError::PayloadTooLarge { limit } => Self::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "error.api.body.too.large",
                format!("the request body is larger than {limit} bytes"),
            ),
            CommonError::UnreadableBody => {
                Self::bad_request("error.api.body.unreadable", "the request body could not be read")
            }
            CommonError::Injected { status } => {
                Self::new(status, "error.api.injected", "fault injected by the twin's configuration")
            }
            CommonError::StateNotSaved => Self::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "error.api.internal",
                "the change could not be saved to the twin's state directory",
            ),
        }
    }
}

impl IntoResponse for ParticeepError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            has_error: true,
            errors: vec![ErrorItem { technical_code: self.code.to_owned(), message: self.message }],
        };
        let mut response = (self.status, Json(body)).into_response();
        if let Some(secs) = self.retry_after_secs {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response.extensions_mut().insert(IsError);
        response
    }
}
