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
    Operation::new("POST", "/auth/userToken")
        .documented(TOKEN)
        .request("pti/userTokenRequest.json")
        .response("pti/userToken.json"),
    // Not in the v0 spec; v1's spec documents it with the same answers as `/auth/userToken`.
    Operation::new("POST", "/auth/jwt").documented(TOKEN).request("pti/userTokenRequest.json"),
    Operation::new("POST", "/users")
        .documented(&[201, 400, 401, 409, 429])
        .request("pti/user.json")
        .response("pti/objectReference.json"),
    Operation::new("GET", "/users").documented(&[200, 401, 429]).response("pti/objectReferences.json"),
    Operation::new("PUT", "/users").documented(UPDATE).request("pti/user.json").response("pti/objectReference.json"),
    Operation::new("PATCH", "/users").documented(UPDATE).request("pti/user.json").response("pti/objectReference.json"),
    Operation::new("GET", "/users/{user_id}").documented(READ).response("pti/user.json"),
    Operation::new("POST", "/users/{user_id}/kyc")
        .documented(CREATE)
        .request("pti/user.json")
        .response("pti/objectReference.json"),
    Operation::new("GET", "/users/{user_id}/kyc").documented(READ).response("pti/kyc.json"),
    Operation::new("GET", "/users/{user_id}/kyc-needed").documented(READ).response("pti/kycNeeds.json"),
    Operation::new("POST", "/users/{user_id}/transactionLogs")
        .documented(CREATE_OR_ASK)
        .request("pti/transaction.json"),
    Operation::new("GET", "/users/{user_id}/transactionLogs/{request_id}").documented(READ),
    Operation::new("POST", "/users/{user_id}/transactions/fiat/funding")
        .documented(CREATE)
        .request("pti/transaction.json"),
    Operation::new("GET", "/users/{user_id}/transactions/{request_id}").documented(READ),
    // The hosted KYC form is a page for a person, not in the spec.
    Operation::new("GET", "/users/{user_id}/kyc-form"),
    Operation::new("POST", "/users/{user_id}/kyc-form"),
    Operation::new("POST", "/transactions/{request_id}/feedback")
        .documented(&[201, 400, 401, 404, 429])
        .request("pti/transactionFeedbackType.json"),
];

// The explicit statuses of the v0 spec (1.0.136), per kind of operation. Every operation also
// has a `default` answer in the `error` shape, so any other status is documented too.
const TOKEN: &[u16] = &[200, 400, 401, 403, 429];
const READ: &[u16] = &[200, 401, 404, 429];
const UPDATE: &[u16] = &[200, 400, 401, 404, 429];
const CREATE: &[u16] = &[201, 400, 401, 403, 404, 429];
const CREATE_OR_ASK: &[u16] = &[201, 400, 401, 403, 404, 406, 429];

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
