//! The Particeep route table (`/ping`, the payment pages and `/v1/...`, under `/particeep`), and
//! the admin controls.

use std::sync::Arc;

use axum::routing::{delete, get, post, put};
use axum::Router;

use super::handlers::{self, admin, document, kyc, payment, role, wallet};
use super::Particeep;

/// The API as mounted at `/particeep` (or at `/` on the provider's own port).
pub fn api(particeep: Arc<Particeep>) -> Router {
    let v1 = Router::new()
        .route("/info", get(handlers::info))
        .route("/user", put(handlers::create_user).get(handlers::users_by_ids))
        .route("/user/search", get(handlers::search_users))
        .route("/user/authenticate", post(handlers::authenticate))
        .route("/user/getOrCreate", post(handlers::get_or_create_user))
        .route("/user/email/{email}", get(handlers::user_by_email))
        .route("/user/name/{name}", get(handlers::users_by_name))
        .route("/user/{id}", get(handlers::get_user).post(handlers::update_user).delete(handlers::delete_user))
        .route("/user/{id}/changePassword", post(handlers::change_password))
        .route("/user/{id}/email", post(handlers::change_email))
        .route("/wallet", put(wallet::create_wallet))
        .route("/wallet/consumer", get(wallet::consumer_wallet))
        .route("/wallet/transfer", post(wallet::transfer))
        .route("/wallet/search", get(wallet::search_wallet_transactions))
        .route("/wallet/owner/{owner_id}/{owner_type}", get(wallet::wallet_by_owner))
        .route("/wallet/{id}", get(wallet::get_wallet))
        .route("/wallet/{id}/cashin", post(wallet::cash_in))
        .route("/wallet/{id}/cashin/bankAccount", post(wallet::wire_cash_in))
        .route("/wallet/{id}/cashout", post(wallet::cash_out))
        .route("/wallet/{id}/transactions", get(wallet::wallet_transactions))
        .route("/wallet/{id}/bankaccount", put(wallet::create_bank_account).get(wallet::bank_accounts))
        .route("/kycs", put(kyc::create_kyc).post(kyc::attach_documents))
        .route("/kycs/askValidation/owner/{owner_id}/{owner_type}", post(kyc::ask_validation))
        .route("/kycs/owner/{owner_id}/{owner_type}", get(kyc::kyc_of_owner))
        .route("/kycs/cancel/owner/{owner_id}/{owner_type}", delete(kyc::cancel_kyc))
        .route("/transaction", put(payment::create_transaction).get(payment::transactions_by_ids))
        .route("/transaction/search", get(payment::search_transactions))
        .route(
            "/transaction/{id}",
            get(payment::get_transaction).post(payment::update_transaction).delete(payment::delete_transaction),
        )
        .route("/transaction/{id}/cancel", delete(payment::cancel_transaction))
        .route("/payment/{id}", post(payment::pay_by_card))
        .route("/payment/credit-card/{id}", post(payment::pay_by_card))
        .route("/payment/cash-in/direct/{id}", post(payment::pay_by_wire))
        .route("/payment/wallet/{id}", post(payment::pay_by_wallet))
        .route("/payment/offline/{id}", post(payment::pay_offline))
        .route("/payment/refund/{id}", post(payment::refund))
        .route("/document", get(document::documents_by_ids))
        .route("/document/search", get(document::search_documents))
        .route("/document/download/{id}", get(document::download))
        .route(
            "/document/{id}",
            get(document::get_document).post(document::update_document).delete(document::delete_document),
        )
        .route("/document/{id}/upload", post(document::upload))
        .route("/role", put(role::add_roles))
        .route("/role/all", get(role::all_roles))
        .route("/role/search", get(role::search_roles))
        .route("/role/all_by_user/{user_id}", get(role::roles_by_user))
        .route("/role/{user_id}/add/{role}", put(role::add_role))
        .route("/role/{user_id}/remove/{role}", delete(role::remove_role))
        .route("/role/{user_id}/remove_roles", delete(role::remove_all_roles))
        .route("/webhook", put(handlers::create_webhook))
        .route("/webhook/all", get(handlers::webhooks))
        .route("/webhook/{id}", post(handlers::update_webhook).delete(handlers::delete_webhook))
        .method_not_allowed_fallback(handlers::method_not_allowed)
        .fallback(handlers::not_found)
        .route_layer(axum::middleware::from_fn_with_state(particeep.clone(), handlers::gate))
        .with_state(particeep.clone());
    Router::new()
        .route("/ping", get(handlers::ping))
        .route("/pay/{id}", get(admin::payment_page))
        .route("/pay/{id}/{choice}", post(admin::payment_choice))
        .nest("/v1", v1)
        // Paths outside `/v1` (and, through axum's nesting, unknown ones inside it) get Particeep's
        // own 404 envelope rather than the server-wide one.
        .fallback(handlers::not_found)
        .with_state(particeep)
}

/// Controls under `/__admin/particeep`.
pub fn admin(particeep: Arc<Particeep>) -> Router {
    Router::new()
        .route("/events/{key}", get(handlers::admin_events))
        .route("/kyc/{owner_id}/{decision}", post(admin::decide_kyc))
        .route("/payments/{id}/{outcome}", post(admin::settle_payment))
        .with_state(particeep)
}
