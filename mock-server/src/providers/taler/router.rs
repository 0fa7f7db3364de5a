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
    Operation::new("GET", "/config").documented(&[200]).response("taler/MerchantVersionResponse.json"),
    kyc("/private/kyc"),
    kyc("/instances/{instance}/private/kyc"),
    kyc("/management/instances/{instance}/kyc"),
    accounts("/private/accounts"),
    accounts("/instances/{instance}/private/accounts"),
];

/// A KYC status route: 200 with the redirects, 204 when there is nothing to report, 304 when the
/// client's `If-None-Match` still holds, 400 for a malformed parameter, 401/403 for the token,
/// 404 for an unknown instance (the merchant reference and libtalermhd; see the README).
const fn kyc(path: &'static str) -> Operation {
    Operation::new("GET", path)
        .documented(&[200, 204, 304, 400, 401, 403, 404])
        .response("taler/MerchantAccountKycRedirectsResponse.json")
}

/// A bank-accounts route.
const fn accounts(path: &'static str) -> Operation {
    Operation::new("GET", path).documented(&[200, 401, 403, 404]).response("taler/AccountsSummaryResponse.json")
}

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
