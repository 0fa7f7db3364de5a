//! Typed configuration (YAML), validated at load, with a built-in demo default.
//!
//! Every struct denies unknown keys, so a typo in a user's file is refused at start with the file,
//! the key path and what is wrong, instead of being silently ignored.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::behaviour::faults::FaultRule;

/// The whole configuration of one mock-server process.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Address of the main port; every provider is mounted there under its prefix.
    pub bind: SocketAddr,
    /// Seed for generated demo data: the same seed gives the same customers and accounts.
    pub seed: u64,
    /// Largest request body accepted, in bytes; larger ones get the provider's 413.
    pub body_limit_bytes: usize,
    /// How long a request's body may take to arrive, in milliseconds, once its head has; past it
    /// the request gets the provider's unreadable-body error and its connection is closed (a
    /// client that sends heads and never bodies cannot hold every connection slot).
    pub body_read_timeout_ms: u64,
    /// The slowest a request's body may arrive, in bytes per second, averaged from its first
    /// two seconds on (0: no minimum): a client trickling a few bytes now and then is cut there,
    /// not at `body_read_timeout_ms`.
    pub body_min_bytes_per_sec: u64,
    /// How long a shutdown (SIGTERM, Ctrl-C) waits for requests in flight, in milliseconds; past
    /// it the requests still held (a long-poll, a body that never comes) are closed and the
    /// process exits.
    pub shutdown_grace_ms: u64,
    /// Connections open at once, over every port; past it a new connection gets a 503 saying so.
    /// Keep it below the process's file-descriptor limit (`ulimit -n`).
    pub max_connections: usize,
    /// The request journal served at `/__admin/requests`.
    pub journal: JournalConfig,
    /// The admin API under `/__admin`.
    pub admin: AdminConfig,
    /// Faults active from the start (more can be added at run time via `/__admin/faults`).
    pub faults: Vec<FaultRule>,
    /// Outbound webhook delivery (retries, backoff, log size).
    pub webhooks: crate::webhooks::WebhookConfig,
    /// One section per emulated provider.
    pub providers: ProvidersConfig,
    /// Where the twins' state and pending webhook deliveries are kept across restarts (a redb
    /// database, created if missing); absent: in memory only.
    pub state_dir: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            seed: 42,
            body_limit_bytes: 1024 * 1024,
            body_read_timeout_ms: 30_000,
            body_min_bytes_per_sec: 1024,
            shutdown_grace_ms: 5_000,
            max_connections: 16_384,
            journal: JournalConfig::default(),
            admin: AdminConfig::default(),
            faults: Vec::new(),
            webhooks: crate::webhooks::WebhookConfig::default(),
            providers: ProvidersConfig::default(),
            state_dir: None,
        }
    }
}

/// Settings of the bounded request journal.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct JournalConfig {
    /// Off: nothing is recorded (for benchmarks).
    pub enabled: bool,
    /// How many requests are kept; the oldest is dropped first.
    pub capacity: usize,
    /// How many bytes of each request and response body are kept.
    pub body_capture_bytes: usize,
    /// How many bytes the whole journal holds, roughly; the oldest entries go first past it.
    pub max_bytes: usize,
}

impl Default for JournalConfig {
    fn default() -> Self {
        Self { enabled: true, capacity: 1000, body_capture_bytes: 16 * 1024, max_bytes: 64 * 1024 * 1024 }
    }
}

/// Settings of the admin API.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AdminConfig {
    /// When set, admin calls must carry `Authorization: Bearer <token>` and are accepted from any
    /// address; when unset, the admin API answers only to loopback clients.
    pub token: Option<String>,
    /// Host names (without port) the loopback-trusted admin API and dashboard also answer to,
    /// besides loopback names and addresses and the bound address: a name in `/etc/hosts` for
    /// 127.0.0.1, say. Any other `Host` is refused (a page can rebind its own name to 127.0.0.1).
    pub allowed_hosts: Vec<String>,
}

/// The provider sections.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ProvidersConfig {
    /// Kasisto Integration API 1.0, mounted at `/kasisto`.
    pub kasisto: crate::providers::kasisto::config::KasistoConfig,
    /// PTI public API v0, mounted at `/pti/v0`.
    pub pti: crate::providers::pti::config::PtiConfig,
    /// GNU Taler merchant backend (KYC status), mounted at `/taler`.
    pub taler: crate::providers::taler::config::TalerConfig,
    /// Particeep (PTP auth, envelope, User and Webhook modules), mounted at `/particeep`.
    pub particeep: crate::providers::particeep::config::ParticeepConfig,
}

