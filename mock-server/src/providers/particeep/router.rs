//! The Particeep route table (`/ping`, the payment pages and `/v1/...`, under `/particeep`), and
//! the admin controls.

use crate::provider::Operation;
use std::sync::Arc;

use axum::routing::{delete, get, post, put};
use axum::Router;

use super::handlers::{
    self, document, document_files, imports, kyc, payment, recurring, relatives, role, sepa, user, wallet, webhook,
};
use super::Particeep;
use super::{admin, payment_page};

/// Every operation [`api`] routes, method and path (a test reads this file's routes and
/// requires the same list): what coverage reports count and the OpenAPI lists.
pub const OPERATIONS: &[Operation] = &[
    Operation::new("GET", "/v1/info"),
    Operation::new("PUT", "/v1/user"),
    Operation::new("GET", "/v1/user"),
    Operation::new("GET", "/v1/user/search"),
    Operation::new("GET", "/v1/user/company-business-name"),
    Operation::new("POST", "/v1/user/verify/{id}"),
    Operation::new("POST", "/v1/user/authenticate"),
    Operation::new("POST", "/v1/user/getOrCreate"),
    Operation::new("GET", "/v1/user/email/{email}"),
    Operation::new("GET", "/v1/user/name/{name}"),
    Operation::new("GET", "/v1/user/{id}"),
    Operation::new("POST", "/v1/user/{id}"),
    Operation::new("DELETE", "/v1/user/{id}"),
    Operation::new("POST", "/v1/user/{id}/changePassword"),
    Operation::new("POST", "/v1/user/{id}/email"),
    Operation::new("PUT", "/v1/user/{id}/relative"),
    Operation::new("POST", "/v1/user/{id}/relative"),
    Operation::new("DELETE", "/v1/user/{id}/relative/{relative_id}"),
    Operation::new("PUT", "/v1/user/{id}/new-relative"),
    Operation::new("POST", "/v1/user/{id}/new-relative/{relative_id}"),
    Operation::new("DELETE", "/v1/user/{id}/new-relative/{relative_id}"),
    Operation::new("POST", "/v1/user/organization/{id}"),
    Operation::new("DELETE", "/v1/user/organization/{id}/user"),
    Operation::new("PUT", "/v1/user/organization/{id}/user/{user_id}"),
    Operation::new("POST", "/v1/user/organization/{id}/user/{user_id}"),
    Operation::new("DELETE", "/v1/user/organization/{id}/user/{user_id}"),
    Operation::new("PUT", "/v1/wallet"),
    Operation::new("GET", "/v1/wallet/consumer"),
    Operation::new("POST", "/v1/wallet/transfer"),
    Operation::new("GET", "/v1/wallet/search"),
    Operation::new("GET", "/v1/wallet/bankaccount/search"),
    Operation::new("PUT", "/v1/wallet/bankaccount/{id}"),
    Operation::new("POST", "/v1/wallet/bankaccount/{id}"),
    Operation::new("DELETE", "/v1/wallet/bankaccount/{id}"),
    Operation::new("GET", "/v1/wallet/owner/{owner_id}/{owner_type}"),
    Operation::new("GET", "/v1/wallet/{id}"),
    Operation::new("POST", "/v1/wallet/{id}/cashin"),
    Operation::new("POST", "/v1/wallet/{id}/cashin/bankAccount"),
    Operation::new("POST", "/v1/wallet/{id}/cashout"),
    Operation::new("GET", "/v1/wallet/{id}/transactions"),
    Operation::new("PUT", "/v1/wallet/{id}/bankaccount"),
    Operation::new("GET", "/v1/wallet/{id}/bankaccount"),
    Operation::new("PUT", "/v1/wallet/{id}/sepa"),
    Operation::new("GET", "/v1/wallet/{id}/sepa"),
    Operation::new("DELETE", "/v1/wallet/sepa/{id}"),
    Operation::new("POST", "/v1/wallet/sepa/{id}/sign"),
    Operation::new("POST", "/v1/wallet/sepa/{id}/cashin"),
    Operation::new("PUT", "/v1/kycs"),
    Operation::new("POST", "/v1/kycs"),
    Operation::new("POST", "/v1/kycs/document/validate"),
    Operation::new("POST", "/v1/kycs/askValidation/owner/{owner_id}/{owner_type}"),
    Operation::new("GET", "/v1/kycs/owner/{owner_id}/{owner_type}"),
    Operation::new("DELETE", "/v1/kycs/cancel/owner/{owner_id}/{owner_type}"),
    Operation::new("PUT", "/v1/transaction"),
    Operation::new("GET", "/v1/transaction"),
    Operation::new("GET", "/v1/transaction/search"),
    Operation::new("GET", "/v1/transaction/search_stats"),
    Operation::new("GET", "/v1/transaction/recurring/search"),
    Operation::new("GET", "/v1/transaction/recurring/{id}"),
    Operation::new("POST", "/v1/transaction/recurring/{id}"),
    Operation::new("DELETE", "/v1/transaction/recurring/{id}"),
    Operation::new("POST", "/v1/payment/schedule/pay"),
    Operation::new("DELETE", "/v1/transaction/multiple/{ids}"),
    Operation::new("GET", "/v1/transaction/{id}"),
    Operation::new("POST", "/v1/transaction/{id}"),
    Operation::new("DELETE", "/v1/transaction/{id}"),
    Operation::new("DELETE", "/v1/transaction/{id}/cancel"),
    Operation::new("POST", "/v1/payment/{id}"),
    Operation::new("POST", "/v1/payment/credit-card/{id}"),
    Operation::new("POST", "/v1/payment/cash-in/direct/{id}"),
    Operation::new("POST", "/v1/payment/wallet/{id}"),
    Operation::new("POST", "/v1/payment/offline/{id}"),
    Operation::new("POST", "/v1/payment/refund/{id}"),
    Operation::new("GET", "/v1/document"),
    Operation::new("GET", "/v1/document/search"),
    Operation::new("DELETE", "/v1/document/files"),
    Operation::new("GET", "/v1/document/generate-time-bounded-urls"),
    Operation::new("GET", "/v1/document/zip-download"),
    Operation::new("POST", "/v1/document/{owner_id}/dir"),
    Operation::new("GET", "/document/{id}"),
    Operation::new("GET", "/v1/document/download/{id}"),
    Operation::new("GET", "/v1/document/{id}"),
    Operation::new("POST", "/v1/document/{id}"),
    Operation::new("DELETE", "/v1/document/{id}"),
    Operation::new("POST", "/v1/document/{id}/upload"),
    Operation::new("PUT", "/v1/role"),
    Operation::new("GET", "/v1/role/all"),
    Operation::new("GET", "/v1/role/search"),
    Operation::new("POST", "/v1/role/update/{ids}"),
    Operation::new("GET", "/v1/role/all_by_user/{user_id}"),
    Operation::new("PUT", "/v1/role/{user_id}/add/{role}"),
    Operation::new("DELETE", "/v1/role/{user_id}/remove/{role}"),
    Operation::new("DELETE", "/v1/role/{user_id}/remove_roles"),
    Operation::new("PUT", "/v1/webhook"),
    Operation::new("DELETE", "/v1/webhook"),
    Operation::new("POST", "/v1/webhook/createAll"),
    Operation::new("POST", "/v1/import/user/csv"),
    Operation::new("POST", "/v1/import/transaction/csv"),
    Operation::new("POST", "/v1/import/role/csv"),
    Operation::new("GET", "/v1/webhook/all"),
    Operation::new("POST", "/v1/webhook/{id}"),
    Operation::new("DELETE", "/v1/webhook/{id}"),
    Operation::new("GET", "/ping"),
    Operation::new("GET", "/pay/{id}"),
    Operation::new("POST", "/pay/{id}/{choice}"),
    Operation::new("GET", "/document/link/{id}"),
];

