//! PTI's webhooks on their way out: signed with PTI's key and encrypted to the client's (`jwe`,
//! v0's), or Ed25519-signed in a `v1=<base64>` header over the plain body (`ed25519`, PTI's since
//! 2026-04), per client or else per API, then queued in order per user.

use std::sync::Arc;

use super::state::{self, Event, WebhookTransport};
use super::{crypto, Pti};
use crate::webhooks::Outgoing;

/// Seals and queues the webhooks of one request.
#[derive(Clone)]
pub struct WebhookSender {
    pub(super) pti: Arc<Pti>,
    pub(super) jku: String,
    pub(super) disabled: bool,
}

impl WebhookSender {
    /// Signs (and for `jwe`, encrypts) and queues `event` for its client, ordered per user, in
    /// the client's transport or else its API's (v1 `ed25519`, v0 `jwe`); or logs why not.
    pub fn send(&self, event: Event) {
        let ordering_key = format!("{}/{}", event.client_id, event.user_id);
        let queue = self.pti.queue();
        if self.disabled {
            queue.record_unsent("pti", ordering_key, event.body, "x-pti-disable-webhook: true".into());
            return;
        }
        let Some(client) = self.pti.store.client(&event.client_id) else {
            queue.record_unsent("pti", ordering_key, event.body, "the client is no longer registered".into());
            return;
        };
        let Some(url) = client.webhook_url.clone() else {
            let note = "no webhook_url registered for this client (PUT /__admin/pti/clients/{id})".to_owned();
            queue.record_unsent("pti", ordering_key, event.body, note);
            return;
        };
        let transport = client.webhook_transport.unwrap_or(match event.api {
            state::Api::V0 => WebhookTransport::Jwe,
            state::Api::V1 => WebhookTransport::Ed25519,
        });
        let sealed = match transport {
            WebhookTransport::Jwe => client
                .public_jwks
                .first()
                .ok_or_else(|| "the client has no public key to encrypt to".to_owned())
                .and_then(crypto::jwk_from_json)
                .and_then(|jwk| crypto::seal_webhook(&event.body, self.pti.pti_key()?, &self.jku, &jwk))
                .map(|body| (body, Vec::new())),
            WebhookTransport::Ed25519 => self.pti.webhook_key().and_then(|key| {
                let body = event.body.to_string();
                let header = (self.pti.store.config().webhook_signature_header.clone(), key.signature_header(&body)?);
                Ok((body, vec![header]))
            }),
        };
        match sealed {
            Ok((body, headers)) => {
                queue.enqueue(Outgoing {
                    provider: "pti".into(),
                    ordering_key,
                    url,
                    headers,
                    body,
                    summary: event.body,
                });
            }
            Err(message) => {
                queue.record_unsent("pti", ordering_key, event.body, format!("cannot sign: {message}"));
            }
        }
    }
}
