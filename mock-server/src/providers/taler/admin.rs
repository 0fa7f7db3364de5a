//! Taler's admin controls under `/__admin/taler`: moving an account to another KYC status, at
//! once or later (this wakes the long-polls waiting on it), as the exchange would.

use super::state::{known_status, KycChange};
use super::Taler;
use crate::respond::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;

/// `POST /__admin/taler/instances/{id}/kyc`: move an account at an exchange to another status
/// (now, or `after_ms` later); waiting long-polls wake at once.
pub async fn change_kyc(State(taler): State<Arc<Taler>>, Path(instance): Path<String>, body: Bytes) -> Response {
    let bad = |status: StatusCode, message: String| crate::respond::admin_error(status, message);
    let change: KycChange = match crate::extract::json_body::<_, crate::respond::AdminError>(&body) {
        Ok(change) => change,
        Err(error) => return error.into_response(),
    };
    if let Err(message) = known_status(&change.status) {
        return bad(StatusCode::BAD_REQUEST, message);
    }
    if let Some(after) = change.after_ms {
        return match taler.store.schedule(&instance, &change, Duration::from_millis(after)) {
            Ok(scheduled) => {
                let (id, due) = (scheduled.id, scheduled.due);
                taler.apply_when_due(scheduled);
                Json(json!({ "applied": "scheduled", "after_ms": after, "id": id, "due": due })).into_response()
            }
            Err(message) => bad(StatusCode::NOT_FOUND, message),
        };
    }
    match taler.store.change(&instance, &change) {
        Ok(entry) => Json(json!({ "applied": "now", "entry": entry })).into_response(),
        Err(message) => bad(StatusCode::NOT_FOUND, message),
    }
}