/// The API as mounted at `/particeep` (or at `/` on the provider's own port).
pub fn api(particeep: Arc<Particeep>) -> Router {
    let v1 = Router::new()
        .route("/v1/info", get(handlers::info))
        .route("/v1/user", put(user::create_user).get(user::users_by_ids))
        .route("/v1/user/search", get(user::search_users))
        .route("/v1/user/company-business-name", get(user::company_business_names))
        .route("/v1/user/verify/{id}", post(user::verify_user))
        .route("/v1/user/authenticate", post(user::authenticate))
        .route("/v1/user/getOrCreate", post(user::get_or_create_user))
        .route("/v1/user/email/{email}", get(user::user_by_email))
        .route("/v1/user/name/{name}", get(user::users_by_name))
        .route("/v1/user/{id}", get(user::get_user).post(user::update_user).delete(user::delete_user))
        .route("/v1/user/{id}/changePassword", post(user::change_password))
        .route("/v1/user/{id}/email", post(user::change_email))
        .route("/v1/user/{id}/relative", put(relatives::add_relative).post(relatives::update_relative))
        .route("/v1/user/{id}/relative/{relative_id}", delete(relatives::delete_relative))
        .route("/v1/user/{id}/new-relative", put(relatives::add_new_relative))
        .route(
            "/v1/user/{id}/new-relative/{relative_id}",
            post(relatives::update_new_relative).delete(relatives::delete_new_relative),
        )
        .route("/v1/user/organization/{id}", post(relatives::update_organization))
        .route("/v1/user/organization/{id}/user", delete(relatives::unlink_members))
        .route(
            "/v1/user/organization/{id}/user/{user_id}",
            put(relatives::link_member).post(relatives::link_member).delete(relatives::unlink_member),
        )
        .route("/v1/wallet", put(wallet::create_wallet))
        .route("/v1/wallet/consumer", get(wallet::consumer_wallet))
        .route("/v1/wallet/transfer", post(wallet::transfer))
        .route("/v1/wallet/search", get(wallet::search_wallet_transactions))
        .route("/v1/wallet/bankaccount/search", get(wallet::search_bank_accounts))
        .route(
            "/v1/wallet/bankaccount/{id}",
            put(wallet::create_bank_account_for).post(wallet::update_bank_account).delete(wallet::delete_bank_account),
        )
        .route("/v1/wallet/owner/{owner_id}/{owner_type}", get(wallet::wallet_by_owner))
        .route("/v1/wallet/{id}", get(wallet::get_wallet))
        .route("/v1/wallet/{id}/cashin", post(wallet::cash_in))
        .route("/v1/wallet/{id}/cashin/bankAccount", post(wallet::wire_cash_in))
        .route("/v1/wallet/{id}/cashout", post(wallet::cash_out))
        .route("/v1/wallet/{id}/transactions", get(wallet::wallet_transactions))
        .route("/v1/wallet/{id}/bankaccount", put(wallet::create_bank_account).get(wallet::bank_accounts))
        .route("/v1/wallet/{id}/sepa", put(sepa::create_mandate).get(sepa::mandates))
        .route("/v1/wallet/sepa/{id}", delete(sepa::remove_mandate))
        .route("/v1/wallet/sepa/{id}/sign", post(sepa::sign_mandate))
        .route("/v1/wallet/sepa/{id}/cashin", post(sepa::cash_in))
        .route("/v1/kycs", put(kyc::create_kyc).post(kyc::attach_documents))
        .route("/v1/kycs/document/validate", post(kyc::validate_document))
        .route("/v1/kycs/askValidation/owner/{owner_id}/{owner_type}", post(kyc::ask_validation))
        .route("/v1/kycs/owner/{owner_id}/{owner_type}", get(kyc::kyc_of_owner))
        .route("/v1/kycs/cancel/owner/{owner_id}/{owner_type}", delete(kyc::cancel_kyc))
        .route("/v1/transaction", put(payment::create_transaction).get(payment::transactions_by_ids))
        .route("/v1/transaction/search", get(payment::search_transactions))
        .route("/v1/transaction/search_stats", get(payment::search_stats))
        .route("/v1/transaction/recurring/search", get(recurring::search_recurrences))
        .route(
            "/v1/transaction/recurring/{id}",
            get(recurring::recurrence).post(recurring::set_recurrence).delete(recurring::delete_recurrence),
        )
        .route("/v1/payment/schedule/pay", post(recurring::pay_cancelled))
        .route("/v1/transaction/multiple/{ids}", delete(payment::delete_transactions))
        .route(
            "/v1/transaction/{id}",
            get(payment::get_transaction).post(payment::update_transaction).delete(payment::delete_transaction),
        )
        .route("/v1/transaction/{id}/cancel", delete(payment::cancel_transaction))
        .route("/v1/payment/{id}", post(payment::pay_by_card))
        .route("/v1/payment/credit-card/{id}", post(payment::pay_by_card))
        .route("/v1/payment/cash-in/direct/{id}", post(payment::pay_by_wire))
        .route("/v1/payment/wallet/{id}", post(payment::pay_by_wallet))
        .route("/v1/payment/offline/{id}", post(payment::pay_offline))
        .route("/v1/payment/refund/{id}", post(payment::refund))
        .route("/v1/document", get(document::documents_by_ids))
        .route("/v1/document/search", get(document::search_documents))
        .route("/v1/document/files", delete(document::delete_files))
        .route("/v1/document/generate-time-bounded-urls", get(document_files::time_bounded_urls))
        .route("/v1/document/zip-download", get(document_files::zip_download))
        .route("/v1/document/{owner_id}/dir", post(document::create_folder))
        // The 2025 SDK downloads at `{baseUrl}/document/{id}`, outside `/v1`, signed as usual.
        .route("/document/{id}", get(document::download))
        .route("/v1/document/download/{id}", get(document::download))
        .route(
            "/v1/document/{id}",
            get(document::get_document).post(document::update_document).delete(document::delete_document),
        )
        .route("/v1/document/{id}/upload", post(document::upload))
        .route("/v1/role", put(role::add_roles))
        .route("/v1/role/all", get(role::all_roles))
        .route("/v1/role/search", get(role::search_roles))
        .route("/v1/role/update/{ids}", post(role::update_roles))
        .route("/v1/role/all_by_user/{user_id}", get(role::roles_by_user))
        .route("/v1/role/{user_id}/add/{role}", put(role::add_role))
        .route("/v1/role/{user_id}/remove/{role}", delete(role::remove_role))
        .route("/v1/role/{user_id}/remove_roles", delete(role::remove_all_roles))
        .route("/v1/webhook", put(webhook::create_webhook).delete(webhook::delete_webhooks))
        .route("/v1/webhook/createAll", post(webhook::create_all_webhooks))
        .route("/v1/import/user/csv", post(imports::import_users))
        .route("/v1/import/transaction/csv", post(imports::import_transactions))
        .route("/v1/import/role/csv", post(imports::import_roles))
        .route("/v1/webhook/all", get(webhook::webhooks))
        .route("/v1/webhook/{id}", post(webhook::update_webhook).delete(webhook::delete_webhook))
        .method_not_allowed_fallback(handlers::method_not_allowed)
        // Only the `/v1` routes are gated (auth, quota, envelope; a wrong method is answered after
        // the gate, as before): `route_layer` wraps the routes added so far. Merged rather than
        // nested: a nested router costs every request a second routing step and a rebuilt URI.
        .route_layer(axum::middleware::from_fn_with_state(particeep.clone(), handlers::gate));
    Router::new()
        .route("/ping", get(handlers::ping))
        .route("/pay/{id}", get(payment_page::payment_page))
        .route("/pay/{id}/{choice}", post(payment_page::payment_choice))
        .route("/document/link/{id}", get(document_files::open_link))
        .merge(v1)
        // Unknown paths get Particeep's own 404 envelope rather than the server-wide one.
        .fallback(handlers::not_found)
        .with_state(particeep)
}

/// Controls under `/__admin/particeep`.
pub fn admin(particeep: Arc<Particeep>) -> Router {
    Router::new()
        .route("/events/{key}", get(admin::events))
        .route("/kyc/{owner_id}/{decision}", post(admin::decide_kyc))
        .route("/payments/{id}/{outcome}", post(admin::settle_payment))
        .with_state(particeep)
}
