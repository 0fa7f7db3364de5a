//! PTI handlers: authenticate, check the body as the spec says, call the store, answer at once
//! (201 `objectReference` for work that goes on), and send the outcome by webhook later.

use std::sync::Arc;

use crate::respond::Json;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::Value;

use super::auth::{normalise_path, Authenticated};
use super::error::{PtiError, PtiErrorKind};
use super::model::{KycNeeds, ObjectReference, TransactionFeedback, UserToken, UserTokenRequest};
use super::state::{
    check_request_id, check_transaction, check_user, reference, NewTransaction, TokenRecord, Unfinished,
};
use super::{BodySchema, Pti, WebhookSender};

/// Methods a user token can be bound to.
/// The methods a user token may be bound to: the spec's pattern lists OPTIONS and CONNECT too, but
/// its `maxLength: 6` refuses them, and the stricter rule is the one both hold.
const TOKEN_METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

fn json_body(auth: &Authenticated) -> Result<Value, PtiError> {
    crate::extract::json_body(&auth.body)
}

fn typed_body<T: serde::de::DeserializeOwned>(auth: &Authenticated) -> Result<T, PtiError> {
    crate::extract::json_body(&auth.body)
}

fn path<T>(extracted: Result<Path<T>, PathRejection>) -> Result<T, PtiError> {
    extracted.map(|Path(value)| value).map_err(|e| PtiError::new(PtiErrorKind::InvalidRequest, e.body_text()))
}

fn created(reference: ObjectReference) -> Response {
    (StatusCode::CREATED, Json(reference)).into_response()
}

fn known_scenario(pti: &Pti, scenario: Option<&str>) -> Result<(), PtiError> {
    if let Some(scenario) = scenario {
        pti.store.required_tier(scenario, 0.0)?;
    }
    Ok(())
}

/// `POST /auth/userToken` (and `/auth/jwt`).
pub async fn user_token(State(pti): State<Arc<Pti>>, auth: Authenticated) -> Result<Json<UserToken>, PtiError> {
    let request: UserTokenRequest = typed_body(&auth)?;
    let method = request.method.to_ascii_uppercase();
    if !TOKEN_METHODS.contains(&method.as_str()) {
        return Err(PtiError::new(
            PtiErrorKind::InvalidRequest,
            format!("method `{}` must be one of {}", request.method, TOKEN_METHODS.join(", ")),
        ));
    }
    if request.url.is_empty() || request.url.len() > 1022 {
        return Err(PtiError::new(PtiErrorKind::InvalidRequest, "url must be 1 to 1022 characters".into()));
    }
    let (token, jti, expires_at) = pti.issue_token(&auth.client_id, &normalise_path(&request.url), &method)?;
    pti.store.remember_token(
        &jti,
        TokenRecord {
            client_id: auth.client_id.clone(),
            path: normalise_path(&request.url),
            method,
            expires_at,
            consumed: false,
        },
    );
    Ok(Json(UserToken { access_token: token, expires_at: expires_at.timestamp(), token_type: "JWT".into() }))
}

/// `POST /users`.
pub async fn create_user(State(pti): State<Arc<Pti>>, auth: Authenticated) -> Result<Response, PtiError> {
    let mut body = json_body(&auth)?;
    pti.check_body(BodySchema::User, &mut body)?;
    let user = check_user(body, "body")?;
    let id = pti.store.create_user(&auth.client_id, user, super::state::Api::V0)?;
    Ok(created(reference(&id, format!("{}/users/{id}", auth.api_base))))
}

/// `GET /users`.
pub async fn list_users(State(pti): State<Arc<Pti>>, auth: Authenticated) -> Json<Vec<ObjectReference>> {
    let ids = pti.store.user_ids(&auth.client_id);
    Json(ids.iter().map(|id| reference(id, format!("{}/users/{id}", auth.api_base))).collect())
}

/// `PUT /users` (replace).
pub async fn replace_user(State(pti): State<Arc<Pti>>, auth: Authenticated) -> Result<Json<ObjectReference>, PtiError> {
    let mut body = json_body(&auth)?;
    pti.check_body(BodySchema::User, &mut body)?;
    let user = check_user(body, "body")?;
    let id = pti.store.update_user(&auth.client_id, user, true)?;
    Ok(Json(reference(&id, format!("{}/users/{id}", auth.api_base))))
}

