//! Kasisto Integration API 1.0 twin: the bank side that Kasisto's conversational platform calls.
//!
//! Emulated endpoints (all `POST`, JSON in and out; headers `secret` and, but for `/token`, `token`):
//! `/token`, `/validate_otp`, `/customer`, `/accounts`, `/transactions`, `/merchants`,
//! `/categories`, `/transfer`, `/payment`, `/payees`. Statuses 200, 400, 401, 403, 429, and the
//! OTP step-up 450-453. Upstream: "Kasisto Integration API Overview, Version 1.0" and its Swagger
//! (kasisto/kasisto-server-api, `kasisto-swagger.json`, 2016-02-09; errors from the 2017 revision).

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
use chrono::{DateTime, Utc};

pub use config::KasistoConfig;
use error::KasistoError;
use state::KasistoStore;

use crate::behaviour::{CommonError, Shared};
use crate::config::ProvidersConfig;
use crate::provider::{BuildContext, ClientRequest, Provider};

/// The Kasisto twin: its store and the shared clock.
pub struct Kasisto {
    /// The bank's state.
    pub store: KasistoStore,
    shared: Arc<Shared>,
}

impl Kasisto {
    /// A twin seeded from `config`.
    pub fn new(config: KasistoConfig, seed: u64, shared: Arc<Shared>) -> Self {
        Self { store: KasistoStore::new(config, seed), shared }
    }

    /// The twins' clock.
    pub fn now(&self) -> DateTime<Utc> {
        self.shared.clock.now()
    }
}

impl Provider for Kasisto {
    const NAME: &'static str = "kasisto";
    const MOUNT: &'static str = "/kasisto";
    const SCENARIO_DOC: &'static str = "Kasisto Integration API 1.0 (mounted at `/kasisto` on the twin).";
    const AUTH_DOC: &'static str = "Kasisto: header `secret` from the variable `secret`, and `token` from the variable `token`\nonce one is captured.";
    const OPERATIONS: &'static [crate::provider::Operation] = router::OPERATIONS;
    const LIFECYCLES: &'static [crate::provider::Lifecycle] = lifecycles::LIFECYCLES;
    const API_DOC: &'static crate::openapi::ApiDoc = &openapi::API;
    const SEED_KEYS: &'static [&'static str] = &["generated_customers", "customers", "merchants", "categories"];
    type Section = KasistoConfig;

    fn section(providers: &ProvidersConfig) -> &KasistoConfig {
        &providers.kasisto
    }

    fn validate(section: &KasistoConfig) -> Result<(), (String, String)> {
        section.validate()
    }

    fn build(section: &KasistoConfig, context: &BuildContext) -> Result<Self, String> {
        Ok(Self::new(section.clone(), context.seed, context.shared.clone()))
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
        // A user's token is the natural key; `/token` calls have only the shared secret.
        let header = |name| headers.get(name).and_then(|v| v.to_str().ok()).filter(|v| !v.is_empty());
        header("token").map(|t| format!("token:{t}")).or_else(|| header("secret").map(|s| format!("secret:{s}")))
    }

    fn common_error(&self, error: CommonError) -> Response {
        KasistoError::Common(error).into_response()
    }

    fn durable(&self) -> &dyn crate::durable::Durable {
        self.store.durable()
    }

    fn snapshot(&self) -> serde_json::Value {
        serde_json::to_value(self.store.snapshot()).unwrap_or_default()
    }

    fn reset(&self) {
        self.store.reset();
    }

    fn reconfigure(&self, section: &KasistoConfig) {
        self.store.reconfigure(section.clone());
    }

    fn demo_vars() -> Vec<(&'static str, serde_json::Value)> {
        // The demo customer's values, from the default config, so a scenario names them as
        // variables and `--vars` can give a real bank's test customer instead.
        let mut vars = vec![("secret", seed::DEMO_SECRET.into())];
        let config = KasistoConfig::default();
        if let Some(joe) = config.customers.first() {
            vars.push(("username", joe.username.clone().into()));
            vars.push(("password", joe.password.clone().into()));
            vars.push(("user_id", joe.user_id.clone().into()));
            vars.push(("full_name", format!("{} {}", joe.first_name, joe.last_name).into()));
            let account = |index: usize| joe.accounts.get(index).map(|a| a.account_id.clone()).unwrap_or_default();
            vars.push(("from_account", account(0).into()));
            vars.push(("to_account", account(1).into()));
        }
        vars
    }

    fn authenticate(request: &mut ClientRequest<'_>) -> Result<(), String> {
        let secret = request.required("secret", Self::NAME, "")?;
        request.add_unless_given("secret", secret);
        if let Some(token) = request.text("token") {
            request.add_unless_given("token", token);
        }
        Ok(())
    }
}
