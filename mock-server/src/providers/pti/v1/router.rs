//! The PTI v1 route table (under `/pti/v1`, or `/v1` on PTI's own port).

use crate::provider::Operation;
use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;

use super::handlers::{catalogue, transactions, users, wallets};
use crate::providers::pti::Pti;

/// Every operation [`api`] routes, method and path (a test reads this file's routes and
/// requires the same list): what coverage reports count and the OpenAPI lists. The statuses are
/// the explicit ones of the v1 spec (1.0.196); each operation also has a `default` error answer.
pub const OPERATIONS: &[Operation] = &[
    Operation::new("POST", "/auth/jwt").documented(&[200, 400, 401, 403, 429]).response("pti/v1/userToken.json"),
    // Not in the v1 spec: v0's, served here too, with v0's answers.
    Operation::new("POST", "/auth/userToken").documented(&[200, 400, 401, 403, 429]),
    Operation::new("GET", "/users").documented(&[200, 401, 429]).response("pti/v1/userPage.json"),
    Operation::new("POST", "/users")
        .documented(&[201, 400, 401, 409, 429])
        .request("pti/v1/user.json")
        .response("pti/v1/user.json"),
    Operation::new("PUT", "/users")
        .documented(&[200, 400, 401, 404, 429])
        .request("pti/v1/user.json")
        .response("pti/v1/user.json"),
    Operation::new("PATCH", "/users")
        .documented(&[200, 400, 401, 404, 429])
        .request("pti/v1/user.json")
        .response("pti/v1/user.json"),
    Operation::new("POST", "/users/assessments").documented(&[201, 400, 401, 403, 404, 422, 429]),
    Operation::new("GET", "/users/{user_id}").documented(&[200, 401, 404, 429]).response("pti/v1/user.json"),
    Operation::new("GET", "/users/{user_id}/assessments")
        .documented(&[200, 401, 404, 429])
        .response("pti/v1/userAssessStatusObject.json"),
    Operation::new("POST", "/users/{user_id}/documents").documented(&[201, 400, 401, 404, 429]),
    Operation::new("GET", "/assets").documented(&[200, 401, 429]),
    Operation::new("GET", "/users/{user_id}/wallets").documented(&[200, 401, 404, 429]),
    Operation::new("POST", "/users/{user_id}/wallets").documented(&[201, 400, 401, 404, 429]),
    Operation::new("GET", "/users/{user_id}/wallets/{wallet_id}")
        .documented(&[200, 401, 429])
        .response("pti/v1/wallet.json"),
    Operation::new("DELETE", "/users/{user_id}/wallets/{wallet_id}").documented(&[204, 400, 401, 404, 429]),
    Operation::new("POST", "/users/{user_id}/wallets/{wallet_id}/simulate-deposit")
        .documented(&[201, 401, 403, 404, 429]),
    Operation::new("POST", "/users/{user_id}/wallets/{wallet_id}/deposit-address")
        .documented(&[201, 401, 403, 404, 429]),
    Operation::new("POST", "/users/{user_id}/wallets/{wallet_id}/virtual-bank-account")
        .documented(&[201, 400, 401, 403, 404, 429]),
    Operation::new("POST", "/users/{user_id}/wallets/{wallet_id}/wire-instructions")
        .documented(&[201, 400, 401, 403, 404, 429]),
    Operation::new("GET", "/users/{user_id}/wallets/{wallet_id}/history")
        .documented(&[200, 401, 403, 404, 429])
        .response("pti/v1/walletHistoryPage.json"),
    // The spec writes it with a trailing slash; the SDKs call it without.
    Operation::new("GET", "/wallets").documented(&[200, 401, 404, 429]),
    Operation::new("GET", "/wallets/").documented(&[200, 401, 404, 429]),
    Operation::new("GET", "/users/{user_id}/payment-information").documented(&[200, 401, 404, 429]),
    Operation::new("POST", "/users/{user_id}/payment-information").documented(&[201, 400, 401, 404, 429]),
    Operation::new("GET", "/users/{user_id}/payment-information/{information_id}").documented(&[200, 401, 404, 429]),
    Operation::new("DELETE", "/users/{user_id}/payment-information/{information_id}").documented(&[204, 401, 404, 429]),
    Operation::new("PATCH", "/users/{user_id}/payment-information/{information_id}").documented(&[201, 401, 404, 429]),
    Operation::new("POST", "/transactions/assessments").documented(&[201, 400, 401, 403, 404, 422, 429]),
    Operation::new("GET", "/transactions/assessments/{request_id}")
        .documented(&[200, 401, 404, 429])
        .response("pti/v1/transactionAssessStatusObject.json"),
    Operation::new("POST", "/transactions/validations").documented(&[200, 401, 404, 429]),
    Operation::new("POST", "/transactions/trades/price-estimation")
        .documented(&[200, 400, 401, 403, 404, 429])
        .response("pti/v1/tradeQuote.json"),
    Operation::new("POST", "/transactions/deposits").documented(&[201, 400, 401, 403, 404, 422, 429]),
    Operation::new("POST", "/transactions/withdrawals").documented(&[201, 400, 401, 403, 404, 422, 429]),
    Operation::new("POST", "/transactions/payments").documented(&[201, 400, 401, 403, 404, 422, 429]),
    Operation::new("POST", "/transactions/transfers").documented(&[201, 400, 401, 403, 404, 422, 429]),
    Operation::new("POST", "/transactions/trades").documented(&[201, 400, 401, 403, 404, 422, 429]),
    Operation::new("POST", "/transactions/mints").documented(&[201, 400, 401, 403, 404, 422, 429]),
    Operation::new("POST", "/transactions/purchases").documented(&[201, 400, 401, 403, 404, 422, 429]),
    Operation::new("POST", "/transactions/sales").documented(&[201, 400, 401, 403, 404, 422, 429]),
    Operation::new("GET", "/transactions/{request_id}")
        .documented(&[200, 401, 404, 429])
        .response("pti/v1/transactionStatusObject.json"),
    Operation::new("DELETE", "/transactions/{request_id}").documented(&[204, 400, 401, 404, 429]),
    Operation::new("POST", "/transactions/{request_id}/updates")
        .documented(&[201, 400, 401, 404, 429])
        .request("pti/v1/transactionUpdate.json"),
    Operation::new("GET", "/digital-items/{item_id}")
        .documented(&[200, 401, 404, 429])
        .response("pti/v1/digitalItem.json"),
    Operation::new("DELETE", "/digital-items/{item_id}").documented(&[204, 401, 403, 404, 429]),
    Operation::new("GET", "/users/{user_id}/digital-items").documented(&[200, 401, 404, 429]),
    Operation::new("POST", "/users/{user_id}/digital-items").documented(&[200, 401, 404, 429]),
];

