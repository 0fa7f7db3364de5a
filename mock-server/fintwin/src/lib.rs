//! fintwin's twins inside Rust tests: [`Twin::start`] serves every provider on a free loopback
//! port, [`Twin::url`] gives a provider's base URL, admin helpers drive what a test cannot reach
//! through the providers' own APIs, and the twin stops when dropped.
//!
//! Three lines start a twin and call it:
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let twin = fintwin::Twin::start().await?;
//! let login = serde_json::json!({"username": "joe.tester", "password": "demo-password"});
//! let reply = reqwest::Client::new().post(format!("{}/token", twin.url("kasisto")))
//!     .header("secret", "kasisto-demo-secret").json(&login).send().await?;
//! assert_eq!(reply.status(), 200);
//! # Ok(()) }
//! ```
//!
//! A config of your own, faults, the clock and the journal:
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use fintwin::{Fault, Twin};
//! use std::time::Duration;
//!
//! let twin = Twin::builder()
//!     .config_yaml("providers: {kasisto: {otp: {digits: 8}}}")?
//!     .fault(Fault::status(503).provider("kasisto").path("/transfer").times(1))
//!     .start()
//!     .await?;
//! let http = reqwest::Client::new();
//! let transfer = http.post(format!("{}/transfer", twin.url("kasisto"))).send().await?;
//! assert_eq!(transfer.status(), 503, "the fault answers first");
//!
//! twin.advance_clock(Duration::from_secs(3600)).await?;
//! let journal = twin.journal().await?;
//! assert_eq!((journal[0].path.as_str(), journal[0].status), ("/kasisto/transfer", 503));
//! assert_eq!(twin.config().providers.kasisto.otp.digits, 8);
//! # Ok(()) }
//! ```
//!
//! The admin helpers are calls to the twin's `/__admin` API (the README lists it all; [`Twin::admin`]
//! reaches any route). Everything a twin keeps is per entity and survives [`Twin::reload`].

// The library crates document every public item, and export nothing by accident.
#![warn(missing_docs, unreachable_pub)]

use std::net::SocketAddr;
use std::ops::Deref;
use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;
use serde_json::{Value, json};

mod fault;

pub use fault::Fault;
pub use mock_server::behaviour::faults::{FaultResponse, FaultRule};
pub use mock_server::behaviour::latency::Delay;
pub use mock_server::reload::Reloaded;
pub use mock_server::{Config, Running};

/// What can go wrong starting or driving a twin.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The twin could not bind or open its state directory.
    #[error("the twin did not start: {0}")]
    Start(#[source] std::io::Error),
    /// A config (YAML or reloaded) was refused; the message names the key.
    #[error("the config is refused: {0}")]
    Config(String),
    /// An admin call did not get an answer.
    #[error("{method} {path}: {source}")]
    Http {
        /// The method.
        method: String,
        /// The admin path.
        path: String,
        /// What the client said.
        #[source]
        source: reqwest::Error,
    },
    /// An admin call was answered with an error status.
    #[error("{method} {path} answered {status}: {body}")]
    Admin {
        /// The method.
        method: String,
        /// The admin path.
        path: String,
        /// The status.
        status: u16,
        /// The body, the twin's explanation.
        body: String,
    },
}

/// A running twin of every provider. Derefs to [`Running`] (its address, [`Running::reload`]);
/// stops when dropped, or [`Twin::shutdown`] to wait for it.
pub struct Twin {
    running: Running,
    http: reqwest::Client,
}

impl std::fmt::Debug for Twin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Twin").field("url", &self.running.url()).finish_non_exhaustive()
    }
}

impl Deref for Twin {
    type Target = Running;

    fn deref(&self) -> &Running {
        &self.running
    }
}

impl Twin {
    /// The demo twin (every provider, the demo credentials of the README) on a free loopback port.
    pub async fn start() -> Result<Self, Error> {
        Self::builder().start().await
    }

    /// A twin with settings of its own.
    pub fn builder() -> TwinBuilder {
        TwinBuilder { config: Config::default(), bind: loopback_any_port() }
    }

