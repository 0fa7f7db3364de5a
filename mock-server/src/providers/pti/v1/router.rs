//! The PTI v1 route table (under `/pti/v1`, or `/v1` on PTI's own port).

use crate::provider::Operation;
use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;

use super::handlers::{catalogue, transactions, users, wallets};
use crate::providers::pti::Pti;

/// Every operation [`api`] routes, method and path (a test reads this file's routes and
/// requires the same list): what coverage reports count and the OpenAPI lists.
pub const OPERATIONS: &[Operation] = &[
    Operation::new("POST", "/auth/jwt"),
    Operation::new("POST", "/auth/userToken"),
    Operation::new("GET", "/users"),
    Operation::new("POST", "/users"),
    Operation::new("PUT", "/users"),
    Operation::new("PATCH", "/users"),
    Operation::new("POST", "/users/assessments"),
    Operation::new("GET", "/users/{user_id}"),
    Operation::new("GET", "/users/{user_id}/assessments"),
    Operation::new("POST", "/users/{user_id}/documents"),
    Operation::new("GET", "/assets"),
    Operation::new("GET", "/users/{user_id}/wallets"),
    Operation::new("POST", "/users/{user_id}/wallets"),
    Operation::new("GET", "/users/{user_id}/wallets/{wallet_id}"),
    Operation::new("DELETE", "/users/{user_id}/wallets/{wallet_id}"),
    Operation::new("POST", "/users/{user_id}/wallets/{wallet_id}/simulate-deposit"),
    Operation::new("POST", "/users/{user_id}/wallets/{wallet_id}/deposit-address"),
    Operation::new("POST", "/users/{user_id}/wallets/{wallet_id}/virtual-bank-account"),
    Operation::new("POST", "/users/{user_id}/wallets/{wallet_id}/wire-instructions"),
    Operation::new("GET", "/users/{user_id}/wallets/{wallet_id}/history"),
    Operation::new("GET", "/wallets"),
    Operation::new("GET", "/wallets/"),
    Operation::new("GET", "/users/{user_id}/payment-information"),
    Operation::new("POST", "/users/{user_id}/payment-information"),
    Operation::new("GET", "/users/{user_id}/payment-information/{information_id}"),
    Operation::new("DELETE", "/users/{user_id}/payment-information/{information_id}"),
    Operation::new("PATCH", "/users/{user_id}/payment-information/{information_id}"),
    Operation::new("POST", "/transactions/assessments"),
    Operation::new("GET", "/transactions/assessments/{request_id}"),
    Operation::new("POST", "/transactions/validations"),
    Operation::new("POST", "/transactions/trades/price-estimation"),
    Operation::new("POST", "/transactions/deposits"),
    Operation::new("POST", "/transactions/withdrawals"),
    Operation::new("POST", "/transactions/payments"),
    Operation::new("POST", "/transactions/transfers"),
    Operation::new("POST", "/transactions/trades"),
    Operation::new("POST", "/transactions/mints"),
    Operation::new("POST", "/transactions/purchases"),
    Operation::new("POST", "/transactions/sales"),
    Operation::new("GET", "/transactions/{request_id}"),
    Operation::new("DELETE", "/transactions/{request_id}"),
    Operation::new("POST", "/transactions/{request_id}/updates"),
    Operation::new("GET", "/digital-items/{item_id}"),
    Operation::new("DELETE", "/digital-items/{item_id}"),
    Operation::new("GET", "/users/{user_id}/digital-items"),
    Operation::new("POST", "/users/{user_id}/digital-items"),
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
