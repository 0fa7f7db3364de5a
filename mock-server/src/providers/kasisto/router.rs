//! The Kasisto route table: the ten POST endpoints, and the provider's admin controls.

use crate::provider::Operation;
use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;

use super::Kasisto;
use super::{admin, handlers};

/// Every operation [`api`] routes, method and path (a test reads this file's routes and
/// requires the same list): what coverage reports count and the OpenAPI lists.
pub const OPERATIONS: &[Operation] = &[
    Operation::new("POST", "/token"),
    Operation::new("POST", "/validate_otp"),
    Operation::new("POST", "/customer"),
    Operation::new("POST", "/accounts"),
    Operation::new("POST", "/transactions"),
    Operation::new("POST", "/merchants"),
    Operation::new("POST", "/categories"),
    Operation::new("POST", "/transfer"),
    Operation::new("POST", "/payment"),
    Operation::new("POST", "/payees"),
];

/// The API as mounted at `/kasisto` (or at `/` on the provider's own port).
pub fn api(kasisto: Arc<Kasisto>) -> Router {
    Router::new()
        .route("/token", post(handlers::token))
        .route("/validate_otp", post(handlers::validate_otp))
        .route("/customer", post(handlers::customer))
        .route("/accounts", post(handlers::accounts))
        .route("/transactions", post(handlers::transactions))
        .route("/merchants", post(handlers::merchants))
        .route("/categories", post(handlers::categories))
        .route("/transfer", post(handlers::transfer))
        .route("/payment", post(handlers::payment))
        .route("/payees", post(handlers::payees))
        .method_not_allowed_fallback(handlers::method_not_allowed)
        .fallback(handlers::not_found)
        .with_state(kasisto)
}

/// Controls under `/__admin/kasisto`.
pub fn admin(kasisto: Arc<Kasisto>) -> Router {
    Router::new().route("/otp/{user_id}", get(admin::otp)).with_state(kasisto)
}
