//! The Webhook module's handlers: one URL per event name (the rules are in `state/webhooks.rs`).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;

use super::{body, changed, ok, Caller, Reply, Segment};
use crate::providers::particeep::model::{WebHook, WebHookCreation};
use crate::providers::particeep::state::{check_webhook, timestamp};
use crate::providers::particeep::Particeep;

/// A webhook body: a known event name and an `http(s)` URL.
fn webhook_body(
    particeep: &Particeep,
    bytes: &[u8],
) -> Result<WebHookCreation, crate::providers::particeep::error::ParticeepError> {
    let creation: WebHookCreation = body(bytes)?;
    checked(particeep, &creation)?;
    Ok(creation)
}

/// The event name and URL checks, and no URL that is the twin itself (a peer could otherwise
/// make the twin POST to its own admin API from loopback).
fn checked(
    particeep: &Particeep,
    creation: &WebHookCreation,
) -> Result<(), crate::providers::particeep::error::ParticeepError> {
    check_webhook(creation)?;
    if particeep.shared.webhooks.points_at_self(&creation.url) {
        return Err(crate::providers::particeep::error::ParticeepError::bad_request(
            crate::providers::particeep::error::code::WEBHOOK_URL_INVALID,
            format!("`{}` is this server itself: a webhook cannot point at it", creation.url),
        ));
    }
    Ok(())
}

/// `GET /v1/webhook/all`.
pub async fn webhooks(State(particeep): State<Arc<Particeep>>, caller: Caller) -> Reply {
    let all: Vec<WebHook> = particeep.store.with(&caller.key, |consumer| consumer.all_webhooks());
    ok(&all)
}

/// `PUT /v1/webhook`: one URL per event name; a second one for the same name is 400
/// `error.webhook.name.exists` (update it with `POST /v1/webhook/{id}`).
pub async fn create_webhook(State(particeep): State<Arc<Particeep>>, caller: Caller, bytes: Bytes) -> Reply {
    let creation = webhook_body(&particeep, &bytes)?;
    let now = timestamp(particeep.now());
    let created = particeep.store.with(&caller.key, |consumer| consumer.create_webhook(creation, &now))?;
    changed(&particeep, &caller, "webhook_created", &created)
}

/// `POST /v1/webhook/{id}`.
pub async fn update_webhook(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(id): Segment<String>,
    bytes: Bytes,
) -> Reply {
    let edition = webhook_body(&particeep, &bytes)?;
    let updated = particeep.store.with(&caller.key, |consumer| consumer.update_webhook(&id, edition))?;
    changed(&particeep, &caller, "webhook_updated", &updated)
}

/// `DELETE /v1/webhook/{id}`: returns the deleted webhook.
pub async fn delete_webhook(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(id): Segment<String>,
) -> Reply {
    let deleted = particeep.store.with(&caller.key, |consumer| consumer.delete_webhook(&id))?;
    changed(&particeep, &caller, "webhook_deleted", &deleted)
}

/// `POST /v1/webhook/createAll` (a list, `webhook_created` each): all or none; a name twice in
/// the list or already hooked is 400 `error.webhook.name.exists` and nothing is created.
pub async fn create_all_webhooks(State(particeep): State<Arc<Particeep>>, caller: Caller, bytes: Bytes) -> Reply {
    let creations: Vec<WebHookCreation> = body(&bytes)?;
    for creation in &creations {
        checked(&particeep, creation)?;
    }
    let now = timestamp(particeep.now());
    let created = particeep.store.with(&caller.key, |consumer| consumer.create_webhooks(creations, &now))?;
    particeep.emit_all(&caller.key, "webhook_created", &created);
    ok(&created)
}

/// Body of `DELETE /v1/webhook`.
#[derive(Debug, serde::Deserialize)]
pub struct WebhookIds {
    ids: Vec<String>,
}

/// `DELETE /v1/webhook` `{ids}` (`webhook_deleted` each): all or none (an unknown id is 404
/// `error.webhook.none` and nothing is deleted); answers the deleted ones.
pub async fn delete_webhooks(State(particeep): State<Arc<Particeep>>, caller: Caller, bytes: Bytes) -> Reply {
    let WebhookIds { ids } = body(&bytes)?;
    let deleted = particeep.store.with(&caller.key, |consumer| consumer.delete_webhooks(&ids))?;
    particeep.emit_all(&caller.key, "webhook_deleted", &deleted);
    ok(&deleted)
}