/// The v1 API.
pub fn api(pti: Arc<Pti>) -> Router {
    Router::new()
        .route("/auth/jwt", post(users::user_token))
        .route("/auth/userToken", post(users::user_token))
        .route("/users", get(users::list).post(users::create).put(users::replace).patch(users::merge))
        .route("/users/assessments", post(users::start_assessment))
        .route("/users/{user_id}", get(users::read))
        .route("/users/{user_id}/assessments", get(users::latest_assessment))
        .route("/users/{user_id}/documents", post(users::upload_document))
        .route("/assets", get(catalogue::assets))
        .route("/users/{user_id}/wallets", get(wallets::list).post(wallets::create))
        .route("/users/{user_id}/wallets/{wallet_id}", get(wallets::read).delete(wallets::delete))
        .route("/users/{user_id}/wallets/{wallet_id}/simulate-deposit", post(wallets::simulate_deposit))
        .route("/users/{user_id}/wallets/{wallet_id}/deposit-address", post(wallets::deposit_address))
        .route("/users/{user_id}/wallets/{wallet_id}/virtual-bank-account", post(wallets::virtual_bank_account))
        .route("/users/{user_id}/wallets/{wallet_id}/wire-instructions", post(wallets::wire_instructions))
        .route("/users/{user_id}/wallets/{wallet_id}/history", get(wallets::history))
        .route("/wallets", get(wallets::client_wallets))
        .route("/wallets/", get(wallets::client_wallets))
        .route(
            "/users/{user_id}/payment-information",
            get(catalogue::payment_informations).post(catalogue::add_payment_information),
        )
        .route(
            "/users/{user_id}/payment-information/{information_id}",
            get(catalogue::payment_information)
                .delete(catalogue::delete_payment_information)
                .patch(catalogue::update_payment_information),
        )
        .route("/transactions/assessments", post(transactions::assess))
        .route("/transactions/assessments/{request_id}", get(transactions::read_assessment))
        .route("/transactions/validations", post(transactions::validate))
        .route("/transactions/trades/price-estimation", post(transactions::price_estimation))
        .route("/transactions/deposits", post(transactions::deposit))
        .route("/transactions/withdrawals", post(transactions::withdrawal))
        .route("/transactions/payments", post(transactions::payment))
        .route("/transactions/transfers", post(transactions::transfer))
        .route("/transactions/trades", post(transactions::trade))
        .route("/transactions/mints", post(transactions::mint))
        .route("/transactions/purchases", post(transactions::purchase))
        .route("/transactions/sales", post(transactions::sale))
        .route("/transactions/{request_id}", get(transactions::read).delete(transactions::cancel))
        .route("/transactions/{request_id}/updates", post(transactions::update))
        .route("/digital-items/{item_id}", get(catalogue::digital_item).delete(catalogue::delete_digital_item))
        .route("/users/{user_id}/digital-items", get(catalogue::digital_items).post(catalogue::add_digital_items))
        .method_not_allowed_fallback(users::method_not_allowed)
        .fallback(users::not_found)
        .with_state(pti)
}