    /// `http://127.0.0.1:PORT/kasisto`: the base URL of a provider or face (`kasisto`, `pti`,
    /// `pti-v1`, `taler`, `particeep`), as its SDK or client takes it.
    ///
    /// # Panics
    /// For a name that is none of those (a typo in a test), with the names there are.
    pub fn url(&self, provider: &str) -> String {
        match mock_server::providers::find_target(provider) {
            Some(target) => format!("{}{}", self.running.url(), target.mount),
            None => panic!("no provider `{provider}`: use one of {:?}", mock_server::providers::TARGET_NAMES),
        }
    }

    /// `http://127.0.0.1:PORT`: the main port (admin API at `/__admin`).
    pub fn base_url(&self) -> String {
        self.running.url()
    }

    /// The config in force.
    pub fn config(&self) -> Config {
        self.running.config()
    }

    /// Puts a changed config in force at once (faults, latency, throttles, outcomes, clients,
    /// consumers), state kept; refused, the old one staying, when it does not validate.
    pub fn reload(&self, config: Config) -> Result<Reloaded, Error> {
        self.running.reload(config).map_err(Error::Config)
    }

    /// Adds a fault rule (`POST /__admin/faults`); answers its id.
    pub async fn add_fault(&self, fault: impl Into<FaultRule>) -> Result<u64, Error> {
        let rule = serde_json::to_value(fault.into()).unwrap_or_default();
        let added = self.admin(reqwest::Method::POST, "/faults", Some(rule)).await?;
        Ok(added["id"].as_u64().unwrap_or_default())
    }

    /// Removes every fault rule, the config's too (`DELETE /__admin/faults`).
    pub async fn clear_faults(&self) -> Result<(), Error> {
        self.admin(reqwest::Method::DELETE, "/faults", None).await.map(drop)
    }

    /// Moves the twins' clock forward (`POST /__admin/clock`): tokens and OTPs expire, pending
    /// results come due, as if that much time had passed.
    pub async fn advance_clock(&self, by: Duration) -> Result<(), Error> {
        let ms = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        self.admin(reqwest::Method::POST, "/clock", Some(json!({ "advance_ms": ms }))).await.map(drop)
    }

    /// The OTP Kasisto sent a customer for the step-up in progress (`GET /__admin/kasisto/otp/{id}`).
    pub async fn kasisto_otp(&self, user_id: &str) -> Result<String, Error> {
        let otp = self.admin(reqwest::Method::GET, &format!("/kasisto/otp/{user_id}"), None).await?;
        Ok(otp["otp"].as_str().unwrap_or_default().to_owned())
    }

    /// Decides the PTI KYC of a user of the demo client (`ACCEPTED`, `REFUSED`, `UNDER_REVIEW`...):
    /// its pending KYC now, with its webhook, or its next one (`POST /__admin/pti/decisions`).
    pub async fn decide_pti_kyc(&self, user_id: &str, status: &str) -> Result<Value, Error> {
        let decision = json!({ "kind": "kyc", "user_id": user_id, "status": status });
        self.admin(reqwest::Method::POST, "/pti/decisions", Some(decision)).await
    }

    /// Validates or refuses the Particeep KYC asked for an owner, as Particeep's staff would
    /// (`POST /__admin/particeep/kyc/{owner}/validate|refuse`).
    pub async fn decide_particeep_kyc(&self, owner_id: &str, validate: bool) -> Result<Value, Error> {
        let decision = if validate { "validate" } else { "refuse" };
        self.admin(reqwest::Method::POST, &format!("/particeep/kyc/{owner_id}/{decision}"), None).await
    }

    /// The request journal, newest first (`GET /__admin/requests`).
    pub async fn journal(&self) -> Result<Vec<JournalEntry>, Error> {
        let journal = self.admin(reqwest::Method::GET, "/requests", None).await?;
        Ok(serde_json::from_value(journal["entries"].clone()).unwrap_or_default())
    }

    /// Every twin back to its seed, the faults to the config's, the clock to now (`POST /__admin/reset`).
    pub async fn reset(&self) -> Result<(), Error> {
        self.admin(reqwest::Method::POST, "/reset", None).await.map(drop)
    }

