//! GNU Taler merchant backend twin, KYC status: `GET /config`, `GET [/instances/$I]/private/kyc`,
//! `GET /management/instances/$I/kyc` (long-polls with `timeout_ms`, `lp_status`,
//! `lp_not_status`, `lp_not_etag`, `lpt`; `ETag` / `If-None-Match` → 304; 204; `text/plain`;
//! 406), and `GET [/instances/$I]/private/accounts`.
//! Upstream: the merchant backend's `get-private-kyc.rst` and the GANA error-code registry.

pub mod admin;
pub mod auth;
pub mod config;
pub mod error;
pub mod handlers;
pub mod lifecycles;
pub mod model;
pub mod openapi;
pub mod router;
pub mod seed;
pub mod state;

use std::sync::Arc;

use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};

use crate::behaviour::CommonError;
use crate::config::ProvidersConfig;
use crate::provider::{BuildContext, ClientRequest, Provider};
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

impl Provider for Taler {
    const NAME: &'static str = "taler";
    const MOUNT: &'static str = "/taler";
    const SCENARIO_DOC: &'static str = "GNU Taler merchant backend, KYC status (mounted at `/taler` on the twin).";
    const AUTH_DOC: &'static str = "Taler: `Authorization: Bearer` + the variable `token` (`secret-token:...`).";
    const OPERATIONS: &'static [crate::provider::Operation] = router::OPERATIONS;
    const LIFECYCLES: &'static [crate::provider::Lifecycle] = lifecycles::LIFECYCLES;
    const API_DOC: &'static crate::openapi::ApiDoc = &openapi::API;
    const SEED_KEYS: &'static [&'static str] = &["instances", "exchanges", "kyc"];
    type Section = TalerConfig;

    fn section(providers: &ProvidersConfig) -> &TalerConfig {
        &providers.taler
    }

    fn validate(section: &TalerConfig) -> Result<(), (String, String)> {
        section.validate()
    }

    fn build(section: &TalerConfig, _context: &BuildContext) -> Result<Self, String> {
        Ok(Self::new(section.clone()))
    }

    fn api(twin: Arc<Self>) -> axum::Router {
        router::api(twin)
    }

    fn admin(twin: Arc<Self>) -> axum::Router {
        router::admin(twin)
    }

    fn schemas(generator: &mut schemars::SchemaGenerator) -> Vec<(&'static str, schemars::Schema)> {
        model::schemas(generator)
    }

    fn credential(&self, headers: &HeaderMap) -> Option<String> {
        auth::bearer(headers).map(|token| format!("token:{token}"))
    }

    fn common_error(&self, error: CommonError) -> Response {
        TalerError::Common(error).into_response()
    }

    fn durable(&self) -> &dyn crate::durable::Durable {
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

    fn reconfigure(&self, section: &TalerConfig) {
        self.store.reconfigure(section.clone());
    }

    fn resume(self: Arc<Self>) {
        for scheduled in self.store.scheduled() {
            self.apply_when_due(scheduled);
        }
    }

    fn demo_vars() -> Vec<(&'static str, serde_json::Value)> {
        // From the default config, so a scenario names the demo instance, exchange and statuses
        // as variables and `--vars` can give a real backend's instead.
        let config = TalerConfig::default();
        let mut vars = vec![("token", seed::DEMO_TOKEN.into())];
        if let Some(exchange) = config.exchanges.first() {
            vars.push(("exchange", exchange.url.clone().into()));
        }
        let status_of = |instance: &str| {
            config.kyc.iter().find(|k| k.instance == instance).map(|k| serde_json::Value::from(k.status.clone()))
        };
        if let Some(status) = status_of(&config.default_instance) {
            vars.push(("kyc_status", status));
        }
        if let Some(other) = config.instances.iter().find(|i| i.id != config.default_instance) {
            vars.push(("instance", other.id.clone().into()));
            if let Some(status) = status_of(&other.id) {
                vars.push(("instance_kyc_status", status));
            }
        }
        // A token of the default instance without the KYC permission.
        let limited = config
            .instances
            .iter()
            .filter(|i| i.id == config.default_instance)
            .flat_map(|i| &i.tokens)
            .find(|t| !t.permissions.iter().any(|p| p == "instances-kyc-read" || p == "all"));
        if let Some(limited) = limited {
            vars.push(("limited_token", limited.token.clone().into()));
        }
        vars
    }

    fn authenticate(request: &mut ClientRequest<'_>) -> Result<(), String> {
        if request.header("authorization").is_none() {
            let token = request.required("token", Self::NAME, " (secret-token:...)")?;
            request.headers.push(("authorization".into(), format!("Bearer {token}")));
        }
        Ok(())
    }
}
