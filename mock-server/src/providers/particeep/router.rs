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
    op("GET", "/v1/info"),
    op("PUT", "/v1/user").request("particeep/UserCreation.json"),
    op("GET", "/v1/user"),
    op("GET", "/v1/user/search"),
    op("GET", "/v1/user/company-business-name"),
    op("POST", "/v1/user/verify/{id}"),
    op("POST", "/v1/user/authenticate"),
    op("POST", "/v1/user/getOrCreate"),
    op("GET", "/v1/user/email/{email}"),
    op("GET", "/v1/user/name/{name}"),
    op("GET", "/v1/user/{id}"),
    op("POST", "/v1/user/{id}"),
    op("DELETE", "/v1/user/{id}"),
    op("POST", "/v1/user/{id}/changePassword"),
    op("POST", "/v1/user/{id}/email"),
    op("PUT", "/v1/user/{id}/relative"),
    op("POST", "/v1/user/{id}/relative"),
    op("DELETE", "/v1/user/{id}/relative/{relative_id}"),
    op("PUT", "/v1/user/{id}/new-relative"),
    op("POST", "/v1/user/{id}/new-relative/{relative_id}"),
    op("DELETE", "/v1/user/{id}/new-relative/{relative_id}"),
    op("POST", "/v1/user/organization/{id}"),
    op("DELETE", "/v1/user/organization/{id}/user"),
    op("PUT", "/v1/user/organization/{id}/user/{user_id}"),
    op("POST", "/v1/user/organization/{id}/user/{user_id}"),
    op("DELETE", "/v1/user/organization/{id}/user/{user_id}"),
    op("PUT", "/v1/wallet").request("particeep/WalletCreation.json"),
    op("GET", "/v1/wallet/consumer"),
    op("POST", "/v1/wallet/transfer"),
    op("GET", "/v1/wallet/search"),
    op("GET", "/v1/wallet/bankaccount/search"),
    op("PUT", "/v1/wallet/bankaccount/{id}"),
    op("POST", "/v1/wallet/bankaccount/{id}"),
    op("DELETE", "/v1/wallet/bankaccount/{id}"),
    op("GET", "/v1/wallet/owner/{owner_id}/{owner_type}"),
    op("GET", "/v1/wallet/{id}"),
    op("POST", "/v1/wallet/{id}/cashin"),
    op("POST", "/v1/wallet/{id}/cashin/bankAccount"),
    op("POST", "/v1/wallet/{id}/cashout"),
    op("GET", "/v1/wallet/{id}/transactions"),
    op("PUT", "/v1/wallet/{id}/bankaccount"),
    op("GET", "/v1/wallet/{id}/bankaccount"),
    op("PUT", "/v1/wallet/{id}/sepa"),
    op("GET", "/v1/wallet/{id}/sepa"),
    op("DELETE", "/v1/wallet/sepa/{id}"),
    op("POST", "/v1/wallet/sepa/{id}/sign"),
    op("POST", "/v1/wallet/sepa/{id}/cashin"),
    op("PUT", "/v1/kycs"),
    op("POST", "/v1/kycs"),
    op("POST", "/v1/kycs/document/validate"),
    op("POST", "/v1/kycs/askValidation/owner/{owner_id}/{owner_type}"),
    op("GET", "/v1/kycs/owner/{owner_id}/{owner_type}"),
    op("DELETE", "/v1/kycs/cancel/owner/{owner_id}/{owner_type}"),
    op("PUT", "/v1/transaction").request("particeep/TransactionCreation.json"),
    op("GET", "/v1/transaction"),
    op("GET", "/v1/transaction/search"),
    op("GET", "/v1/transaction/search_stats"),
    op("GET", "/v1/transaction/recurring/search"),
    op("GET", "/v1/transaction/recurring/{id}"),
    op("POST", "/v1/transaction/recurring/{id}"),
    op("DELETE", "/v1/transaction/recurring/{id}"),
    op("POST", "/v1/payment/schedule/pay"),
    op("DELETE", "/v1/transaction/multiple/{ids}"),
    op("GET", "/v1/transaction/{id}"),
    op("POST", "/v1/transaction/{id}"),
    op("DELETE", "/v1/transaction/{id}"),
    op("DELETE", "/v1/transaction/{id}/cancel"),
    op("POST", "/v1/payment/{id}"),
    op("POST", "/v1/payment/credit-card/{id}"),
    op("POST", "/v1/payment/cash-in/direct/{id}"),
    op("POST", "/v1/payment/wallet/{id}"),
    op("POST", "/v1/payment/offline/{id}"),
    op("POST", "/v1/payment/refund/{id}"),
    op("GET", "/v1/document"),
    op("GET", "/v1/document/search"),
    op("DELETE", "/v1/document/files"),
    op("GET", "/v1/document/generate-time-bounded-urls"),
    op("GET", "/v1/document/zip-download"),
    op("POST", "/v1/document/{owner_id}/dir"),
    op("GET", "/document/{id}"),
    op("GET", "/v1/document/download/{id}"),
    op("GET", "/v1/document/{id}"),
    op("POST", "/v1/document/{id}"),
    op("DELETE", "/v1/document/{id}"),
    op("POST", "/v1/document/{id}/upload"),
    op("PUT", "/v1/role"),
    op("GET", "/v1/role/all"),
    op("GET", "/v1/role/search"),
    op("POST", "/v1/role/update/{ids}"),
    op("GET", "/v1/role/all_by_user/{user_id}"),
    op("PUT", "/v1/role/{user_id}/add/{role}"),
    op("DELETE", "/v1/role/{user_id}/remove/{role}"),
    op("DELETE", "/v1/role/{user_id}/remove_roles"),
    op("PUT", "/v1/webhook").request("particeep/WebHookCreation.json"),
    op("DELETE", "/v1/webhook"),
    op("POST", "/v1/webhook/createAll"),
    op("POST", "/v1/import/user/csv"),
    op("POST", "/v1/import/transaction/csv"),
    op("POST", "/v1/import/role/csv"),
    op("GET", "/v1/webhook/all"),
    op("POST", "/v1/webhook/{id}"),
    op("DELETE", "/v1/webhook/{id}"),
    Operation::new("GET", "/ping"),
    Operation::new("GET", "/pay/{id}"),
    Operation::new("POST", "/pay/{id}/{choice}"),
    Operation::new("GET", "/document/link/{id}"),
];

/// An API operation: Particeep publishes no per-operation list, so each has the statuses of its
/// documentation's table (200 for every success, creations and deletions included; 400 bad
/// request; 401 no valid key; 403 bad auth; 404 not found; 500/502/503/504 its failures).
const fn op(method: &'static str, path: &'static str) -> Operation {
    Operation::new(method, path).documented(&[200, 400, 401, 403, 404, 500, 502, 503, 504])
}

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
