//! The contract every emulated provider implements ([`Provider`]), and the entry of the provider
//! table ([`Registered`]) that the rest of the server loops over: mounting with the shared
//! behaviour, config validation, schema generation, the `--state-dir` parts, and what the
//! conformance runner needs (the mount, the demo variables, how a client authenticates).
//!
//! This module names no provider: each provider's folder implements [`Provider`] once, and
//! `providers::ALL` lists them. Adding a provider is its folder, its line in that table and its
//! field in `config::ProvidersConfig` (README, "Adding a provider").
//!
//! Over 400 lines: the provider contract, its table entry and the glue that mounts and validates it, one job.

pub use crate::lifecycle::Lifecycle;
pub use crate::openapi::ApiDoc;
pub use crate::operation::Operation;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Router;
use schemars::{Schema, SchemaGenerator};
use serde_json::Value;

use crate::behaviour::{Behaviour, CommonError, HttpSection, ProviderFace, Shared};
use crate::config::{Config, ProvidersConfig};
use crate::durable::Durable;

/// What the shared parts of the server need of one emulated provider. Implemented once per
/// provider, on its twin (the type that owns its state).
pub trait Provider: Sized + Send + Sync + 'static {
    /// Its name (`kasisto`): in scenarios, `--target NAME=URL`, the journal, fault rules,
    /// `/__admin/{name}` and `schemas/{name}/`.
    const NAME: &'static str;
    /// Where it is mounted on the main port (`/kasisto`): a client's base URL there.
    const MOUNT: &'static str;
    /// What a scenario's `provider: NAME` targets (documented in the scenario schema).
    const SCENARIO_DOC: &'static str;
    /// What a step's `auth: NAME` adds (documented in the scenario schema).
    const AUTH_DOC: &'static str;
    /// Every operation its API routes (its router's table).
    const OPERATIONS: &'static [Operation];
    /// Its API's state machines (what coverage counts transitions of).
    const LIFECYCLES: &'static [Lifecycle];
    /// How its OpenAPI document describes it (credentials, error bodies, headers), beside
    /// [`Provider::OPERATIONS`].
    const API_DOC: &'static ApiDoc;

    /// Its section of the config file.
    type Section: HttpSection + Send + Sync + 'static;

    /// Its section in `providers:`.
    fn section(providers: &ProvidersConfig) -> &Self::Section;
    /// Checks what types alone cannot in its own keys; errors name the key inside the section.
    fn validate(section: &Self::Section) -> Result<(), (String, String)>;
    /// The twin, seeded from its section.
    fn build(section: &Self::Section, context: &BuildContext) -> Result<Self, String>;
    /// The route table of its API, as mounted at [`Provider::MOUNT`] or at `/` on its own port.
    fn api(twin: Arc<Self>) -> Router;
    /// Its controls under `/__admin/{name}`.
    fn admin(twin: Arc<Self>) -> Router;
    /// Its contract: `(file name without .json, schema)` for `schemas/{name}/`.
    fn schemas(generator: &mut SchemaGenerator) -> Vec<(&'static str, Schema)>;

    /// The credential that identifies the caller, the throttle key.
    fn credential(&self, headers: &HeaderMap) -> Option<String>;
    /// A shared error (429, 413, an injected status...) in the provider's own shape.
    fn common_error(&self, error: CommonError) -> Response;
    /// The largest request body it reads, given the configured one.
    fn body_limit(&self, configured: usize) -> usize {
        configured
    }

    /// Its plain data, for the `--state-dir` store.
    fn durable(&self) -> &dyn Durable;
    /// The whole state as JSON, for `/__admin/state/{name}`.
    fn snapshot(&self) -> Value;
    /// Back to the seeded state.
    fn reset(&self);
    /// Puts a reloaded section in force (`--watch`) without losing state: what each provider
    /// applies at once and what stays as state is said on its store's `reconfigure`.
    fn reconfigure(&self, section: &Self::Section);
    /// The keys of its section that only seed state (customers, instances): a reload keeps the
    /// state, and they apply at the next `/__admin/reset`; the reload says so.
    const SEED_KEYS: &'static [&'static str] = &[];
    /// Restarts the timers of work in progress after the state was read back from `--state-dir`.
    fn resume(self: Arc<Self>) {}

    /// Further APIs of the same twin and state, each at a mount of its own (PTI's v1 beside v0).
    const FACES: &'static [Face] = &[];
    /// The route table of face `face`, and what renders the shared errors (429, 413...) in that
    /// API's own shape; `None` for a face this provider does not have.
    fn face(twin: Arc<Self>, face: &'static Face) -> Option<(Router, Arc<dyn ProviderFace>)> {
        let _ = (twin, face);
        None
    }

    /// Variables every scenario of this provider starts with: the twin's demo credentials.
    fn demo_vars() -> Vec<(&'static str, Value)>;
    /// Adds the headers a client of this provider authenticates with (`auth: NAME` in a step).
    fn authenticate(request: &mut ClientRequest<'_>) -> Result<(), String>;
}

/// Another API of a twin (another version): its own name for scenarios and `--target`, its mount.
#[derive(Debug)]
pub struct Face {
    /// Its name in scenarios and `--target NAME=URL` (`pti-v1`).
    pub name: &'static str,
    /// Where it is mounted on the main port (`/pti/v1`).
    pub mount: &'static str,
    /// Where it is on the provider's own port (`/v1`; the first API is at `/` there).
    pub own_port_path: &'static str,
    /// What a scenario's `provider: NAME` targets.
    pub scenario_doc: &'static str,
    /// Every operation it routes (its router's table).
    pub operations: &'static [Operation],
    /// Its state machines.
    pub lifecycles: &'static [Lifecycle],
    /// How its OpenAPI document describes it.
    pub api_doc: &'static ApiDoc,
}

/// What building a twin may use besides its own section.
pub struct BuildContext {
    /// The config's seed for generated demo data.
    pub seed: u64,
    /// State shared by every provider (clock, journal, webhooks).
    pub shared: Arc<Shared>,
}

/// A request a client is about to send, for [`Provider::authenticate`].
pub struct ClientRequest<'a> {
    /// The method.
    pub method: &'a str,
    /// The URL's path (the mount included), without the query.
    pub path: &'a str,
    /// The body as sent.
    pub body: &'a [u8],
    /// The headers so far (the step's own among them): auth adds to them and leaves a header the
    /// step gives alone.
    pub headers: &'a mut Vec<(String, String)>,
    /// The value of a variable (`secret`, `private_jwk`...).
    pub var: &'a dyn Fn(&str) -> Option<Value>,
}

