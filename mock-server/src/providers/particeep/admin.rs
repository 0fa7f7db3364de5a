//! Particeep's admin controls under `/__admin/particeep`: what stands in for Particeep's back
//! office and its PSP (validate or refuse a KYC, settle a pending payment) and the events a
//! consumer has been sent.

use std::sync::Arc;

use crate::respond::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::providers::particeep::{KycDecision, Particeep};

use serde_json::Value;

use super::handlers::Segment;

/// Which consumer holds the pending payment `id`.
pub(super) fn payment_owner(particeep: &Particeep, id: &str) -> Option<(String, i64)> {
    particeep.store.find_map(|key, consumer| consumer.pending_payments.get(id).map(|p| (key.to_owned(), p.amount)))
}

/// `POST /__admin/particeep/kyc/{owner_id}/{decision}` (`validate` or `refuse`), body optional:
/// `{refusal_reason?, refusal_message?, doc_types?}`. The group must be in `ASK_VALIDATION` (409
/// otherwise); the owner is looked up in every consumer.
pub async fn decide_kyc(
    State(particeep): State<Arc<Particeep>>,
    Path((owner_id, decision)): Path<(String, String)>,
    bytes: Bytes,
) -> Response {
    let validated = match decision.as_str() {
        "validate" => true,
        "refuse" => false,
        other => {
            return crate::respond::admin_error(StatusCode::NOT_FOUND, format!("`{other}`: use validate or refuse"));
        }
    };
    let mut body: KycDecision = if bytes.iter().all(u8::is_ascii_whitespace) {
        KycDecision::default()
    } else {
        match crate::extract::json_body::<_, crate::respond::AdminError>(&bytes) {
            Ok(body) => body,
            Err(error) => return error.into_response(),
        }
    };
    body.validated = validated;
    let found = particeep.store.find_map(|key, consumer| {
        consumer
            .kycs
            .iter()
            .find(|(_, g)| g.owner_id == owner_id)
            .map(|(group_key, _)| (key.to_owned(), group_key.clone()))
    });
    let Some((key, group_key)) = found else {
        return crate::respond::admin_error(StatusCode::NOT_FOUND, format!("no KYC for owner {owner_id}"));
    };
    match particeep.decide_kyc(&key, &group_key, &body, None) {
        Ok(groups) => Json(groups).into_response(),
        Err(error) if error.status == StatusCode::NOT_FOUND => {
            crate::respond::admin_error(StatusCode::NOT_FOUND, error.message)
        }
        Err(error) => crate::respond::admin_error(StatusCode::CONFLICT, error.message),
    }
}

/// `POST /__admin/particeep/payments/{id}/{outcome}` (`succeed` or `fail`): settles the pending
/// card or wire payment of a cash-in (its wallet transaction id) or a Transaction (its id).
pub async fn settle_payment(
    State(particeep): State<Arc<Particeep>>,
    Path((id, outcome)): Path<(String, String)>,
) -> Response {
    let succeeded = match outcome.as_str() {
        "succeed" => true,
        "fail" => false,
        other => return crate::respond::admin_error(StatusCode::NOT_FOUND, format!("`{other}`: use succeed or fail")),
    };
    let Some((key, _)) = payment_owner(&particeep, &id) else {
        return crate::respond::admin_error(StatusCode::NOT_FOUND, format!("no pending payment {id}"));
    };
    match particeep.settle_payment(&key, &id, succeeded, None) {
        Ok(settled) => Json(serde_json::json!({ "event": settled.event, "body": settled.body })).into_response(),
        Err(error) => crate::respond::admin_error(StatusCode::CONFLICT, error.message),
    }
}

/// `GET /__admin/particeep/events/{key}`: the consumer's recorded events, oldest first.
pub async fn events(State(particeep): State<Arc<Particeep>>, Segment(key): Segment<String>) -> Response {
    if particeep.store.consumer(&key).is_none() {
        return crate::respond::admin_error(StatusCode::NOT_FOUND, format!("no consumer with API key {key}"));
    }
    let events: Vec<Value> = particeep
        .store
        .with(&key, |consumer| consumer.events.iter().map(|e| serde_json::to_value(e).unwrap_or_default()).collect());
    Json(events).into_response()
}
