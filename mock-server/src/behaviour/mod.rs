//! Cross-cutting behaviour every provider goes through, built once: body limit, faults, latency,
//! throttling and the journal, applied by one middleware ([`pipeline`]) in that order.
//! A handler that must wait (a long-poll) answers with a [`deferred`] placeholder; the journal
//! chains onto it and the server awaits it outside the router.
//!
//! A provider plugs in through [`ProviderFace`]: it names itself, says which header identifies the
//! caller (the throttle key), and renders the shared errors (429, 413, injected statuses) in its
//! own error shape, so a Kasisto client sees Kasisto's `error_response` even for a throttled call.
//!
//! Over 400 lines: the one middleware and the settings it reads (swapped whole by a reload), one job.

mod body;
pub mod deferred;
pub mod faults;
pub mod journal;
pub mod latency;
pub mod recorded;
mod redact;
pub mod route;
pub mod throttle;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, OriginalUri, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use futures_util::FutureExt;

use crate::clock::Clock;
use faults::{FaultRegistry, FaultResponse, FaultRule};
use journal::{CapturedBody, Journal, RawHeaders, Recorded};
use latency::{Delay, LatencyConfig};
use route::RoutePattern;
use throttle::{Throttle, ThrottleConfig};

/// Errors every provider must be able to render in its own shape.
#[derive(Debug, Clone, PartialEq)]
pub enum CommonError {
    /// The caller's rate limit is exhausted; retry after this many seconds.
    Throttled {
        /// Value of the `Retry-After` header.
        retry_after_secs: u64,
    },
    /// The request body is larger than the configured limit.
    PayloadTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// The request body could not be read (the client went away or sent a broken body).
    UnreadableBody,
    /// A fault rule asked for this status.
    Injected {
        /// The status to answer.
        status: StatusCode,
    },
    /// The change the request made could not be saved to `--state-dir` (disk full, I/O error): it
    /// is kept in memory, but would not survive a restart, so the request is not acknowledged.
    StateNotSaved,
}

/// How a provider presents itself to the shared behaviour.
pub trait ProviderFace: Send + Sync + 'static {
    /// The provider's name in the journal, fault rules and admin routes.
    fn name(&self) -> &'static str;
    /// The credential that identifies the caller, used as the throttle key.
    fn credential(&self, headers: &HeaderMap) -> Option<String>;
    /// A shared error rendered in the provider's own shape and status.
    fn common_error(&self, error: CommonError) -> Response;
    /// The largest request body this provider reads, given the configured one (a provider that
    /// takes uploads raises it to its own file limit, and answers larger files itself).
    fn body_limit(&self, configured: usize) -> usize {
        configured
    }
}

/// The part of a provider's config section that the shared behaviour reads: every provider's
/// section has these keys (`enabled`, `port`, `throttle`, `latency`) beside its own.
pub trait HttpSection {
    /// Off: the provider is not mounted.
    fn enabled(&self) -> bool;
    /// A port of its own, serving the provider at `/`, besides its mount on the main port.
    fn port(&self) -> Option<u16>;
    /// Its rate limits.
    fn throttle(&self) -> &ThrottleConfig;
    /// Its added latency.
    fn latency(&self) -> &LatencyConfig;

    /// Checks the throttle and latency keys; errors name the key under `prefix`
    /// (`providers.kasisto`).
    fn validate_http(&self, prefix: &str) -> Result<(), (String, String)> {
        let (throttle, latency) = (self.throttle(), self.latency());
        let limits = throttle.default.iter().map(|l| ("default".to_string(), l));
        let routes = throttle.routes.iter().map(|(r, l)| (format!("routes.{r}"), l));
        for (key, limit) in limits.chain(routes) {
            if !(limit.per_second.is_finite() && limit.per_second > 0.0) {
                return Err((format!("{prefix}.throttle.{key}.per_second"), "must be a number greater than 0".into()));
            }
            if limit.burst == 0 {
                return Err((format!("{prefix}.throttle.{key}.burst"), "must be at least 1".into()));
            }
        }
        for route in throttle.routes.keys().chain(latency.routes.keys()) {
            if !route.starts_with('/') {
                return Err((
                    format!("{prefix}: route `{route}`"),
                    "route keys are paths inside the provider and start with `/`".into(),
                ));
            }
        }
        let delays = latency.default.iter().map(|d| ("default".to_string(), d));
        let routes = latency.routes.iter().map(|(r, d)| (format!("routes.{r}"), d));
        for (key, delay) in delays.chain(routes) {
            delay.validate().map_err(|message| (format!("{prefix}.latency.{key}"), message))?;
        }
        Ok(())
    }
}

