//! GNU Taler merchant backend twin, KYC status: `GET /config`, `GET [/instances/$I]/private/kyc`,
//! `GET /management/instances/$I/kyc` (long-polls with `timeout_ms`, `lp_status`,
//! `lp_not_status`, `lp_not_etag`, `lpt`; `ETag` / `If-None-Match` → 304; 204; `text/plain`;
//! 406), and `GET [/instances/$I]/private/accounts`.
//! Upstream: the merchant backend's `get-private-kyc.rst` and the GANA error-code registry.

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

use crate::behaviour::{CommonError, ProviderFace};
use config::TalerConfig;
use error::TalerError;
use state::{ScheduledChange, TalerStore};

/// The Taler twin.
pub struct Taler {
    /// Its state.
    pub store: TalerStore,
}

impl Taler {
    /// A twin seeded from `config`.
    pub fn new(config: TalerConfig) -> Self {
        Self { store: TalerStore::new(config) }
    }

    /// Applies a scheduled admin change when it is due (at once if it already is: a change read
    /// back from `--state-dir` whose time passed while the twin was down).
    pub fn apply_when_due(self: &Arc<Self>, scheduled: ScheduledChange) {
        let twin = self.clone();
        let wait = (scheduled.due - chrono::Utc::now()).to_std().unwrap_or_default();
        tokio::spawn(async move {
            tokio::time::sleep(wait).await;
            twin.store.apply_scheduled(scheduled.id);
        });
    }
}

impl ProviderFace for Taler {
    fn name(&self) -> &'static str {
        "taler"
    }

    fn credential(&self, headers: &HeaderMap) -> Option<String> {
        auth::bearer(headers).map(|token| format!("token:{token}"))
    }

    fn common_error(&self, error: CommonError) -> Response {
        TalerError::Common(error).into_response()
    }
}

impl crate::providers::Twin for Taler {
    fn name(&self) -> &'static str {
        "taler"
    }

    fn state(&self) -> &dyn crate::durable::Durable {
        self.store.durable()
    }

    fn snapshot(&self) -> serde_json::Value {
        let mut value = serde_json::to_value(self.store.snapshot()).unwrap_or_default();
        let waiting: serde_json::Map<String, serde_json::Value> = self
            .store
            .config()
            .instances
            .iter()
            .map(|i| (i.id.clone(), serde_json::Value::from(self.store.waiting(&i.id))))
            .collect();
        value["waiting_long_polls"] = serde_json::Value::Object(waiting);
        value
    }

    fn reset(&self) {
        self.store.reset();
    }

    fn resume(self: Arc<Self>) {
        for scheduled in self.store.scheduled() {
            self.apply_when_due(scheduled);
        }
    }
}