impl ClientRequest<'_> {
    /// A header already there (any case).
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone())
    }

    /// Adds a header unless one of that name is there already.
    pub fn add_unless_given(&mut self, name: &str, value: String) {
        if self.header(name).is_none() {
            self.headers.push((name.to_owned(), value));
        }
    }

    /// A variable as text (a string as is, a number or boolean written out).
    pub fn text(&self, name: &str) -> Option<String> {
        match (self.var)(name)? {
            Value::String(text) => Some(text),
            other => Some(other.to_string()),
        }
    }

    /// A variable as text, or the error naming it.
    pub fn required(&self, name: &str, scheme: &str, what: &str) -> Result<String, String> {
        self.text(name).ok_or_else(|| format!("`auth: {scheme}` needs the variable `{name}`{what}"))
    }
}

/// What the admin API and the state store need of every mounted twin.
pub trait Twin: Send + Sync {
    /// The provider's name (`kasisto`, ...), as in `/__admin/state/{name}`.
    fn name(&self) -> &'static str;
    /// The whole state as JSON, secrets redacted by the caller.
    fn snapshot(&self) -> Value;
    /// Back to the seeded state.
    fn reset(&self);
    /// Its plain data, for the `--state-dir` store.
    fn state(&self) -> &dyn Durable;
    /// Restarts the timers of work in progress (asynchronous results, automatic decisions) after
    /// the state was read back from `--state-dir`.
    fn resume(self: Arc<Self>);
}