/// Implements [`HttpSection`] for a provider's config struct with the fields `enabled`, `port`,
/// `throttle` and `latency`.
#[macro_export]
macro_rules! http_section {
    ($section:ty) => {
        impl $crate::behaviour::HttpSection for $section {
            fn enabled(&self) -> bool {
                self.enabled
            }
            fn port(&self) -> Option<u16> {
                self.port
            }
            fn throttle(&self) -> &$crate::behaviour::throttle::ThrottleConfig {
                &self.throttle
            }
            fn latency(&self) -> &$crate::behaviour::latency::LatencyConfig {
                &self.latency
            }
        }
    };
}

/// State shared by every provider and the admin API.
#[derive(Debug)]
pub struct Shared {
    /// The request journal.
    pub journal: Journal,
    /// Faults in force.
    pub faults: FaultRegistry,
    /// The twins' adjustable clock.
    pub clock: Clock,
    /// Largest request body accepted.
    pub body_limit: usize,
    /// How long a body may take to arrive.
    pub body_read_timeout: std::time::Duration,
    /// The slowest a body may arrive (bytes per second; 0: no minimum).
    pub body_min_bytes_per_sec: u64,
    /// The faults of the config in force, restored by `/__admin/reset`.
    pub configured_faults: std::sync::Mutex<Vec<FaultRule>>,
    /// Outbound webhooks and their log.
    pub webhooks: Arc<crate::webhooks::WebhookQueue>,
    /// The `--state-dir` store, when there is one: changes are saved before their answer goes out.
    pub durable: std::sync::OnceLock<Arc<crate::durable::DurableStore>>,
    /// Where the config in force comes from and how its reloads went (`--watch`).
    pub config_status: std::sync::Mutex<crate::reload::ConfigStatus>,
}

impl Shared {
    /// [`Shared::config_status`], locked.
    pub fn lock_config_status(&self) -> std::sync::MutexGuard<'_, crate::reload::ConfigStatus> {
        // Fields are set one by one from plain values: a panic cannot leave it unusable.
        self.config_status.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// One provider's behaviour: its face, limiters and latency, plus the shared state.
pub struct Behaviour {
    face: Arc<dyn ProviderFace>,
    // Swapped whole when a `--watch` reload changes the section's throttle or latency: a request
    // reads one consistent set without a lock.
    tuning: arc_swap::ArcSwap<Tuning>,
    shared: Arc<Shared>,
}

/// The throttle and latency of one section, as configured and as built.
struct Tuning {
    throttle_config: ThrottleConfig,
    latency_config: LatencyConfig,
    throttle: Arc<Throttle>,
    latency_default: Option<Delay>,
    latency_routes: Vec<(RoutePattern, Delay)>,
}

impl Tuning {
    fn new(throttle: &ThrottleConfig, latency: &LatencyConfig) -> Self {
        Self::with_throttle(throttle, Arc::new(Throttle::new(throttle)), latency)
    }

    fn with_throttle(config: &ThrottleConfig, throttle: Arc<Throttle>, latency: &LatencyConfig) -> Self {
        Self {
            throttle_config: config.clone(),
            latency_config: latency.clone(),
            throttle,
            latency_default: latency.default.clone(),
            latency_routes: latency.routes.iter().map(|(r, d)| (RoutePattern::new(r.clone()), d.clone())).collect(),
        }
    }

