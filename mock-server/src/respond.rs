//! JSON responses for the providers: serialized straight into a buffer sized for a typical
//! answer, with `Content-Type: application/json`; and the admin API's error answer, [`AdminError`].
//!
//! axum's `Json` starts from 128 bytes and grows through `BytesMut` writes: a 1.5 KB answer (a
//! Kasisto account list) was four reallocations and a tenth of the work of the whole request
//! (callgrind). Otherwise the same: a value that cannot be serialized is a 500 with the reason.
//!
//! Also [`escape_html`], for the few pages the twins serve to a browser (a payment page, a form).

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::json;

/// Where a response body starts: most answers fit, and one that does not grows once or twice.
const STARTING_CAPACITY: usize = 2048;

/// A JSON response body.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        let mut body = Vec::with_capacity(STARTING_CAPACITY);
        match serde_json::to_writer(&mut body, &self.0) {
            Ok(()) => ([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], body).into_response(),
            Err(err) => (StatusCode::INTERNAL_SERVER_ERROR, err.to_string()).into_response(),
        }
    }
}

/// An admin error: a status and a message, sent as `{"error": message}` (the admin API's and every
/// provider's admin controls' error shape).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminError(pub StatusCode, pub String);

impl AdminError {
    /// 400 with the message.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self(StatusCode::BAD_REQUEST, message.into())
    }
}

impl IntoResponse for AdminError {
    fn into_response(self) -> Response {
        (self.0, Json(json!({ "error": self.1 }))).into_response()
    }
}

/// An admin error response `{"error": message}`.
pub fn admin_error(status: StatusCode, message: impl Into<String>) -> Response {
    AdminError(status, message.into()).into_response()
}

/// Makes text safe inside HTML (element content and double-quoted attributes).
pub fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_value_is_sent_as_json_with_its_content_type() -> Result<(), axum::Error> {
        let response = Json(serde_json::json!({ "ok": true, "n": [1, 2] })).into_response();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
        let body = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
        assert_eq!(&body[..], br#"{"ok":true,"n":[1,2]}"#);
        Ok(())
    }

    #[test]
    fn a_value_that_cannot_be_serialized_is_a_500_that_says_why() {
        let mut map = std::collections::BTreeMap::new();
        map.insert((1, 2), "tuple keys are not JSON");
        let response = Json(map).into_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }
}