impl<P: Provider> Twin for P {
    fn name(&self) -> &'static str {
        P::NAME
    }

    fn snapshot(&self) -> Value {
        Provider::snapshot(self)
    }

    fn reset(&self) {
        Provider::reset(self);
    }

    fn state(&self) -> &dyn Durable {
        self.durable()
    }

    fn resume(self: Arc<Self>) {
        Provider::resume(self);
    }
}

impl<P: Provider> ProviderFace for P {
    fn name(&self) -> &'static str {
        P::NAME
    }

    fn credential(&self, headers: &HeaderMap) -> Option<String> {
        Provider::credential(self, headers)
    }

    fn common_error(&self, error: CommonError) -> Response {
        Provider::common_error(self, error)
    }

    fn body_limit(&self, configured: usize) -> usize {
        Provider::body_limit(self, configured)
    }
}

/// A twin's data as a part of the `--state-dir` store.
pub struct TwinState(pub Arc<dyn Twin>);

impl Durable for TwinState {
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
    /// Its further APIs ([`Provider::FACES`]), each wrapped in the shared behaviour.
    pub faces: Vec<(&'static Face, Router)>,
    /// Puts a reloaded config's section in force: the twin's settings and every pipeline's
    /// throttle and latency ([`crate::reload`]).
    pub reconfigure: Arc<dyn Fn(&Config) + Send + Sync>,
    /// [`Provider::SEED_KEYS`].
    pub seed_keys: &'static [&'static str],
}

/// What mounting a provider gives: `None` when its section disables it, the reason when it cannot
/// be built.
pub type MountOutcome = Option<Result<Mounted, String>>;

/// One provider in the table: its names and the [`Provider`] functions, as plain data.
#[derive(Clone, Copy)]
pub struct Registered {
    /// [`Provider::NAME`].
    pub name: &'static str,
    /// [`Provider::MOUNT`].
    pub mount: &'static str,
    /// [`Provider::SCENARIO_DOC`].
    pub scenario_doc: &'static str,
    /// [`Provider::AUTH_DOC`].
    pub auth_doc: &'static str,
    /// The provider this entry is part of: its own [`Provider::NAME`], or, for a face, the
    /// provider whose twin serves it.
    pub family: &'static str,
    /// Every operation its API routes.
    pub operations: &'static [Operation],
    /// Its API's state machines.
    pub lifecycles: &'static [Lifecycle],
    /// How its OpenAPI document describes it.
    pub api_doc: &'static ApiDoc,
    mount_fn: fn(&Config, &Arc<Shared>) -> MountOutcome,
    validate_fn: fn(&Config) -> Result<(), (String, String)>,
    schemas_fn: fn(&mut SchemaGenerator) -> Vec<(&'static str, Schema)>,
    demo_vars_fn: fn() -> Vec<(&'static str, Value)>,
    authenticate_fn: fn(&mut ClientRequest<'_>) -> Result<(), String>,
}

impl std::fmt::Debug for Registered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registered").field("name", &self.name).field("mount", &self.mount).finish_non_exhaustive()
    }
}

impl PartialEq for Registered {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for Registered {}

impl Registered {
    /// The entry of provider `P`.
    pub const fn of<P: Provider>() -> Self {
        Self {
            name: P::NAME,
            mount: P::MOUNT,
            scenario_doc: P::SCENARIO_DOC,
            auth_doc: P::AUTH_DOC,
            family: P::NAME,
            operations: P::OPERATIONS,
            lifecycles: P::LIFECYCLES,
            api_doc: P::API_DOC,
            mount_fn: mount::<P>,
            validate_fn: validate::<P>,
            schemas_fn: P::schemas,
            demo_vars_fn: P::demo_vars,
            authenticate_fn: P::authenticate,
        }
    }

