//! Particeep twin: `PTP:` HMAC-SHA1 auth with `DateTime`, the `{error, result, meta}` envelope or
//! bare bodies per consumer, metadata headers and the monthly quota, the User and Webhook modules,
//! and events delivered to registered webhooks, signed with the consumer's own key and secret.
//! Upstream: Particeep's API document and official SDKs (field names), see the README.

pub mod auth;
pub mod config;
pub mod error;
pub mod handlers;
pub mod model;
pub mod router;
pub mod state;

use std::sync::Arc;

use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::behaviour::{CommonError, ProviderFace, Shared};
use crate::webhooks::Outgoing;
use config::ParticeepConfig;
use error::ParticeepError;
use state::ParticeepStore;

/// The Particeep twin.
pub struct Particeep {
    /// Its state.
    pub store: ParticeepStore,
    shared: Arc<Shared>,
}

impl Particeep {
    /// A twin seeded from `config`.
    pub fn new(config: ParticeepConfig, shared: Arc<Shared>) -> Self {
        Self { store: ParticeepStore::new(config), shared }
    }

    /// The twins' clock.
    pub fn now(&self) -> DateTime<Utc> {
        self.shared.clock.now()
    }

    /// Records the event `name` (its JSON is `body`, the response of the call) for the consumer
    /// and, when a webhook is registered for that name, queues a signed `POST` to it.
    pub fn emit(&self, key: &str, name: &str, body: &Value) {
        let now = self.now();
        let Some(url) = self.store.record(key, name, body, now) else { return };
        let Some(consumer) = self.store.consumer(key) else { return };
        // Signed when queued: retries resend the same DateTime, as a replayed delivery would.
        let date_time = auth::date_time(now);
        let headers = vec![
            ("X-Particeep-Event".to_owned(), name.to_owned()),
            ("DateTime".to_owned(), date_time.clone()),
            ("Authorization".to_owned(), auth::authorization(&consumer.key, &consumer.secret, &date_time)),
        ];
        self.shared.webhooks.enqueue(Outgoing {
            provider: "particeep",
            ordering_key: key.to_owned(),
            url,
            headers,
            body: body.to_string(),
            summary: serde_json::json!({ "event": name, "body": body }),
        });
    }
}

impl ProviderFace for Particeep {
    fn name(&self) -> &'static str {
        "particeep"
    }

    fn credential(&self, headers: &HeaderMap) -> Option<String> {
        auth::parse_header(headers).ok().map(|(key, _)| format!("key:{key}"))
    }

    fn common_error(&self, error: CommonError) -> Response {
        ParticeepError::common(error).into_response()
    }
}

impl crate::providers::Twin for Particeep {
    fn name(&self) -> &'static str {
        "particeep"
    }

    fn snapshot(&self) -> Value {
        serde_json::to_value(self.store.snapshot()).unwrap_or_default()
    }

    fn reset(&self) {
        self.store.reset();
    }
}
