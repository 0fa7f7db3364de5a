//! fintwin's mock server: stateful twins of third-party APIs on one port, with shared behaviour
//! (throttling, latency, faults, a journal) and an admin API.
//!
//! Layout:
//! - [`config`]: the typed YAML configuration and its demo default.
//! - [`behaviour`]: the middleware every provider goes through (body limit, faults, latency,
//!   throttle, journal).
//! - [`provider`]: the contract a provider implements, and the table entry everything loops over.
//! - [`providers`]: one folder per emulated API (`kasisto/` ...), always the same files, and
//!   `providers::ALL`, the table.
//! - [`admin`]: `/__admin` routes.
//! - [`server`]: binding, serving, graceful shutdown; [`spawn`] for tests and embedding.
//! - [`schemas`]: the JSON Schema contract generated from the provider models.
//! - [`openapi`]: the OpenAPI 3.1 document of each twin, from its route table and the same models.
//! - [`respond`]: the providers' JSON responses.
//! - [`durable`]: `--state-dir`, the twins' state and pending webhooks kept across restarts.
//! - [`reload`]: `--watch`, a changed config put in force without a restart or lost state.
//!
//! [`app`] builds the main router without binding anything, for `oneshot` tests.

// The library crates document every public item, and export nothing by accident.
#![warn(missing_docs, unreachable_pub)]

pub mod admin;
pub mod behaviour;
pub mod clock;
pub mod config;
pub mod durable;
pub mod extract;
pub mod lifecycle;
pub mod openapi;
pub mod operation;
pub mod provider;
pub mod providers;
pub mod reload;
pub mod respond;
pub mod schemas;
pub mod secret;
pub mod server;
pub mod webhooks;

use std::sync::Arc;

use axum::body::Body;
use axum::extract::OriginalUri;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::{Json, Router};

use behaviour::faults::FaultRegistry;
use behaviour::journal::Journal;
use behaviour::Shared;
pub use config::Config;
pub use server::{serve, spawn, Running};

/// Everything a config builds: the main router and the providers that want a port of their own.
pub struct App {
    /// Every provider under its mount, plus `/__admin`.
    pub main: Router,
    /// `(provider, port, router)` for providers configured with their own port.
    pub own_ports: Vec<(&'static str, u16, Router)>,
    /// State shared by the providers and the admin API.
    pub shared: Arc<Shared>,
    /// The twins, for the state store.
    pub twins: Vec<Arc<dyn provider::Twin>>,
    /// Puts a changed config in force over these twins (`--watch`, [`Running::reload`]).
    pub reloader: Arc<reload::Reloader>,
}

/// Builds every router of a config.
pub fn build(config: &Config) -> App {
    let shared = Arc::new(Shared {
        journal: Journal::new(config.journal.enabled, config.journal.capacity, config.journal.body_capture_bytes)
            .with_max_bytes(config.journal.max_bytes),
        faults: FaultRegistry::new(&config.faults),
        clock: clock::Clock::default(),
        body_limit: config.body_limit_bytes,
        body_read_timeout: std::time::Duration::from_millis(config.body_read_timeout_ms),
        body_min_bytes_per_sec: config.body_min_bytes_per_sec,
        configured_faults: std::sync::Mutex::new(config.faults.clone()),
        webhooks: Arc::new(webhooks::WebhookQueue::new(config.webhooks.clone())),
        durable: std::sync::OnceLock::new(),
        config_status: std::sync::Mutex::default(),
    });
    let mounted = providers::mount_all(config, &shared);
    let mounts: Vec<&'static str> =
        mounted.iter().flat_map(|m| std::iter::once(m.mount).chain(m.faces.iter().map(|(f, _)| f.mount))).collect();
    let mut main = Router::new();
    let mut own_ports = Vec::new();
    for provider in &mounted {
        main = main.nest(provider.mount, provider.api.clone());
        // axum's nesting does not cover the mount with a trailing slash (`/kasisto/`): routed to
        // the provider too, so it answers in the provider's own shape.
        main = main.route_service(&format!("{}/", provider.mount), provider.api.clone().into_service::<Body>());
        let mut own = provider.api.clone();
        for (face, api) in &provider.faces {
            main = main.nest(face.mount, api.clone());
            main = main.route_service(&format!("{}/", face.mount), api.clone().into_service::<Body>());
            own = own.nest(face.own_port_path, api.clone());
        }
        if let Some(port) = provider.own_port {
            own_ports.push((provider.twin.name(), port, own));
        }
    }
    let main = main.nest("/__admin", admin::router(shared.clone(), &mounted, &config.admin, config.bind)).fallback(
        move |uri: OriginalUri| async move {
            let message = format!(
                "no route at {}; providers are mounted at {}, the admin API at /__admin",
                uri.path(),
                mounts.join(", ")
            );
            (StatusCode::NOT_FOUND, Json(serde_json::json!({ "error": message }))).into_response()
        },
    );
    let reloader = Arc::new(reload::Reloader::new(config, shared.clone(), &mounted));
    let twins = mounted.into_iter().map(|m| m.twin).collect();
    App { main, own_ports, shared, twins, reloader }
}

/// [`build`], then, with `state_dir` set, the state saved there read back (and every later change
/// saved there before its answer goes out).
pub fn open(config: &Config) -> Result<App, durable::DurableError> {
    let app = build(config);
    if let Some(dir) = &config.state_dir {
        let mut store = durable::DurableStore::open(dir)?;
        for twin in &app.twins {
            store.attach(twin.name(), Arc::new(provider::TwinState(twin.clone())))?;
        }
        store.attach("webhooks", app.shared.webhooks.clone())?;
        let _ = app.shared.durable.set(Arc::new(store));
    }
    Ok(app)
}

/// The main router of a config (every provider and `/__admin`), for in-process tests.
pub fn app(config: &Config) -> Router {
    // `serve` awaits deferred answers (held long-polls) outside the router; a router driven
    // in-process awaits them in this outermost layer instead.
    build(config).main.layer(axum::middleware::map_response(behaviour::deferred::resolve))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::Request;
    use tower::ServiceExt;

    #[test]
    fn every_twin_reads_back_the_state_it_saved() -> Result<(), String> {
        let saved = build(&Config::default());
        // Another seed: the Kasisto customers differ, so reading back must replace them.
        let restored = build(&Config { seed: 7, ..Config::default() });
        for (from, into) in saved.twins.iter().zip(&restored.twins) {
            let (_, bytes) = from.state().encode()?;
            into.state().restore(&bytes)?;
            assert_eq!(from.snapshot(), into.snapshot(), "{}", from.name());
        }
        assert_eq!(saved.twins.len(), providers::ALL.len());
        Ok(())
    }

    #[tokio::test]
    async fn a_router_driven_in_process_answers_a_long_poll_with_its_real_answer() -> Result<(), axum::http::Error> {
        let request = Request::get("/taler/private/kyc?timeout_ms=50&lp_status=ready")
            .header("authorization", "Bearer secret-token:demo")
            .body(Body::empty())?;
        let started = std::time::Instant::now();
        let Ok(response) = app(&Config::default()).oneshot(request).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert!(response.headers().contains_key("etag"), "the real answer, not the placeholder");
        assert!(started.elapsed() >= std::time::Duration::from_millis(50), "held for its timeout");
        Ok(())
    }
}
