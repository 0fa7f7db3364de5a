//! The PTI v1 route table (under `/pti/v1`, or `/v1` on PTI's own port).

use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;

use super::handlers::{catalogue, transactions, users, wallets};
use crate::providers::pti::Pti;

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