    fn latency_for(&self, route: &str) -> Option<&Delay> {
        self.latency_routes.iter().find(|(p, _)| p.matches(route)).map(|(_, d)| d).or(self.latency_default.as_ref())
    }
}

impl Behaviour {
    /// Builds a provider's behaviour from its throttle and latency sections.
    pub fn new(
        face: Arc<dyn ProviderFace>,
        throttle: &ThrottleConfig,
        latency: &LatencyConfig,
        shared: Arc<Shared>,
    ) -> Self {
        Self { face, tuning: arc_swap::ArcSwap::from_pointee(Tuning::new(throttle, latency)), shared }
    }

    /// Puts a reloaded section's throttle and latency in force for the requests that arrive from
    /// now on. Unchanged settings are kept as they are, so a reload that changed something else
    /// does not refill every caller's rate-limit bucket; changed limits start with full buckets.
    pub fn retune(&self, throttle: &ThrottleConfig, latency: &LatencyConfig) {
        let current = self.tuning.load_full();
        let retuned = match (current.throttle_config == *throttle, current.latency_config == *latency) {
            (true, true) => return,
            // Only the latency changed: the buckets, and who is throttled now, carry over.
            (true, false) => Tuning::with_throttle(throttle, current.throttle.clone(), latency),
            (false, _) => Tuning::new(throttle, latency),
        };
        self.tuning.store(Arc::new(retuned));
    }

    /// Wraps a provider's router so every request to it goes through [`pipeline`].
    pub fn wrap(self: Arc<Self>, router: Router) -> Router {
        router.layer(axum::middleware::from_fn_with_state(self, pipeline))
    }
}

/// The middleware: read the body within the limit, apply a matching fault, add latency, check the
/// rate limit, call the provider, and record the exchange in the journal.
pub async fn pipeline(State(behaviour): State<Arc<Behaviour>>, request: Request, next: Next) -> Response {
    let arrived = Instant::now();
    let at = behaviour.shared.clock.now();
    let face = behaviour.face.as_ref();
    let (parts, body) = request.into_parts();
    // Inside a nested router the URI has lost its mount prefix: that is the route within the
    // provider, which per-route settings and fault rules match against.
    let route = parts.uri.path().to_owned();
    let journal = &behaviour.shared.journal;

    let mut record = journal.is_enabled().then(|| {
        Box::new(Recorded {
            id: 0,
            at,
            provider: face.name(),
            method: parts.method.clone(),
            path: parts.extensions.get::<OriginalUri>().map_or_else(|| route.clone(), |u| u.path().to_owned()),
            query: parts.uri.query().map(str::to_owned),
            status: 0,
            duration_ms: 0.0,
            request_headers: RawHeaders::copy(&parts.headers),
            request_body: None,
            response_headers: RawHeaders::default(),
            response_body: None,
            fault: None,
        })
    });

    let mut response = 'answer: {
        let body_limit = face.body_limit(behaviour.shared.body_limit);
        let bytes = match body::read(
            &parts.headers,
            body,
            body_limit,
            body::Pace {
                timeout: behaviour.shared.body_read_timeout,
                min_bytes_per_sec: behaviour.shared.body_min_bytes_per_sec,
            },
        )
        .await
        {
            Ok(bytes) => bytes,
            Err((error, close)) => {
                let mut response = face.common_error(error);
                if close {
                    let close = axum::http::HeaderValue::from_static("close");
                    response.headers_mut().insert(axum::http::header::CONNECTION, close);
                }
                break 'answer response;
            }
        };
        if let Some(record) = record.as_mut() {
            record.request_body = journal.capture(&bytes);
        }

        if let Some(fault) = behaviour.shared.faults.take(face.name(), parts.method.as_str(), &route) {
            if let Some(delay) = &fault.latency {
                tokio::time::sleep(delay.sample()).await;
            }
            if let Some(respond) = &fault.respond {
                if let Some(record) = record.as_mut() {
                    record.fault = Some(describe(respond));
                }
                break 'answer injected(face, respond, fault.body.as_ref());
            }
            if let Some(record) = record.as_mut() {
                record.fault = Some("latency".into());
            }
        }

        let tuning = behaviour.tuning.load_full();
        if let Some(delay) = tuning.latency_for(&route) {
            tokio::time::sleep(delay.sample()).await;
        }

        if tuning.throttle.is_active() {
            let credential = face.credential(&parts.headers).unwrap_or_else(|| {
                parts
                    .extensions
                    .get::<ConnectInfo<SocketAddr>>()
                    .map_or_else(|| "anonymous".into(), |c| format!("ip:{}", c.0.ip()))
            });
            if let Err(wait) = tuning.throttle.check(&route, &credential) {
                let retry_after_secs = throttle::retry_after_secs(wait);
                let mut response = face.common_error(CommonError::Throttled { retry_after_secs });
                response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
                break 'answer response;
            }
        }

        let response = next.run(Request::from_parts(parts, Body::from(bytes))).await;
        // An acknowledged change must survive a kill: saved before the answer goes out.
        if let Some(store) = behaviour.shared.durable.get() {
            if let Err(error) = store.save_changes_async().await {
                tracing::error!(%error, "a change is not saved");
                break 'answer face.common_error(CommonError::StateNotSaved);
            }
        }
        response
    };

