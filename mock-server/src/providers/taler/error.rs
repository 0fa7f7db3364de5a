//! Taler errors: `ErrorDetail {code, hint, detail?}` with codes from the GNU Taler registry.

use crate::respond::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::model::ErrorDetail;
use crate::behaviour::CommonError;

/// Everything a Taler call can fail with.
#[derive(Debug, Clone, PartialEq)]
pub enum TalerError {
    /// 400 `GENERIC_PARAMETER_MALFORMED` (26); the detail names the parameter.
    ParameterMalformed(&'static str),
    /// 401 `MERCHANT_GENERIC_UNAUTHORIZED` (2015).
    Unauthorized,
    /// 403 `GENERIC_TOKEN_PERMISSION_INSUFFICIENT` (16).
    PermissionInsufficient,
    /// 404 `MERCHANT_GENERIC_INSTANCE_UNKNOWN` (2000).
    InstanceUnknown(String),
    /// 404 `GENERIC_ENDPOINT_UNKNOWN` (21).
    EndpointUnknown,
    /// 405 `GENERIC_METHOD_INVALID` (20).
    MethodInvalid,
    /// 406 with no body: neither JSON nor text is acceptable.
    NotAcceptable,
    /// A shared error.
    Common(CommonError),
}

fn detail(status: StatusCode, code: i64, hint: &str, detail: Option<String>) -> Response {
    (status, Json(ErrorDetail { code, hint: Some(hint.to_owned()), detail })).into_response()
}

impl IntoResponse for TalerError {
    fn into_response(self) -> Response {
        match self {
            Self::ParameterMalformed(name) => {
                detail(StatusCode::BAD_REQUEST, 26, "A parameter is malformed.", Some(name.to_owned()))
            }
            Self::Unauthorized => detail(StatusCode::UNAUTHORIZED, 2015, "The request is unauthorized.", None),
            Self::PermissionInsufficient => {
                detail(StatusCode::FORBIDDEN, 16, "The token does not have the permission instances-kyc-read.", None)
            }
            Self::InstanceUnknown(id) => {
                detail(StatusCode::NOT_FOUND, 2000, "The instance is unknown to the backend.", Some(id))
            }
            Self::EndpointUnknown => detail(
                StatusCode::NOT_FOUND,
                21,
                "There is no endpoint defined for the URL provided by the client.",
                None,
            ),
            Self::MethodInvalid => {
                detail(StatusCode::METHOD_NOT_ALLOWED, 20, "The HTTP method used is invalid for this endpoint.", None)
            }
            Self::NotAcceptable => StatusCode::NOT_ACCEPTABLE.into_response(),
            Self::Common(CommonError::Throttled { retry_after_secs }) => detail(
                StatusCode::TOO_MANY_REQUESTS,
                2,
                "Too many requests.",
                Some(format!("retry after {retry_after_secs} s")),
            ),
            Self::Common(CommonError::PayloadTooLarge { limit }) => {
                detail(StatusCode::PAYLOAD_TOO_LARGE, 26, "The request body is too large.", Some(limit.to_string()))
            }
            Self::Common(CommonError::UnreadableBody) => {
                detail(StatusCode::BAD_REQUEST, 26, "The request body could not be read.", None)
            }
            Self::Common(CommonError::Injected { status }) => {
                let code = if status.is_server_error() { 53 } else { 2 };
                detail(status, code, "Fault injected by the twin's configuration.", None)
            }
            // GENERIC_DB_STORE_FAILED, as the merchant backend answers when its database refuses a write.
            Self::Common(CommonError::StateNotSaved) => detail(
                StatusCode::INTERNAL_SERVER_ERROR,
                52,
                "The service failed to store information in its database.",
                Some("the twin's state directory refused the write".into()),
            ),
        }
    }
}
