//! The PTI route table (v0, under `/pti/v0`), and the provider's admin controls.

use crate::provider::Operation;
use std::sync::Arc;

use axum::routing::{get, post, put};
use axum::Router;

use super::Pti;
use super::{admin, handlers, kyc_form};

/// Every operation [`api`] routes, method and path (a test reads this file's routes and
/// requires the same list): what coverage reports count and the OpenAPI lists.
pub const OPERATIONS: &[Operation] = &[
    Operation::new("POST", "/auth/userToken"),
    Operation::new("POST", "/auth/jwt"),
    Operation::new("POST", "/users"),
    Operation::new("GET", "/users"),
    Operation::new("PUT", "/users"),
    Operation::new("PATCH", "/users"),
    Operation::new("GET", "/users/{user_id}"),
    Operation::new("POST", "/users/{user_id}/kyc"),
    Operation::new("GET", "/users/{user_id}/kyc"),
    Operation::new("GET", "/users/{user_id}/kyc-needed"),
    Operation::new("POST", "/users/{user_id}/transactionLogs"),
    Operation::new("GET", "/users/{user_id}/transactionLogs/{request_id}"),
    Operation::new("POST", "/users/{user_id}/transactions/fiat/funding"),
    Operation::new("GET", "/users/{user_id}/transactions/{request_id}"),
    Operation::new("GET", "/users/{user_id}/kyc-form"),
    Operation::new("POST", "/users/{user_id}/kyc-form"),
    Operation::new("POST", "/transactions/{request_id}/feedback"),
];

/// The API as mounted at `/pti/v0` (or at `/` on the provider's own port).
pub fn api(pti: Arc<Pti>) -> Router {
    Router::new()
        .route("/auth/userToken", post(handlers::user_token))
        .route("/auth/jwt", post(handlers::user_token))
        .route(
            "/users",
            post(handlers::create_user)
                .get(handlers::list_users)
                .put(handlers::replace_user)
                .patch(handlers::merge_user),
        )
        .route("/users/{user_id}", get(handlers::get_user))
        .route("/users/{user_id}/kyc", post(handlers::start_kyc).get(handlers::latest_kyc))
        .route("/users/{user_id}/kyc-needed", get(handlers::kyc_needed))
        .route("/users/{user_id}/transactionLogs", post(handlers::log_transaction))
        .route("/users/{user_id}/transactionLogs/{request_id}", get(handlers::get_transaction_log))
        .route("/users/{user_id}/transactions/fiat/funding", post(handlers::fiat_funding))
        .route("/users/{user_id}/transactions/{request_id}", get(handlers::get_funding))
        .route("/users/{user_id}/kyc-form", get(kyc_form::show).post(kyc_form::submit))
        .route("/transactions/{request_id}/feedback", post(handlers::feedback))
        .method_not_allowed_fallback(handlers::method_not_allowed)
        .fallback(handlers::not_found)
        .with_state(pti)
}

/// Controls under `/__admin/pti`.
pub fn admin(pti: Arc<Pti>) -> Router {
    Router::new()
        .route("/jwks", get(admin::jwks))
        .route("/webhook-keys", get(admin::webhook_keys))
        .route("/clients/{client_id}/private-jwk", get(admin::private_jwk))
        .route("/clients/{client_id}", put(admin::put_client))
        .route("/decisions", post(admin::decide))
        .route("/users/{user_id}/status", post(admin::user_status))
        .with_state(pti)
}