/// `PATCH /users` (merge).
pub async fn merge_user(State(pti): State<Arc<Pti>>, auth: Authenticated) -> Result<Json<ObjectReference>, PtiError> {
    let mut body = json_body(&auth)?;
    pti.check_body(BodySchema::User, &mut body)?;
    let user = check_user(body, "body")?;
    let id = pti.store.update_user(&auth.client_id, user, false)?;
    Ok(Json(reference(&id, format!("{}/users/{id}", auth.api_base))))
}

/// `GET /users/{userId}`.
pub async fn get_user(
    State(pti): State<Arc<Pti>>,
    user_id: Result<Path<String>, PathRejection>,
    auth: Authenticated,
) -> Result<Json<Value>, PtiError> {
    pti.store.user(&auth.client_id, &path(user_id)?).map(Json)
}

/// `POST /users/{userId}/kyc`.
pub async fn start_kyc(
    State(pti): State<Arc<Pti>>,
    user_id: Result<Path<String>, PathRejection>,
    auth: Authenticated,
) -> Result<Response, PtiError> {
    let user_id = path(user_id)?;
    let request_id = check_request_id(auth.header("x-pti-request-id"))?;
    known_scenario(&pti, auth.header("x-pti-scenario-id"))?;
    let mut body = json_body(&auth)?;
    pti.check_body(BodySchema::User, &mut body)?;
    if let Some(id) = body.get("id").and_then(Value::as_str) {
        if id != user_id {
            return Err(PtiError::new(
                PtiErrorKind::InvalidRequest,
                format!("body.id `{id}` is not the path's userId `{user_id}`"),
            ));
        }
    }
    let pending = pti.store.start_kyc(&auth.client_id, &user_id, &request_id, &body, super::state::Api::V0)?;
    let sender = pti.sender(&auth);
    sender.send(pending);
    pti.schedule(Unfinished::Kyc, &auth.client_id, &request_id, sender);
    Ok(created(reference(&request_id, format!("{}/users/{user_id}/kyc", auth.api_base))))
}

/// `GET /users/{userId}/kyc`.
pub async fn latest_kyc(
    State(pti): State<Arc<Pti>>,
    user_id: Result<Path<String>, PathRejection>,
    auth: Authenticated,
) -> Result<Response, PtiError> {
    Ok(Json(pti.store.latest_kyc(&auth.client_id, &path(user_id)?)?).into_response())
}

/// Query of `kyc-needed`.
#[derive(Debug, Deserialize)]
pub struct AmountQuery {
    amount: Option<String>,
}

/// `GET /users/{userId}/kyc-needed?amount=`.
pub async fn kyc_needed(
    State(pti): State<Arc<Pti>>,
    user_id: Result<Path<String>, PathRejection>,
    query: Result<Query<AmountQuery>, QueryRejection>,
    auth: Authenticated,
) -> Result<Json<KycNeeds>, PtiError> {
    let user_id = path(user_id)?;
    let Query(query) = query.map_err(|e| PtiError::new(PtiErrorKind::InvalidRequest, e.body_text()))?;
    let amount_text = query.amount.ok_or_else(|| {
        PtiError::new(PtiErrorKind::InvalidRequest, "the amount query parameter is required (USD)".into())
    })?;
    let amount: f64 = amount_text
        .parse()
        .map_err(|_| PtiError::new(PtiErrorKind::InvalidRequest, format!("amount `{amount_text}` is not a number")))?;
    if !(1.0..=999_999.0).contains(&amount) {
        return Err(PtiError::new(
            PtiErrorKind::InvalidRequest,
            format!("amount {amount} must be between 1 and 999999"),
        ));
    }
    check_request_id(auth.header("x-pti-request-id"))?;
    let scenario = auth.header("x-pti-scenario-id").ok_or_else(|| {
        PtiError::new(PtiErrorKind::InvalidRequest, "the x-pti-scenario-id header is required".into())
    })?;
    let kyc_needed = pti.store.kyc_needed(&auth.client_id, &user_id, scenario, amount)?;
    Ok(Json(KycNeeds { kyc_needed }))
}

