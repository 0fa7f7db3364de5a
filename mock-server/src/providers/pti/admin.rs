//! PTI's admin controls under `/__admin/pti`: the twin's keys, client registration, and what PTI
//! staff decide (KYC and transaction outcomes, a user's status).

use super::seed::DEMO_CLIENT_ID;
use super::state::Decision;
use super::Pti;
use crate::respond::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;

/// `GET /__admin/pti/jwks`: the twin's stand-in for PTI's webhook-signing key.
pub async fn jwks(State(pti): State<Arc<Pti>>) -> Response {
    let pti_key = match pti.pti_key() {
        Ok(key) => key,
        Err(problem) => return crate::respond::admin_error(StatusCode::INTERNAL_SERVER_ERROR, problem),
    };
    let mut key = super::crypto::jwk_to_json(&pti_key.public_jwk);
    key["kid"] = Value::from(pti_key.thumbprint.clone());
    key["alg"] = Value::from("RS512");
    key["use"] = Value::from("sig");
    Json(json!({ "keys": [key] })).into_response()
}

/// `GET /__admin/pti/webhook-keys`: the twin's Ed25519 webhook key as SPKI PEM, what a receiver
/// is configured with (PTI ships its own as `pti-prod-public.pem`).
pub async fn webhook_keys(State(pti): State<Arc<Pti>>) -> Response {
    match pti.webhook_key() {
        Ok(key) => {
            ([(axum::http::header::CONTENT_TYPE, "application/x-pem-file")], key.public_pem.clone()).into_response()
        }
        Err(problem) => crate::respond::admin_error(StatusCode::INTERNAL_SERVER_ERROR, problem),
    }
}

/// `GET /__admin/pti/clients/{id}/private-jwk`: the demo client's private key (a mock's only).
pub async fn private_jwk(State(pti): State<Arc<Pti>>, Path(client_id): Path<String>) -> Response {
    if client_id != DEMO_CLIENT_ID {
        let message = format!("the twin holds the private key of the demo client {DEMO_CLIENT_ID} only");
        return crate::respond::admin_error(StatusCode::NOT_FOUND, message);
    }
    let demo_client_key = match pti.demo_client_key() {
        Ok(key) => key,
        Err(problem) => return crate::respond::admin_error(StatusCode::INTERNAL_SERVER_ERROR, problem),
    };
    let mut key = super::crypto::jwk_to_json(&demo_client_key.private_jwk);
    key["kid"] = Value::from(demo_client_key.thumbprint.clone());
    Json(key).into_response()
}

/// Body of `PUT /__admin/pti/clients/{id}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientUpdate {
    webhook_url: Option<String>,
    public_jwk: Option<Value>,
    webhook_transport: Option<super::state::WebhookTransport>,
}

/// `PUT /__admin/pti/clients/{id}`: register a client or change its key or webhook URL.
pub async fn put_client(
    State(pti): State<Arc<Pti>>,
    Path(client_id): Path<String>,
    body: axum::body::Bytes,
) -> Response {
    let bad = |message: String| crate::respond::admin_error(StatusCode::BAD_REQUEST, message);
    let update: ClientUpdate = match crate::extract::json_body::<_, crate::respond::AdminError>(&body) {
        Ok(update) => update,
        Err(error) => return error.into_response(),
    };
    if let Some(jwk) = &update.public_jwk {
        if let Err(message) = super::crypto::jwk_from_json(jwk).and_then(|k| super::crypto::thumbprint(&k)) {
            return bad(format!("public_jwk: {message}"));
        }
    }
    if let Some(url) = &update.webhook_url {
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return bad(format!("webhook_url `{url}` is not an http(s) URL"));
        }
    }
    match pti.store.upsert_client(&client_id, update.public_jwk, update.webhook_url, update.webhook_transport) {
        Ok(record) => Json(json!({
            "client_id": client_id,
            "webhook_url": record.webhook_url,
            "public_jwks": record.public_jwks,
            "webhook_transport": record.webhook_transport,
        }))
        .into_response(),
        Err(message) => bad(message),
    }
}

/// `POST /__admin/pti/decisions`: decide a KYC, transaction or payment outcome, for a request
/// that exists (applied and sent now) or the next one of a user or request id.
pub async fn decide(State(pti): State<Arc<Pti>>, body: axum::body::Bytes) -> Response {
    let bad = |message: String| crate::respond::admin_error(StatusCode::BAD_REQUEST, message);
    let decision: Decision = match crate::extract::json_body::<_, crate::respond::AdminError>(&body) {
        Ok(decision) => decision,
        Err(error) => return error.into_response(),
    };
    match pti.store.decide(decision) {
        Ok(Some(event)) => {
            let webhook = event.body.clone();
            pti.admin_sender().send(event);
            Json(json!({ "applied": "now", "webhook": webhook })).into_response()
        }
        Ok(None) => Json(json!({ "applied": "queued" })).into_response(),
        Err(message) => bad(message),
    }
}

/// Body of `POST /__admin/pti/users/{id}/status`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusUpdate {
    status: String,
    client_id: Option<String>,
    /// `statusReason` of the `USER` webhook (FRAUD_SUSPICION, COMPLIANCE_FLAG...).
    status_reason: Option<String>,
}

/// `POST /__admin/pti/users/{id}/status`: what PTI staff do (ACTIVE, INACTIVE, BLOCKED).
pub async fn user_status(
    State(pti): State<Arc<Pti>>,
    Path(user_id): Path<String>,
    body: axum::body::Bytes,
) -> Response {
    let bad = |status: StatusCode, message: String| crate::respond::admin_error(status, message);
    let update: StatusUpdate = match crate::extract::json_body::<_, crate::respond::AdminError>(&body) {
        Ok(update) => update,
        Err(error) => return error.into_response(),
    };
    if !["ACTIVE", "INACTIVE", "BLOCKED"].contains(&update.status.as_str()) {
        return bad(StatusCode::BAD_REQUEST, format!("status `{}` must be ACTIVE, INACTIVE or BLOCKED", update.status));
    }
    let client_id = update.client_id.unwrap_or_else(|| DEMO_CLIENT_ID.to_owned());
    match pti.store.set_user_status(&client_id, &user_id, &update.status, update.status_reason) {
        Ok(event) => {
            let webhook = event.body.clone();
            pti.admin_sender().send(event);
            Json(json!({ "user_id": user_id, "status": update.status, "webhook": webhook })).into_response()
        }
        Err(message) => bad(StatusCode::NOT_FOUND, message),
    }
}