/// Why a configuration could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("config file {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// What reading it said.
        source: std::io::Error,
    },
    /// The YAML is malformed or a key is unknown or of the wrong type.
    #[error("config file {path}: at `{key}`: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// Where in it (`providers.kasisto.secret`).
        key: String,
        /// What is wrong.
        message: String,
    },
    /// The values parse but do not make sense together.
    #[error("config file {path}: at `{key}`: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Where in it (`providers.kasisto.secret`).
        key: String,
        /// What is wrong.
        message: String,
    },
}

impl Config {
    /// Reads and validates a YAML file; keys left out take the demo defaults.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text =
            std::fs::read_to_string(path).map_err(|source| ConfigError::Read { path: path.to_owned(), source })?;
        Self::from_yaml(&text, path)
    }

    /// Parses and validates YAML text; `origin` names it in errors.
    pub fn from_yaml(text: &str, origin: &Path) -> Result<Self, ConfigError> {
        // An empty file means "all defaults", which serde_yaml would reject as a missing document.
        if text.trim().is_empty() {
            return Ok(Self::default());
        }
        let deserializer = serde_yaml_ng::Deserializer::from_str(text);
        let config: Config = serde_path_to_error::deserialize(deserializer).map_err(|err| {
            let key = err.path().to_string();
            ConfigError::Parse {
                path: origin.to_owned(),
                key: if key == "." { "(top level)".into() } else { key },
                message: err.into_inner().to_string(),
            }
        })?;
        config.validate().map_err(|(key, message)| ConfigError::Invalid { path: origin.to_owned(), key, message })?;
        Ok(config)
    }

    /// Checks what types alone cannot: ranges, and paths that must start with `/`.
    pub fn validate(&self) -> Result<(), (String, String)> {
        if self.body_limit_bytes == 0 {
            return Err(("body_limit_bytes".into(), "must be greater than 0".into()));
        }
        if self.shutdown_grace_ms > 600_000 {
            return Err(("shutdown_grace_ms".into(), "must be at most 600000 (ten minutes)".into()));
        }
        if !(1..=3_600_000).contains(&self.body_read_timeout_ms) {
            return Err(("body_read_timeout_ms".into(), "must be between 1 and 3600000 (an hour)".into()));
        }
        if self.journal.enabled && self.journal.capacity == 0 {
            return Err(("journal.capacity".into(), "must be greater than 0 when the journal is enabled".into()));
        }
        for (index, rule) in self.faults.iter().enumerate() {
            rule.validate().map_err(|message| (format!("faults[{index}]"), message))?;
        }
        for provider in crate::providers::ALL {
            provider.validate(self)?;
        }
        if self.webhooks.max_attempts == 0 || self.webhooks.log_capacity == 0 || self.webhooks.max_pending == 0 {
            return Err(("webhooks".into(), "max_attempts, log_capacity and max_pending must be at least 1".into()));
        }
        Ok(())
    }

    /// The effective configuration as YAML, the starting point for a user's own file.
    pub fn to_yaml(&self) -> String {
        serde_yaml_ng::to_string(self).unwrap_or_else(|err| format!("# cannot render config: {err}\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_config_round_trips_through_yaml() {
        let yaml = Config::default().to_yaml();
        let parsed = Config::from_yaml(&yaml, Path::new("printed.yaml")).map_err(|e| e.to_string());
        assert!(parsed.is_ok(), "{parsed:?}");
    }

    #[test]
    fn an_unknown_key_is_refused_with_its_path() {
        let err = Config::from_yaml("providers:\n  kasisto:\n    secrett: x\n", Path::new("c.yaml"))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("c.yaml"), "{err}");
        assert!(err.contains("providers.kasisto"), "{err}");
        assert!(err.contains("unknown field `secrett`"), "{err}");
    }

    #[test]
    fn a_wrong_type_is_refused_with_its_path() {
        let err = Config::from_yaml("body_limit_bytes: lots\n", Path::new("c.yaml"))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("body_limit_bytes"), "{err}");
    }

    #[test]
    fn a_pti_client_without_a_key_or_with_a_bad_url_is_refused() {
        let yaml = "providers:\n  pti:\n    clients:\n      - id: someone\n";
        let err = Config::from_yaml(yaml, Path::new("c.yaml")).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("providers.pti.clients[0].public_jwk"), "{err}");
    }

    #[test]
    fn a_zero_burst_is_refused() {
        let yaml = "providers:\n  kasisto:\n    throttle:\n      default: { per_second: 1, burst: 0 }\n";
        let err = Config::from_yaml(yaml, Path::new("c.yaml")).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("providers.kasisto.throttle.default.burst"), "{err}");
    }
}