    match record {
        Some(record) => match deferred::take(&mut response) {
            // A held request keeps only its own wait and this entry, not this middleware's state.
            Some(pending) => {
                let behaviour = behaviour.clone();
                // A combinator, and the recording boxed, so what is held while waiting is the wait
                // and a few words, not room for the answer and the recording's state.
                deferred::defer(pending.then(move |response| {
                    Box::pin(async move { finish_record(&behaviour.shared.journal, *record, response, arrived).await })
                }))
            }
            None => finish_record(journal, *record, response, arrived).await,
        },
        None => response,
    }
}

/// Fills in the response side of a journal entry and records it; the body is buffered to read
/// it, then sent on unchanged.
async fn finish_record(journal: &Journal, mut record: Recorded, response: Response, arrived: Instant) -> Response {
    record.status = response.status().as_u16();
    record.duration_ms = arrived.elapsed().as_secs_f64() * 1000.0;
    record.response_headers = RawHeaders::copy(response.headers());
    if record.fault.as_deref() == Some("reset") {
        // The body is the error that breaks the connection: pass it through untouched.
        record.status = 0;
        journal.record(record);
        return response;
    }
    let (parts, body) = response.into_parts();
    match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => {
            record.response_body = journal.capture(&bytes);
            journal.record(record);
            Response::from_parts(parts, Body::from(bytes))
        }
        Err(err) => {
            record.response_body = Some(CapturedBody::Text(format!("[response body failed: {err}]")));
            journal.record(record);
            Response::from_parts(parts, broken_body())
        }
    }
}

fn describe(respond: &FaultResponse) -> String {
    match respond {
        FaultResponse::Status(status) => format!("status {status}"),
        FaultResponse::Reset => "reset".into(),
        FaultResponse::MalformedBody => "malformed_body".into(),
    }
}

fn injected(face: &dyn ProviderFace, respond: &FaultResponse, body: Option<&serde_json::Value>) -> Response {
    match respond {
        FaultResponse::Status(code) => {
            let status = StatusCode::from_u16(*code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let mut response = match body {
                Some(body) => (status, axum::Json(body.clone())).into_response(),
                None => face.common_error(CommonError::Injected { status }),
            };
            // An injected 429 looks like the twin's own throttling: it says when to come back.
            if status == StatusCode::TOO_MANY_REQUESTS && !response.headers().contains_key(header::RETRY_AFTER) {
                response.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from_static("1"));
            }
            response
        }
        FaultResponse::Reset => {
            // Headers go out, then the body fails: hyper aborts the connection, and the client
            // sees the exchange cut short, as with a peer reset.
            (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], broken_body()).into_response()
        }
        FaultResponse::MalformedBody => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            "{\"status\": \"processed\", \"reference_number\": \"r3433",
        )
            .into_response(),
    }
}

/// A body whose first read fails, which makes hyper abort the connection.
fn broken_body() -> Body {
    let error = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "connection reset by an injected fault");
    Body::from_stream(futures_util::stream::once(async move { Err::<Bytes, std::io::Error>(error) }))
}
