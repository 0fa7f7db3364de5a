//! Particeep twin: `PTP:` HMAC-SHA1 auth with `DateTime`, the `{error, result, meta}` envelope or
//! bare bodies per consumer, metadata headers and the monthly quota, the User, Wallet, KYC,
//! Transaction, Payment, Document, Role and Webhook modules, asynchronous outcomes (card payments,
//! KYC decisions), and events delivered to registered webhooks, signed with the consumer's own key
//! and secret. Upstream: Particeep's API document and official SDKs (field names), see the README.

pub mod admin;
pub mod auth;
pub mod config;
pub mod error;
pub mod handlers;
pub mod lifecycles;
pub mod model;
pub mod openapi;
pub mod payment_page;
mod query;
pub mod router;
pub mod seed;
pub mod state;

use std::sync::Arc;

use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::behaviour::{CommonError, Shared};
use crate::config::ProvidersConfig;
use crate::provider::{BuildContext, ClientRequest, Provider};
use crate::webhooks::Outgoing;
use config::ParticeepConfig;
use error::ParticeepError;
use state::ParticeepStore;
pub use state::{KycDecision, Settled};

/// The Particeep twin.
pub struct Particeep {
    /// Its state.
    pub store: ParticeepStore,
    pub(crate) shared: Arc<Shared>,
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

    /// Makes the recurring transactions of consumer `key` that fell due, with their
    /// `transaction_created` events (a request's admission does the same; this is for the call that
    /// sets a recurrence, whose first occurrence may be due at once).
    pub fn run_due(&self, key: &str) {
        let now = self.now();
        let made = self.store.with(key, |consumer| consumer.run_due_recurrences(now));
        self.emit_all(key, "transaction_created", &made);
    }

    /// Emits `name` once per entity of `entities`.
    pub fn emit_all<T: serde::Serialize>(&self, key: &str, name: &str, entities: &[T]) {
        for entity in entities {
            self.emit(key, name, &serde_json::to_value(entity).unwrap_or_default());
        }
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
            (
                "Authorization".to_owned(),
                auth::authorization_with(consumer.signature, &consumer.key, &consumer.secret, &date_time),
            ),
        ];
        self.shared.webhooks.enqueue(Outgoing {
            provider: "particeep".into(),
            ordering_key: key.to_owned(),
            url,
            headers,
            body: body.to_string(),
            summary: serde_json::json!({ "event": name, "body": body }),
        });
    }
}

impl Particeep {
    /// Completes a pending card or wire payment (`id`: the cash-in's wallet transaction or the
    /// Transaction): success moves the money, failure moves none. Records and sends its event.
    /// `attempt` (automatic outcomes) settles only that attempt, not a later payment of the same id.
    pub fn settle_payment(
        &self,
        key: &str,
        id: &str,
        succeeded: bool,
        attempt: Option<&str>,
    ) -> Result<Settled, ParticeepError> {
        let now = state::timestamp(self.now());
        let settled = self.store.with(key, |consumer| consumer.settle_pending_payment(id, succeeded, attempt, &now))?;
        self.emit(key, settled.event, &settled.body);
        Ok(settled)
    }

    /// Applies a magic amount (cents `42` succeed, `02` are declined, by default) or the
    /// configured card outcome to a payment just started, after `card_delay_ms`.
    pub fn schedule_payment(self: &Arc<Self>, key: &str, id: &str, amount: i64) {
        let settings = &self.store.config().payments;
        let cents = u8::try_from(amount.rem_euclid(100)).ok();
        let succeeded = if cents.is_some() && cents == settings.magic_succeed_cents {
            true
        } else if cents.is_some() && cents == settings.magic_decline_cents {
            false
        } else {
            match settings.card_decision {
                config::AutoDecision::Manual => return,
                config::AutoDecision::Accept => true,
                config::AutoDecision::Refuse => false,
            }
        };
        let delay = std::time::Duration::from_millis(settings.card_delay_ms);
        let Some(attempt) = self.store.with(key, |c| c.pending_payments.get(id).map(|p| p.attempt.clone())) else {
            return;
        };
        let (twin, key, id) = (self.clone(), key.to_owned(), id.to_owned());
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            // Already settled (the admin API or the payment page was faster) or reset: nothing to do.
            let _ = twin.settle_payment(&key, &id, succeeded, Some(&attempt));
        });
    }

    /// Decides a KYC group waiting in `ASK_VALIDATION`: validated (its owner's wallet becomes
    /// `CONFIRMED`) or refused with a reason (on `doc_types`, or every document). Records and sends
    /// `kyc_validated` or `kyc_refused` (and `wallet_confirmed`).
    pub fn decide_kyc(
        &self,
        key: &str,
        group_key: &str,
        decision: &KycDecision,
        ask: Option<&str>,
    ) -> Result<Vec<model::KycGroup>, ParticeepError> {
        let now = state::timestamp(self.now());
        let (group, confirmed) =
            self.store.with(key, |consumer| consumer.decide_kyc(group_key, decision, ask, &now))?;
        let groups = vec![group];
        let event = if decision.validated { "kyc_validated" } else { "kyc_refused" };
        self.emit(key, event, &serde_json::to_value(&groups).unwrap_or_default());
        if let Some(wallet) = confirmed {
            self.emit(key, "wallet_confirmed", &serde_json::to_value(&wallet).unwrap_or_default());
        }
        Ok(groups)
    }

    /// After `askValidation`: a magic last name of the owner (`Validated`, `Refused`) or the
    /// configured decision, applied after `decision_delay_ms`.
    pub fn schedule_kyc(self: &Arc<Self>, key: &str, group_key: &str, owner_last_name: Option<&str>) {
        let settings = &self.store.config().kyc;
        let validated = match owner_last_name.map(str::to_lowercase).as_deref() {
            Some("validated") => true,
            Some("refused") => false,
            _ => match settings.decision {
                config::AutoDecision::Manual => return,
                config::AutoDecision::Accept => true,
                config::AutoDecision::Refuse => false,
            },
        };
        let decision = KycDecision {
            validated,
            refusal_reason: (!validated).then(|| "DOCUMENT_NOT_COMPLIANT".to_owned()),
            refusal_message: None,
            doc_types: None,
        };
        let delay = std::time::Duration::from_millis(settings.decision_delay_ms);
        let Some(ask) = self.store.with(key, |c| c.kyc_asks.get(group_key).cloned()) else {
            return;
        };
        let (twin, key, group_key) = (self.clone(), key.to_owned(), group_key.to_owned());
        tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            // Decided meanwhile (admin API), cancelled, asked again or reset: nothing to do.
            let _ = twin.decide_kyc(&key, &group_key, &decision, Some(&ask));
        });
    }
}

