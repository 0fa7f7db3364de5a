//! The Taler route table (the merchant backend's root, under `/taler`), and the admin control.

use crate::provider::Operation;
use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;

use super::Taler;
use super::{admin, handlers};

/// Every operation [`api`] routes, method and path (a test reads this file's routes and
/// requires the same list): what coverage reports count and the OpenAPI lists.
pub const OPERATIONS: &[Operation] = &[
    Operation::new("GET", "/config"),
    Operation::new("GET", "/private/kyc"),
    Operation::new("GET", "/instances/{instance}/private/kyc"),
    Operation::new("GET", "/management/instances/{instance}/kyc"),
    Operation::new("GET", "/private/accounts"),
    Operation::new("GET", "/instances/{instance}/private/accounts"),
];

/// The backend as mounted at `/taler` (or at `/` on the provider's own port).
pub fn api(taler: Arc<Taler>) -> Router {
    Router::new()
        .route("/config", get(handlers::config))
        .route("/private/kyc", get(handlers::default_kyc))
        .route("/instances/{instance}/private/kyc", get(handlers::instance_kyc))
        .route("/management/instances/{instance}/kyc", get(handlers::management_kyc))
        .route("/private/accounts", get(handlers::accounts))
        .route("/instances/{instance}/private/accounts", get(handlers::accounts))
        .method_not_allowed_fallback(handlers::method_not_allowed)
        .fallback(handlers::not_found)
        .with_state(taler)
}

/// Controls under `/__admin/taler`.
pub fn admin(taler: Arc<Taler>) -> Router {
    Router::new().route("/instances/{instance}/kyc", post(admin::change_kyc)).with_state(taler)
}