    /// Any admin route (`path` under `/__admin`), answering its JSON (`null` for an empty body).
    pub async fn admin(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Result<Value, Error> {
        let url = format!("{}/__admin{path}", self.running.url());
        let mut request = self.http.request(method.clone(), url);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let failed = |source| Error::Http { method: method.to_string(), path: path.to_owned(), source };
        let response = request.send().await.map_err(failed)?;
        let status = response.status();
        let text = response.text().await.map_err(failed)?;
        if !status.is_success() {
            let (method, path) = (method.to_string(), path.to_owned());
            return Err(Error::Admin { method, path, status: status.as_u16(), body: text });
        }
        Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// Stops accepting, lets requests in flight finish, and answers once the ports are closed.
    pub async fn shutdown(self) -> Result<(), Error> {
        self.running.shutdown().await.map_err(Error::Start)
    }
}

/// How a twin starts: [`Twin::builder`].
#[derive(Debug, Clone)]
pub struct TwinBuilder {
    config: Config,
    bind: SocketAddr,
}

impl TwinBuilder {
    /// Starts from this config instead of the demo one (its `bind` is ignored: see [`TwinBuilder::bind`]).
    pub fn config(mut self, config: Config) -> Self {
        self.config = config;
        self
    }

    /// Starts from a YAML config, as `mock-server --config` reads it; refused with the key at fault.
    pub fn config_yaml(mut self, yaml: &str) -> Result<Self, Error> {
        let origin = std::path::Path::new("config given to TwinBuilder::config_yaml");
        self.config = Config::from_yaml(yaml, origin).map_err(|e| Error::Config(e.to_string()))?;
        Ok(self)
    }

    /// The seed of the generated demo data.
    pub fn seed(mut self, seed: u64) -> Self {
        self.config.seed = seed;
        self
    }

    /// A fault in force from the start, as the config's `faults` are.
    pub fn fault(mut self, fault: impl Into<FaultRule>) -> Self {
        self.config.faults.push(fault.into());
        self
    }

    /// Keeps the twins' state in this directory across starts (`--state-dir`).
    pub fn state_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.config.state_dir = Some(dir.into());
        self
    }

    /// Another address than `127.0.0.1:0` (any free loopback port).
    pub fn bind(mut self, addr: SocketAddr) -> Self {
        self.bind = addr;
        self
    }

    /// Binds and serves in the background of the current tokio runtime.
    pub async fn start(self) -> Result<Twin, Error> {
        let config = Config { bind: self.bind, ..self.config };
        config.validate().map_err(|(key, message)| Error::Config(format!("at `{key}`: {message}")))?;
        let running = mock_server::spawn(config).await.map_err(Error::Start)?;
        Ok(Twin { running, http: reqwest::Client::new() })
    }
}

fn loopback_any_port() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 0))
}

/// One exchange of the request journal.
#[derive(Debug, Clone, Deserialize)]
pub struct JournalEntry {
    /// The provider that answered (`kasisto`).
    #[serde(default)]
    pub provider: String,
    /// The method.
    #[serde(default)]
    pub method: String,
    /// The path as sent, the mount included (`/kasisto/transfer`).
    #[serde(default)]
    pub path: String,
    /// The status answered (0 for a connection cut by a fault).
    #[serde(default)]
    pub status: u16,
    /// The fault that answered, if one did (`status 503`, `reset`, `latency`).
    #[serde(default)]
    pub fault: Option<String>,
    /// Everything else the journal keeps (headers, bodies, timing), as `/__admin/requests` gives it.
    #[serde(flatten)]
    pub details: serde_json::Map<String, Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fault_built_in_code_is_the_rule_the_config_would_hold() {
        let built: FaultRule = Fault::status(503).provider("kasisto").method("POST").path("/transfer").times(2).into();
        let yaml = "{provider: kasisto, method: POST, path: /transfer, respond: {status: 503}, times: 2}";
        let written: FaultRule = as_the_config_reads(yaml);
        assert_eq!(built, written);
        assert!(FaultRule::from(Fault::latency(Duration::from_millis(5))).validate().is_ok());
    }

    /// The YAML config's reading of one fault rule.
    fn as_the_config_reads(yaml: &str) -> FaultRule {
        let config = Config::from_yaml(&format!("faults: [{yaml}]\n"), std::path::Path::new("t.yaml"))
            .unwrap_or_else(|e| panic!("{e}"));
        config.faults[0].clone()
    }
}
