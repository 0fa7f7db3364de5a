//! The Particeep route table (`/ping` and `/v1/...`, under `/particeep`), and the admin controls.

use std::sync::Arc;

use axum::routing::{get, post, put};
use axum::Router;

use super::handlers;
use super::Particeep;

/// The API as mounted at `/particeep` (or at `/` on the provider's own port).
pub fn api(particeep: Arc<Particeep>) -> Router {
    let v1 = Router::new()
        .route("/info", get(handlers::info))
        .route("/user", put(handlers::create_user).get(handlers::users_by_ids))
        .route("/user/search", get(handlers::search_users))
        .route("/user/authenticate", post(handlers::authenticate))
        .route("/user/email/{email}", get(handlers::user_by_email))
        .route("/user/{id}", get(handlers::get_user).post(handlers::update_user).delete(handlers::delete_user))
        .route("/user/{id}/changePassword", post(handlers::change_password))
        .route("/webhook", put(handlers::create_webhook))
        .route("/webhook/all", get(handlers::webhooks))
        .route("/webhook/{id}", post(handlers::update_webhook).delete(handlers::delete_webhook))
        .method_not_allowed_fallback(handlers::method_not_allowed)
        .fallback(handlers::not_found)
        .route_layer(axum::middleware::from_fn_with_state(particeep.clone(), handlers::gate))
        .with_state(particeep.clone());
    Router::new().route("/ping", get(handlers::ping)).nest("/v1", v1).with_state(particeep)
}

/// Controls under `/__admin/particeep`.
pub fn admin(particeep: Arc<Particeep>) -> Router {
    Router::new().route("/events/{key}", get(handlers::admin_events)).with_state(particeep)
}