/// Records a transaction log or a funding after the checks both share, sends its PENDING
/// webhook, and returns the request id and the sender for the later results.
fn record(
    pti: &Arc<Pti>,
    auth: &Authenticated,
    user_id: &str,
    kind: &str,
) -> Result<(String, WebhookSender), PtiError> {
    let request_id = check_request_id(auth.header("x-pti-request-id"))?;
    let scenario = auth.header("x-pti-scenario-id");
    known_scenario(pti, scenario)?;
    let mut body = json_body(auth)?;
    pti.check_body(BodySchema::Transaction, &mut body)?;
    // Transaction logs are `oneOfTransactionSubTypes` (a `type` is required); a funding is not.
    let usd = check_transaction(&body, user_id, kind == "transactionLog")?;
    let form_url = format!("{}/users/{user_id}/kyc-form?client={}", auth.api_base, auth.client_id);
    let new =
        NewTransaction { user_id, request_id: &request_id, body: &body, usd, scenario, kind, form_url: &form_url };
    // A funding lacking the user's information gets its 406 in the `error` shape: the v0 spec
    // declares `inputRequest` for transaction logs and transactions, not for fundings.
    let pending = pti.store.record_transaction(&auth.client_id, &new).map_err(|error| match kind {
        "funding" => error.without_input_request(),
        _ => error,
    })?;
    let sender = pti.sender(auth);
    sender.send(pending);
    Ok((request_id, sender))
}

/// `POST /users/{userId}/transactionLogs`.
pub async fn log_transaction(
    State(pti): State<Arc<Pti>>,
    user_id: Result<Path<String>, PathRejection>,
    auth: Authenticated,
) -> Result<Response, PtiError> {
    let user_id = path(user_id)?;
    let (request_id, sender) = record(&pti, &auth, &user_id, "transactionLog")?;
    pti.schedule(Unfinished::TransactionLog, &auth.client_id, &request_id, sender);
    Ok(created(reference(&request_id, format!("{}/users/{user_id}/transactionLogs/{request_id}", auth.api_base))))
}

/// `GET /users/{userId}/transactionLogs/{requestId}`.
pub async fn get_transaction_log(
    State(pti): State<Arc<Pti>>,
    ids: Result<Path<(String, String)>, PathRejection>,
    auth: Authenticated,
) -> Result<Json<Value>, PtiError> {
    let (user_id, request_id) = path(ids)?;
    pti.store.transaction(&auth.client_id, &user_id, &request_id, "transactionLog").map(Json)
}

/// `GET /users/{userId}/transactions/{requestId}`: a funding, where its answer's `link` points.
pub async fn get_funding(
    State(pti): State<Arc<Pti>>,
    ids: Result<Path<(String, String)>, PathRejection>,
    auth: Authenticated,
) -> Result<Json<Value>, PtiError> {
    let (user_id, request_id) = path(ids)?;
    pti.store.transaction(&auth.client_id, &user_id, &request_id, "funding").map(Json)
}

/// `POST /transactions/{requestId}/feedback`.
pub async fn feedback(
    State(pti): State<Arc<Pti>>,
    request_id: Result<Path<String>, PathRejection>,
    auth: Authenticated,
) -> Result<Response, PtiError> {
    let request_id = path(request_id)?;
    let feedback: TransactionFeedback = typed_body(&auth)?;
    if let Some(id) = &feedback.transaction_id {
        let valid =
            (3..=256).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !valid {
            return Err(PtiError::new(
                PtiErrorKind::InvalidRequest,
                format!("transactionId `{id}` must match ^[A-Za-z0-9\\-_]{{3,256}}$"),
            ));
        }
    }
    pti.store.feedback(&auth.client_id, &request_id, feedback)?;
    Ok(created(reference(&request_id, format!("{}/transactions/{request_id}/feedback", auth.api_base))))
}

/// `POST /users/{userId}/transactions/fiat/funding`.
pub async fn fiat_funding(
    State(pti): State<Arc<Pti>>,
    user_id: Result<Path<String>, PathRejection>,
    auth: Authenticated,
) -> Result<Response, PtiError> {
    let user_id = path(user_id)?;
    let (request_id, sender) = record(&pti, &auth, &user_id, "funding")?;
    pti.schedule(Unfinished::Funding, &auth.client_id, &request_id, sender);
    Ok(created(reference(&request_id, format!("{}/users/{user_id}/transactions/{request_id}", auth.api_base))))
}

/// Any other path.
pub async fn not_found(uri: OriginalUri) -> PtiError {
    PtiError::new(PtiErrorKind::UnknownUser, format!("no PTI endpoint at {}", uri.path()))
}

/// A known path with another method.
pub async fn method_not_allowed() -> PtiError {
    PtiError::MethodNotAllowed
}
