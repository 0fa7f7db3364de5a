//! v1's error bodies, as the spec and the guide's status-code page give them: a 400 is a managed
//! error `{type: "INVALID_REQUEST", code: 1000, errors: [...]}` (or another managed type, such as
//! `NOT_ENOUGH_FUNDS` 3000); a 422 is `MIN_INFO_MISSING` 1001 with the `fields` to collect, or
//! `MIN_ASSESSMENT_MISSING` 1002; 401, 403, 404, 409 and 429 are unmanaged `{error, code}` (codes
//! as v0's, README). Everything v0's state returns converts: one twin, two shapes.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::model::{AssessmentError, InformationField, InvalidRequestError, MissingInformationError, UnmanagedError};
use crate::behaviour::CommonError;
use crate::providers::pti::error::{printable, PtiError, PtiErrorKind};
use crate::respond::Json;

/// Everything a v1 call can fail with.
#[derive(Debug, Clone, PartialEq)]
pub enum V1Error {
    /// What the shared (v0) state or auth refused.
    Pti(PtiError),
    /// A managed error other than a malformed request (`WALLET_LABEL_ALREADY_IN_USE` 3017...).
    Managed {
        /// 400 or 403.
        status: StatusCode,
        /// The `errorType`.
        kind: &'static str,
        /// Its number.
        code: u16,
        /// What happened.
        message: String,
    },
    /// 422 `MIN_INFO_MISSING`: these fields are needed first.
    MissingInformation(Vec<InformationField>),
    /// 422 `MIN_ASSESSMENT_MISSING`: the user's accepted tier is below the one needed.
    AssessmentMissing {
        /// The tier the operation needs.
        required: u32,
        /// The tier the user's accepted assessment reached.
        reached: u32,
    },
}

impl V1Error {
    /// 400 `INVALID_REQUEST` 1000.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::Pti(PtiError::new(PtiErrorKind::InvalidRequest, message.into()))
    }

    /// 404.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::Pti(PtiError::new(PtiErrorKind::UnknownRequest, message.into()))
    }

    /// A managed 400 of type `kind`.
    pub fn managed(kind: &'static str, code: u16, message: impl Into<String>) -> Self {
        Self::Managed { status: StatusCode::BAD_REQUEST, kind, code, message: message.into() }
    }
}

impl From<PtiError> for V1Error {
    fn from(error: PtiError) -> Self {
        Self::Pti(error)
    }
}

impl From<CommonError> for V1Error {
    fn from(error: CommonError) -> Self {
        Self::Pti(PtiError::Common(error))
    }
}

impl From<crate::extract::BodyProblem> for V1Error {
    fn from(problem: crate::extract::BodyProblem) -> Self {
        Self::Pti(problem.into())
    }
}

/// An `errors` line: printable, at most 100 characters (the spec's `maxLength`).
fn line(message: &str) -> String {
    let mut text = printable(message);
    text.truncate(100);
    text
}

fn managed(status: StatusCode, kind: &str, code: u16, message: &str) -> Response {
    let body = InvalidRequestError { kind: kind.to_owned(), code, errors: vec![line(message)] };
    (status, Json(body)).into_response()
}

impl IntoResponse for V1Error {
    fn into_response(self) -> Response {
        match self {
            Self::Managed { status, kind, code, message } => managed(status, kind, code, &message),
            Self::MissingInformation(mut fields) => {
                fields.sort();
                fields.dedup();
                let body = MissingInformationError { kind: "MIN_INFO_MISSING".into(), code: 1001, fields };
                (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
            }
            Self::AssessmentMissing { required, reached } => {
                let mut assessment = serde_json::Map::new();
                assessment.insert("requiredTier".into(), required.into());
                assessment.insert("tier".into(), reached.into());
                let body =
                    AssessmentError { kind: "MIN_ASSESSMENT_MISSING".into(), code: 1002, assessment: Some(assessment) };
                (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
            }
            Self::Pti(error) => match error.into_parts() {
                Err(request) => {
                    Self::MissingInformation(request.fields.iter().map(|f| InformationField::of_pointer(f)).collect())
                        .into_response()
                }
                Ok((StatusCode::BAD_REQUEST, _, message)) => {
                    managed(StatusCode::BAD_REQUEST, "INVALID_REQUEST", 1000, &message)
                }
                Ok((status, code, message)) => {
                    let mut error = printable(&message);
                    error.truncate(100);
                    let body = UnmanagedError { error, code: u16::try_from(code).unwrap_or(0) };
                    (status, Json(body)).into_response()
                }
            },
        }
    }
}