    /// The entry of a face of provider `P`, for the conformance runner: its name and mount, and
    /// `P`'s demo variables and client auth. It mounts nothing, validates nothing and has no
    /// schemas of its own: `P`'s entry does all that, faces included.
    pub const fn face<P: Provider>(face: &'static Face) -> Self {
        Self {
            name: face.name,
            mount: face.mount,
            scenario_doc: face.scenario_doc,
            auth_doc: P::AUTH_DOC,
            family: P::NAME,
            operations: face.operations,
            lifecycles: face.lifecycles,
            api_doc: face.api_doc,
            mount_fn: |_, _| None,
            validate_fn: |_| Ok(()),
            schemas_fn: |_| Vec::new(),
            demo_vars_fn: P::demo_vars,
            authenticate_fn: P::authenticate,
        }
    }

    /// The provider built and wrapped in the shared behaviour; `None` when its section disables
    /// it, an error when it cannot be built.
    pub fn mount(&self, config: &Config, shared: &Arc<Shared>) -> MountOutcome {
        (self.mount_fn)(config, shared)
    }

    /// Checks its section of `config`; errors name the whole key (`providers.kasisto.…`).
    pub fn validate(&self, config: &Config) -> Result<(), (String, String)> {
        (self.validate_fn)(config)
    }

    /// Its contract schemas.
    pub fn schemas(&self, generator: &mut SchemaGenerator) -> Vec<(&'static str, Schema)> {
        (self.schemas_fn)(generator)
    }

    /// The variables its scenarios start with.
    pub fn demo_vars(&self) -> Vec<(&'static str, Value)> {
        (self.demo_vars_fn)()
    }

    /// Adds its clients' auth headers to a request.
    pub fn authenticate(&self, request: &mut ClientRequest<'_>) -> Result<(), String> {
        (self.authenticate_fn)(request)
    }
}

fn mount<P: Provider>(config: &Config, shared: &Arc<Shared>) -> MountOutcome {
    let section = P::section(&config.providers);
    if !section.enabled() {
        return None;
    }
    let context = BuildContext { seed: config.seed, shared: shared.clone() };
    let twin = match P::build(section, &context) {
        Ok(twin) => Arc::new(twin),
        Err(message) => return Some(Err(message)),
    };
    let behaviour = Arc::new(Behaviour::new(twin.clone(), section.throttle(), section.latency(), shared.clone()));
    // The shared pipeline enforces the configured body limit; axum's own default must not cut in
    // below it.
    let api = behaviour.clone().wrap(P::api(twin.clone()).layer(DefaultBodyLimit::disable()));
    let mut behaviours = vec![behaviour];
    // Each face has a pipeline of its own (its errors are in its API's shape; its rate limits are
    // counted apart), over the same twin.
    let faces = P::FACES
        .iter()
        .filter_map(|face| {
            let (router, renderer) = P::face(twin.clone(), face)?;
            let behaviour = Arc::new(Behaviour::new(renderer, section.throttle(), section.latency(), shared.clone()));
            behaviours.push(behaviour.clone());
            Some((face, behaviour.wrap(router.layer(DefaultBodyLimit::disable()))))
        })
        .collect();
    let reconfigured = twin.clone();
    let reconfigure = Arc::new(move |config: &Config| {
        let section = P::section(&config.providers);
        reconfigured.reconfigure(section);
        for behaviour in &behaviours {
            behaviour.retune(section.throttle(), section.latency());
        }
    });
    Some(Ok(Mounted {
        twin: twin.clone(),
        mount: P::MOUNT,
        api,
        admin: P::admin(twin),
        own_port: section.port(),
        faces,
        reconfigure,
        seed_keys: P::SEED_KEYS,
    }))
}

fn validate<P: Provider>(config: &Config) -> Result<(), (String, String)> {
    let section = P::section(&config.providers);
    let prefix = format!("providers.{}", P::NAME);
    section.validate_http(&prefix)?;
    P::validate(section).map_err(|(key, message)| (format!("{prefix}.{key}"), message))
}
