//! The emulated providers: one folder each, always with the same files (see `kasisto/`).
//!
//! [`mount_all`] builds every enabled provider, wraps its router in the shared behaviour
//! (body limit, faults, latency, throttle, journal) and returns it with its admin controls.

pub mod kasisto;
pub mod particeep;
pub mod pti;
pub mod taler;

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::Router;

use crate::behaviour::{Behaviour, Shared};
use crate::config::Config;

/// What the admin API needs of every twin.
pub trait Twin: Send + Sync {
    /// The provider's name (`kasisto`, ...), as in `/__admin/state/{name}`.
    fn name(&self) -> &'static str;
    /// The whole state as JSON, secrets redacted by the caller.
    fn snapshot(&self) -> serde_json::Value;
    /// Back to the seeded state.
    fn reset(&self);
    /// Its plain data, for the `--state-dir` store.
    fn state(&self) -> &dyn crate::durable::Durable;
    /// Restarts the timers of work in progress (asynchronous results, automatic decisions) after
    /// the state was read back from `--state-dir`.
    fn resume(self: Arc<Self>) {}
}

/// A twin's data as a part of the `--state-dir` store.
pub struct TwinState(pub Arc<dyn Twin>);

impl crate::durable::Durable for TwinState {
    fn generation(&self) -> u64 {
        self.0.state().generation()
    }

    fn encode(&self) -> Result<(u64, Vec<u8>), String> {
        self.0.state().encode()
    }

    fn restore(&self, bytes: &[u8]) -> Result<(), String> {
        self.0.state().restore(bytes)
    }
}

/// One provider, ready to serve.
pub struct Mounted {
    /// Its state, for the admin API.
    pub twin: Arc<dyn Twin>,
    /// Where it is mounted on the main port (`/kasisto`).
    pub mount: &'static str,
    /// Its API, already wrapped in the shared behaviour.
    pub api: Router,
    /// Its controls under `/__admin/{name}`.
    pub admin: Router,
    /// A port of its own, if configured.
    pub own_port: Option<u16>,
}

/// Builds every enabled provider.
pub fn mount_all(config: &Config, shared: &Arc<Shared>) -> Vec<Mounted> {
    let mut mounted = Vec::new();
    let section = &config.providers.kasisto;
    if section.enabled {
        let twin = Arc::new(kasisto::Kasisto::new(section.clone(), config.seed, shared.clone()));
        let behaviour = Arc::new(Behaviour::new(twin.clone(), &section.throttle, &section.latency, shared.clone()));
        // The shared pipeline enforces the configured body limit; axum's own default must not
        // cut in below it.
        let api = behaviour.wrap(kasisto::router::api(twin.clone()).layer(DefaultBodyLimit::disable()));
        mounted.push(Mounted {
            twin: twin.clone(),
            mount: "/kasisto",
            api,
            admin: kasisto::router::admin(twin),
            own_port: section.port,
        });
    }
    let section = &config.providers.pti;
    if section.enabled {
        match pti::Pti::new(section.clone(), shared.clone()) {
            Ok(twin) => {
                let twin = Arc::new(twin);
                let behaviour =
                    Arc::new(Behaviour::new(twin.clone(), &section.throttle, &section.latency, shared.clone()));
                let api = behaviour.wrap(pti::router::api(twin.clone()).layer(DefaultBodyLimit::disable()));
                mounted.push(Mounted {
                    twin: twin.clone(),
                    mount: "/pti/v0",
                    api,
                    admin: pti::router::admin(twin),
                    own_port: section.port,
                });
            }
            // The keys are compiled in; this cannot fail short of a corrupt build.
            Err(message) => tracing::error!("the PTI twin is disabled: {message}"),
        }
    }
    let section = &config.providers.taler;
    if section.enabled {
        let twin = Arc::new(taler::Taler::new(section.clone()));
        let behaviour = Arc::new(Behaviour::new(twin.clone(), &section.throttle, &section.latency, shared.clone()));
        let api = behaviour.wrap(taler::router::api(twin.clone()).layer(DefaultBodyLimit::disable()));
        mounted.push(Mounted {
            twin: twin.clone(),
            mount: "/taler",
            api,
            admin: taler::router::admin(twin),
            own_port: section.port,
        });
    }
    let section = &config.providers.particeep;
    if section.enabled {
        let twin = Arc::new(particeep::Particeep::new(section.clone(), shared.clone()));
        let behaviour = Arc::new(Behaviour::new(twin.clone(), &section.throttle, &section.latency, shared.clone()));
        let api = behaviour.wrap(particeep::router::api(twin.clone()).layer(DefaultBodyLimit::disable()));
        mounted.push(Mounted {
            twin: twin.clone(),
            mount: "/particeep",
            api,
            admin: particeep::router::admin(twin),
            own_port: section.port,
        });
    }
    mounted
}
