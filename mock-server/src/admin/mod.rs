//! The admin API under `/__admin`: health, reset, the journal, state, faults, the clock, and each
//! provider's own controls under `/__admin/{provider}`.
//!
//! [`ui`] is the dashboard at `/__admin/ui`, a page over these same routes.
//!
//! It answers only to loopback clients unless `admin.token` is configured; then any client that
//! sends `Authorization: Bearer <token>`.
//!
//! Over 400 lines: the guard that protects every admin route and the shared routes' handlers, one API.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, OriginalUri, Path, Query, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use crate::behaviour::faults::FaultRule;
use crate::behaviour::journal::{redact_json, JournalFilter};
use crate::behaviour::Shared;
use crate::extract::json_body;
use crate::provider::{Mounted, Twin};
use crate::respond::AdminError;

pub mod ui;

/// What the admin handlers share.
pub struct AdminState {
    shared: Arc<Shared>,
    twins: Vec<(Arc<dyn Twin>, &'static str, Option<u16>)>,
    started: Instant,
    token: Option<String>,
    // Names (lowercase, no port) a `Host` may carry besides loopback ones.
    allowed_hosts: Vec<String>,
}

/// Builds `/__admin` for the mounted providers.
pub fn router(
    shared: Arc<Shared>,
    mounted: &[Mounted],
    admin: &crate::config::AdminConfig,
    bind: SocketAddr,
) -> Router {
    let mut allowed_hosts: Vec<String> = admin.allowed_hosts.iter().map(|h| h.trim().to_ascii_lowercase()).collect();
    // The address it is bound to, when that is one address (not 0.0.0.0 or [::]).
    if !bind.ip().is_unspecified() {
        allowed_hosts.push(bind.ip().to_string());
    }
    let state = Arc::new(AdminState {
        shared,
        twins: mounted.iter().map(|m| (m.twin.clone(), m.mount, m.own_port)).collect(),
        started: Instant::now(),
        token: admin.token.clone(),
        allowed_hosts,
    });
    let mut router = Router::new()
        .route("/health", get(health))
        .route("/reset", post(reset))
        .route("/requests", get(requests).delete(clear_requests))
        .route("/state/{provider}", get(state_of))
        .route("/openapi/{file}", get(openapi_of))
        .route("/faults", get(list_faults).put(replace_faults).post(add_fault).delete(clear_faults))
        .route("/faults/{id}", delete(remove_fault))
        .route("/clock", get(clock).post(advance_clock))
        .route("/webhooks", get(webhooks).delete(clear_webhooks))
        .route("/webhooks/{id}/redeliver", post(redeliver))
        .with_state(state.clone())
        .merge(ui::router());
    for provider in mounted {
        router = router.nest(&format!("/{}", provider.twin.name()), provider.admin.clone());
    }
    router
        .fallback(|uri: OriginalUri| async move {
            AdminError(StatusCode::NOT_FOUND, format!("no admin route at {}", uri.path()))
        })
        .layer(axum::middleware::from_fn_with_state(state, guard))
}

/// Lets a request through when it comes from loopback (no token configured) or carries the token.
async fn guard(State(state): State<Arc<AdminState>>, request: Request, next: Next) -> Response {
    // With a token, a browser cannot send it to load the dashboard: the page, its stylesheet and
    // script (no data in them) load without it, and the page asks for the token for its calls.
    // The OpenAPI documents hold no data either: a tool importing one needs no token.
    let dashboard_shell = state.token.is_some()
        && request.method() == axum::http::Method::GET
        && (ui::is_shell(request.uri().path()) || request.uri().path().starts_with("/openapi/"));
    let allowed = dashboard_shell
        || match &state.token {
            Some(token) => request
                .headers()
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .is_some_and(|sent| crate::secret::constant_time_eq(sent, token)),
            // No ConnectInfo means the router is driven in-process (tests with `oneshot`). An
            // IPv4 client of a `[::]` listener arrives as `::ffff:127.0.0.1`: loopback too.
            None => request
                .extensions()
                .get::<ConnectInfo<SocketAddr>>()
                .is_none_or(|c| c.0.ip().to_canonical().is_loopback()),
        };
    // Trusting loopback is trusting every web page the user's browser opens: a page may send
    // requests to 127.0.0.1 (a form, a `no-cors` fetch) or rebind its own name to it. Without a
    // token, a request must name a loopback host, and a state change must come from no other
    // site and carry JSON (a form or `text/plain` body is what a cross-site page can send).
    if allowed && state.token.is_none() {
        if let Err(problem) = same_site_only(&request, &state.allowed_hosts) {
            return AdminError(StatusCode::FORBIDDEN, problem).into_response();
        }
    }
    if allowed {
        let response = next.run(request).await;
        // A control's change (a decided outcome, a reset) is saved before it is acknowledged.
        match state.shared.durable.get().cloned() {
            Some(store) => match store.save_changes_async().await {
                Ok(()) => response,
                Err(error) => AdminError(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    format!("the change is made in memory but not saved: {error}"),
                )
                .into_response(),
            },
            None => response,
        }
    } else if state.token.is_some() && request.method() == axum::http::Method::GET && request.uri().path() == "/health"
    {
        // A container's or orchestrator's health check knows no token: it learns that the twin
        // is up, and nothing else (the details are the admin's).
        Json(json!({ "status": "ok" })).into_response()
    } else {
        let message = if state.token.is_some() {
            "the admin API needs `Authorization: Bearer <admin token>`"
        } else {
            "the admin API answers only on loopback unless admin.token is configured"
        };
        AdminError(StatusCode::FORBIDDEN, message.into()).into_response()
    }
}

/// The checks that keep web pages out of a loopback-trusted admin API: a loopback `Host` (not a
/// name a page rebound to 127.0.0.1), and for a state change no cross-site `Origin` or
/// `Sec-Fetch-Site`, and a JSON body if any.
fn same_site_only(request: &Request, allowed_hosts: &[String]) -> Result<(), String> {
    let headers = request.headers();
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    if let Some(host) = text("host") {
        if !loopback_host(&host) && !allowed_hosts.contains(&host_name(&host)) {
            return Err(format!(
                "the admin API answers to loopback names only, not `Host: {host}` (a page can rebind its name to 127.0.0.1); list the name in admin.allowed_hosts, or set admin.token to reach it by any name"
            ));
        }
    }
    let changes =
        !matches!(*request.method(), axum::http::Method::GET | axum::http::Method::HEAD | axum::http::Method::OPTIONS);
    if !changes {
        return Ok(());
    }
    if text("sec-fetch-site").is_some_and(|site| site == "cross-site" || site == "same-site") {
        return Err("a state change from another site is refused (Sec-Fetch-Site)".into());
    }
    if let Some(origin) = text("origin") {
        let origin_host = origin.split("://").nth(1).unwrap_or(&origin);
        let same = text("host").is_some_and(|host| host.eq_ignore_ascii_case(origin_host));
        if origin != "null" && !same {
            return Err(format!("a state change from the page at `{origin}` is refused (another origin)"));
        }
        if origin == "null" {
            return Err("a state change from an opaque origin is refused".into());
        }
    }
    if let Some(content_type) = text("content-type") {
        let media = content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        if media != "application/json" {
            return Err(format!("admin changes take `application/json`, not `{media}`"));
        }
    }
    Ok(())
}

/// A `Host` header's name, lowercase, without its port (and without brackets for IPv6).
fn host_name(host: &str) -> String {
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or_default(),
        None => host
            .rsplit_once(':')
            .filter(|(_, port)| port.chars().all(|c| c.is_ascii_digit()))
            .map_or(host, |(name, _)| name),
    };
    name.to_ascii_lowercase()
}

