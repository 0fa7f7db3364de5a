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
    op("/token", NO_OTP).request("kasisto/token_credentials.json").response("kasisto/token_response.json"),
    op("/validate_otp", OTP_CHECK)
        .request("kasisto/validate_otp_request.json")
        .response("kasisto/validate_otp_response.json"),
    op("/customer", MAY_ASK_OTP).request("kasisto/customer_request.json").response("kasisto/customer.json"),
    op("/accounts", MAY_ASK_OTP).request("kasisto/accounts_request.json").response("kasisto/accounts_response.json"),
    op("/transactions", MAY_ASK_OTP)
        .request("kasisto/transaction_criteria.json")
        .response("kasisto/transactions_response.json"),
    op("/merchants", NO_OTP).request("kasisto/merchants_request.json").response("kasisto/merchants_response.json"),
    op("/categories", NO_OTP).request("kasisto/categories_request.json").response("kasisto/categories_response.json"),
    op("/transfer", MAY_ASK_OTP).request("kasisto/transfer_request.json").response("kasisto/transfer.json"),
    op("/payment", MAY_ASK_OTP).request("kasisto/payment_request.json").response("kasisto/payment.json"),
    op("/payees", NO_OTP).request("kasisto/payees_request.json").response("kasisto/payees_response.json"),
];

// The statuses of the 1.0 Swagger (2017-02-06 revision, the one with `error_response`), per
// operation: 450 asks for an OTP, 451-453 refuse one; 500 and 501 are the bank's failures.
const NO_OTP: &[u16] = &[200, 401, 403, 500, 501];
const MAY_ASK_OTP: &[u16] = &[200, 401, 403, 450, 500, 501];
const OTP_CHECK: &[u16] = &[200, 401, 403, 451, 452, 453, 500, 501];

const fn op(path: &'static str, documented: &'static [u16]) -> Operation {
    Operation::new("POST", path).documented(documented)
}

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
