//! Kasisto's admin controls under `/__admin/kasisto`: what a QA person needs that a bank's
//! customer would get out of band (the OTP sent by SMS).

use super::Kasisto;
use crate::respond::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// `GET /__admin/kasisto/otp/{user_id}`: the customer's current OTP, for QA people who cannot
/// receive the SMS.
/// `?token=` narrows it to that token's session, so parallel flows of one customer each read their own.
pub async fn otp(
    State(kasisto): State<Arc<Kasisto>>,
    Path(user_id): Path<String>,
    Query(query): Query<std::collections::HashMap<String, String>>,
) -> Response {
    let token = query.get("token").map(String::as_str);
    match kasisto.store.current_otp(&user_id, token, kasisto.now()) {
        Some(view) => Json(view).into_response(),
        None => {
            let known = kasisto.store.has_customer(&user_id);
            let message = if known {
                format!("no one-time password has been issued to {user_id} yet: a call answering 450 issues one")
            } else {
                format!("no Kasisto customer with user_id {user_id}")
            };
            crate::respond::admin_error(StatusCode::NOT_FOUND, message)
        }
    }
}