impl Provider for Particeep {
    const NAME: &'static str = "particeep";
    const MOUNT: &'static str = "/particeep";
    const SCENARIO_DOC: &'static str =
        "Particeep (mounted at `/particeep` on the twin: paths are `/v1/user`, `/ping`).";
    const AUTH_DOC: &'static str = "Particeep: `DateTime` (now, unless the step sends one) and `Authorization: PTP:...` signed\nwith the variables `api_key` and `api_secret` (HMAC-SHA1, or SHA-256 with the variable `signature: sha256`).";
    const OPERATIONS: &'static [crate::provider::Operation] = router::OPERATIONS;
    const LIFECYCLES: &'static [crate::provider::Lifecycle] = lifecycles::LIFECYCLES;
    const API_DOC: &'static crate::openapi::ApiDoc = &openapi::API;
    type Section = ParticeepConfig;

    fn section(providers: &ProvidersConfig) -> &ParticeepConfig {
        &providers.particeep
    }

    fn validate(section: &ParticeepConfig) -> Result<(), (String, String)> {
        section.validate()
    }

    fn build(section: &ParticeepConfig, context: &BuildContext) -> Result<Self, String> {
        Ok(Self::new(section.clone(), context.shared.clone()))
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
        auth::parse_header(headers).ok().map(|(key, _)| format!("key:{key}"))
    }

    fn common_error(&self, error: CommonError) -> Response {
        ParticeepError::common(error).into_response()
    }

    fn body_limit(&self, configured: usize) -> usize {
        // Room for the largest file plus its multipart framing and text parts.
        configured.max(self.store.config().documents.max_bytes.saturating_add(64 * 1024))
    }

    fn durable(&self) -> &dyn crate::durable::Durable {
        self.store.durable()
    }

    fn snapshot(&self) -> Value {
        serde_json::to_value(self.store.snapshot()).unwrap_or_default()
    }

    fn reset(&self) {
        self.store.reset();
    }

    fn reconfigure(&self, section: &ParticeepConfig) {
        self.store.reconfigure(section.clone());
    }

    fn resume(self: Arc<Self>) {
        // Card payments and KYC validations still waiting for their automatic outcome.
        for unfinished in self.store.unfinished() {
            match unfinished {
                state::Unfinished::Payment { key, id, amount } => self.schedule_payment(&key, &id, amount),
                state::Unfinished::Kyc { key, group_key, last_name } => {
                    self.schedule_kyc(&key, &group_key, last_name.as_deref())
                }
            }
        }
    }

    fn demo_vars() -> Vec<(&'static str, Value)> {
        // The 2022 SDK's consumer, and the bare and 2025 ones, so a scenario of those names them
        // as variables and `--vars` can give a real account's consumers instead.
        vec![
            ("api_key", seed::DEMO_KEY.into()),
            ("api_secret", seed::DEMO_SECRET.into()),
            ("bare_api_key", seed::BARE_KEY.into()),
            ("bare_api_secret", seed::BARE_SECRET.into()),
            ("sdk2025_api_key", seed::SDK2025_KEY.into()),
            ("sdk2025_api_secret", seed::SDK2025_SECRET.into()),
        ]
    }

    fn authenticate(request: &mut ClientRequest<'_>) -> Result<(), String> {
        let key = request.required("api_key", Self::NAME, "")?;
        let secret = request.required("api_secret", Self::NAME, "")?;
        let date_time = match request.header("datetime") {
            Some(date_time) => date_time,
            None => {
                let now = auth::date_time(chrono::Utc::now());
                request.headers.push(("DateTime".into(), now.clone()));
                now
            }
        };
        // `signature: sha256` signs as the 2025 Scala SDK does; SHA-1 otherwise.
        let algorithm = match request.text("signature").as_deref() {
            Some("sha256") => auth::Algorithm::Sha256,
            Some("sha1") | None => auth::Algorithm::Sha1,
            Some(other) => return Err(format!("the variable `signature` is `sha1` or `sha256`, not `{other}`")),
        };
        request.add_unless_given("Authorization", auth::authorization_with(algorithm, &key, &secret, &date_time));
        Ok(())
    }
}
