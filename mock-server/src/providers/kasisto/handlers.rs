//! Kasisto handlers: extract (auth, body), check the caller's rights and step-up, call the store.

use std::sync::Arc;

use crate::respond::Json;
use axum::extract::{OriginalUri, State};
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::auth::{SecretChecked, TOKEN};
use super::config::StepUpEndpoint;
use super::error::KasistoError;
use super::model::*;
use super::state::{Caller, KasistoStore};
use super::Kasisto;

/// A JSON body; `None` when the body is empty. Malformed JSON and wrong types are Kasisto 400s.
pub type Body<T> = crate::extract::JsonBody<T, KasistoError>;

/// A 200 with the body, plus a rotated `token` header when rotation is on.
fn ok<T: Serialize>(kasisto: &Kasisto, caller: &Caller, body: T) -> Response {
    let mut response = Json(body).into_response();
    if let Some(token) = kasisto.store.rotate(caller, kasisto.now()) {
        if let Ok(value) = HeaderValue::from_str(&token) {
            response.headers_mut().insert(TOKEN, value);
        }
    }
    response
}

/// `POST /token`.
pub async fn token(
    State(kasisto): State<Arc<Kasisto>>,
    _secret: SecretChecked,
    body: Body<TokenCredentials>,
) -> Result<Json<TokenResponse>, KasistoError> {
    let credentials = body.0.unwrap_or_default();
    kasisto.store.login(&credentials, kasisto.now()).map(Json)
}

/// `POST /validate_otp`.
pub async fn validate_otp(
    State(kasisto): State<Arc<Kasisto>>,
    caller: Caller,
    body: Body<ValidateOtpRequest>,
) -> Result<Json<ValidateOtpResponse>, KasistoError> {
    let request = body.0.unwrap_or_default();
    KasistoStore::check_user(&caller, request.user_id.as_deref())?;
    let otp = request
        .otp
        .filter(|otp| !otp.is_empty())
        .ok_or_else(|| KasistoError::InvalidRequest("otp is required".into()))?;
    kasisto.store.validate_otp(&caller, &otp, kasisto.now()).map(Json)
}

/// `POST /customer`.
pub async fn customer(
    State(kasisto): State<Arc<Kasisto>>,
    caller: Caller,
    body: Body<UserRequest>,
) -> Result<Response, KasistoError> {
    let request = body.required("customer_request")?;
    KasistoStore::check_user(&caller, request.user_id.as_deref())?;
    kasisto.store.require_step_up(&caller, StepUpEndpoint::Customer, kasisto.now())?;
    let customer = kasisto.store.customer(&caller)?;
    Ok(ok(&kasisto, &caller, customer))
}

/// `POST /accounts`.
pub async fn accounts(
    State(kasisto): State<Arc<Kasisto>>,
    caller: Caller,
    body: Body<AccountsRequest>,
) -> Result<Response, KasistoError> {
    let request = body.required("accounts_request")?;
    KasistoStore::check_user(&caller, request.user_id.as_deref())?;
    kasisto.store.require_step_up(&caller, StepUpEndpoint::Accounts, kasisto.now())?;
    let accounts = kasisto.store.accounts(&caller, request.account_id.as_deref());
    Ok(ok(&kasisto, &caller, accounts))
}

/// `POST /transactions`.
pub async fn transactions(
    State(kasisto): State<Arc<Kasisto>>,
    caller: Caller,
    body: Body<TransactionCriteria>,
) -> Result<Response, KasistoError> {
    let criteria = body.required("transaction_criteria")?;
    KasistoStore::check_user(&caller, criteria.user_id.as_deref())?;
    kasisto.store.require_step_up(&caller, StepUpEndpoint::Transactions, kasisto.now())?;
    let transactions = kasisto.store.transactions(&caller, &criteria)?;
    Ok(ok(&kasisto, &caller, transactions))
}

/// `POST /merchants`.
pub async fn merchants(
    State(kasisto): State<Arc<Kasisto>>,
    caller: Caller,
    body: Body<UserRequest>,
) -> Result<Response, KasistoError> {
    KasistoStore::check_user(&caller, body.0.unwrap_or_default().user_id.as_deref())?;
    Ok(ok(&kasisto, &caller, kasisto.store.merchants()))
}

/// `POST /categories`.
pub async fn categories(
    State(kasisto): State<Arc<Kasisto>>,
    caller: Caller,
    body: Body<UserRequest>,
) -> Result<Response, KasistoError> {
    KasistoStore::check_user(&caller, body.0.unwrap_or_default().user_id.as_deref())?;
    Ok(ok(&kasisto, &caller, kasisto.store.categories()))
}

/// `POST /payees`.
pub async fn payees(
    State(kasisto): State<Arc<Kasisto>>,
    caller: Caller,
    body: Body<UserRequest>,
) -> Result<Response, KasistoError> {
    KasistoStore::check_user(&caller, body.0.unwrap_or_default().user_id.as_deref())?;
    Ok(ok(&kasisto, &caller, kasisto.store.payees(&caller)))
}

/// `POST /transfer`.
pub async fn transfer(
    State(kasisto): State<Arc<Kasisto>>,
    caller: Caller,
    body: Body<TransferRequest>,
) -> Result<Response, KasistoError> {
    let request = body.required("transfer_request")?;
    kasisto.store.require_step_up(&caller, StepUpEndpoint::Transfer, kasisto.now())?;
    let transfer = kasisto.store.transfer(&caller, &request, kasisto.now())?;
    Ok(ok(&kasisto, &caller, transfer))
}

/// `POST /payment`.
pub async fn payment(
    State(kasisto): State<Arc<Kasisto>>,
    caller: Caller,
    body: Body<PaymentRequest>,
) -> Result<Response, KasistoError> {
    let request = body.required("payment_request")?;
    kasisto.store.require_step_up(&caller, StepUpEndpoint::Payment, kasisto.now())?;
    let payment = kasisto.store.payment(&caller, &request, kasisto.now())?;
    Ok(ok(&kasisto, &caller, payment))
}

/// Any path that is not one of the ten endpoints.
pub async fn not_found(uri: OriginalUri) -> KasistoError {
    KasistoError::NotFound(uri.path().to_owned())
}

/// A known path with a method other than POST.
pub async fn method_not_allowed() -> KasistoError {
    KasistoError::MethodNotAllowed
}