/// Whether a `Host` header names this machine: `localhost` (and `*.localhost`), or a loopback
/// address, with any port.
fn loopback_host(host: &str) -> bool {
    let name = host_name(host);
    name == "localhost"
        || name.ends_with(".localhost")
        || name.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.to_canonical().is_loopback())
}

async fn health(State(state): State<Arc<AdminState>>) -> Json<serde_json::Value> {
    let providers: Vec<_> = state
        .twins
        .iter()
        .map(|(twin, mount, port)| json!({ "name": twin.name(), "mount": mount, "port": port }))
        .collect();
    Json(json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "uptime_secs": state.started.elapsed().as_secs(),
        "providers": providers,
        "config": state.shared.lock_config_status().clone(),
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ResetQuery {
    provider: Option<String>,
}

async fn reset(
    State(state): State<Arc<AdminState>>,
    query: Result<Query<ResetQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let only = match query {
        Ok(Query(q)) => q.provider,
        Err(err) => return AdminError(StatusCode::BAD_REQUEST, err.body_text()).into_response(),
    };
    let mut reset = Vec::new();
    for (twin, _, _) in &state.twins {
        if only.as_deref().is_none_or(|name| name == twin.name()) {
            twin.reset();
            reset.push(twin.name());
        }
    }
    if let Some(name) = only.as_deref().filter(|_| reset.is_empty()) {
        return AdminError(StatusCode::NOT_FOUND, format!("no provider named {name}")).into_response();
    }
    if only.is_none() {
        let configured =
            state.shared.configured_faults.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
        state.shared.faults.restore_configured(&configured);
        state.shared.clock.reset();
    }
    Json(json!({ "reset": reset })).into_response()
}

async fn requests(
    State(state): State<Arc<AdminState>>,
    filter: Result<Query<JournalFilter>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Query(filter) = match filter {
        Ok(filter) => filter,
        Err(err) => return AdminError(StatusCode::BAD_REQUEST, err.body_text()).into_response(),
    };
    let (total, entries) = state.shared.journal.query(&filter);
    Json(json!({ "enabled": state.shared.journal.is_enabled(), "total": total, "entries": entries })).into_response()
}

async fn clear_requests(State(state): State<Arc<AdminState>>) -> StatusCode {
    state.shared.journal.clear();
    StatusCode::NO_CONTENT
}

async fn state_of(State(state): State<Arc<AdminState>>, Path(provider): Path<String>) -> Response {
    match state.twins.iter().find(|(twin, _, _)| twin.name() == provider) {
        Some((twin, _, _)) => {
            let mut snapshot = twin.snapshot();
            redact_json(&mut snapshot);
            Json(snapshot).into_response()
        }
        None => AdminError(StatusCode::NOT_FOUND, format!("no provider named {provider}")).into_response(),
    }
}

/// `/__admin/openapi/{name}.json`: the OpenAPI document of a mounted provider or of one of its
/// faces (`pti-v1`), as `mock-server openapi` writes it.
async fn openapi_of(State(state): State<Arc<AdminState>>, Path(file): Path<String>) -> Response {
    let name = file.strip_suffix(".json").unwrap_or(&file);
    let mounted = |family: &str| state.twins.iter().any(|(twin, _, _)| twin.name() == family);
    match crate::providers::find_target(name).filter(|target| mounted(target.family)) {
        Some(target) => Json(crate::openapi::document(target)).into_response(),
        None => AdminError(
            StatusCode::NOT_FOUND,
            format!("no OpenAPI document named {file}: the mounted twins' are at /__admin/openapi/<name>.json"),
        )
        .into_response(),
    }
}

async fn list_faults(State(state): State<Arc<AdminState>>) -> Response {
    Json(state.shared.faults.list()).into_response()
}

fn validated(rules: Vec<FaultRule>) -> Result<Vec<FaultRule>, AdminError> {
    for (index, rule) in rules.iter().enumerate() {
        rule.validate()
            .map_err(|message| AdminError(StatusCode::BAD_REQUEST, format!("fault [{index}]: {message}")))?;
    }
    Ok(rules)
}

async fn replace_faults(State(state): State<Arc<AdminState>>, body: Bytes) -> Response {
    // One rule or a list of rules: both read naturally in a scenario.
    let is_list = body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[');
    let rules = if is_list {
        json_body::<Vec<FaultRule>, AdminError>(&body)
    } else {
        json_body::<FaultRule, AdminError>(&body).map(|rule| vec![rule])
    };
    match rules.and_then(validated) {
        Ok(rules) => Json(state.shared.faults.replace(rules)).into_response(),
        Err(err) => err.into_response(),
    }
}

async fn add_fault(State(state): State<Arc<AdminState>>, body: Bytes) -> Response {
    match json_body::<FaultRule, AdminError>(&body).and_then(|rule| validated(vec![rule])) {
        Ok(mut rules) => match rules.pop() {
            Some(rule) => (StatusCode::CREATED, Json(state.shared.faults.add(rule))).into_response(),
            None => AdminError(StatusCode::BAD_REQUEST, "no rule".into()).into_response(),
        },
        Err(err) => err.into_response(),
    }
}

async fn clear_faults(State(state): State<Arc<AdminState>>) -> StatusCode {
    state.shared.faults.replace(Vec::new());
    StatusCode::NO_CONTENT
}

async fn remove_fault(State(state): State<Arc<AdminState>>, Path(id): Path<String>) -> Response {
    match id.parse::<u64>() {
        Ok(id) if state.shared.faults.remove(id) => StatusCode::NO_CONTENT.into_response(),
        _ => AdminError(StatusCode::NOT_FOUND, format!("no fault with id {id}")).into_response(),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WebhookQuery {
    provider: Option<String>,
}

async fn webhooks(
    State(state): State<Arc<AdminState>>,
    query: Result<Query<WebhookQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    match query {
        Ok(Query(query)) => {
            Json(json!({ "deliveries": state.shared.webhooks.deliveries(query.provider.as_deref()) })).into_response()
        }
        Err(err) => AdminError(StatusCode::BAD_REQUEST, err.body_text()).into_response(),
    }
}

/// `POST /__admin/webhooks/{id}/redeliver`: the same message again, as a new delivery.
async fn redeliver(State(state): State<Arc<AdminState>>, Path(id): Path<String>) -> Response {
    use crate::webhooks::RedeliverError;
    let Ok(id) = id.parse::<u64>() else {
        return AdminError(StatusCode::NOT_FOUND, format!("no delivery {id} in the log")).into_response();
    };
    match state.shared.webhooks.redeliver(id) {
        Ok(new) => (StatusCode::ACCEPTED, Json(json!({ "id": new, "redelivery_of": id }))).into_response(),
        Err(error @ RedeliverError::Unknown(_)) => AdminError(StatusCode::NOT_FOUND, error.to_string()).into_response(),
        Err(error @ RedeliverError::NeverSent(_)) => {
            AdminError(StatusCode::CONFLICT, error.to_string()).into_response()
        }
    }
}

async fn clear_webhooks(State(state): State<Arc<AdminState>>) -> StatusCode {
    state.shared.webhooks.clear_log();
    StatusCode::NO_CONTENT
}

fn clock_view(shared: &Shared) -> Json<serde_json::Value> {
    Json(json!({ "now": shared.clock.now().to_rfc3339(), "offset_ms": shared.clock.offset().num_milliseconds() }))
}

async fn clock(State(state): State<Arc<AdminState>>) -> Json<serde_json::Value> {
    clock_view(&state.shared)
}

async fn advance_clock(State(state): State<Arc<AdminState>>, body: Bytes) -> Response {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Advance {
        advance_secs: Option<f64>,
        advance_ms: Option<i64>,
    }
    let advance = match json_body::<Advance, AdminError>(&body) {
        Ok(advance) => advance,
        Err(err) => return err.into_response(),
    };
    let ms = match (advance.advance_secs, advance.advance_ms) {
        (Some(secs), None) if secs.is_finite() && secs.abs() < 1e12 => (secs * 1000.0).round() as i64,
        (None, Some(ms)) => ms,
        _ => {
            return AdminError(
                StatusCode::BAD_REQUEST,
                "send exactly one of advance_secs (number) or advance_ms (integer)".into(),
            )
            .into_response()
        }
    };
    let field = if advance.advance_ms.is_some() { "advance_ms" } else { "advance_secs" };
    if let Err(problem) = state.shared.clock.advance_ms(ms) {
        return AdminError(StatusCode::BAD_REQUEST, format!("{field}: {problem}")).into_response();
    }
    clock_view(&state.shared).into_response()
}
