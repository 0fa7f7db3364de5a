//! Config reloads (`--watch`): a changed config file put in force without a restart and without
//! losing state, or refused with the message a start would give while the old one stays.
//!
//! What a reload changes at once: fault rules from the file (those added through the admin API
//! stay), every provider's throttle and latency, and each provider's own settings (PTI outcomes
//! and clients, Particeep consumers, Kasisto's secret and OTP rules, Taler's long-poll cap...).
//! What only seeds state (Kasisto's customers, Taler's instances) applies at the next
//! `/__admin/reset`; what shapes the process (the bind address, ports, the journal, the admin
//! token) needs a restart. Both are listed in the log and in `/__admin/health`.
//!
//! The file is polled, not watched through inotify: a poll sees a change however the editor saves
//! (in place, or a new file renamed over the old one) and through bind mounts into a container,
//! where file events often never arrive; reading a small file four times a second costs nothing.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

use crate::behaviour::Shared;
use crate::config::Config;
use crate::provider::Mounted;

/// How often `--watch` reads the config file.
pub const POLL_EVERY: Duration = Duration::from_millis(250);

/// Keys of the config that shape the process itself: a change to one needs a restart.
const RESTART_KEYS: &[&str] = &[
    "bind",
    "seed",
    "body_limit_bytes",
    "body_read_timeout_ms",
    "body_min_bytes_per_sec",
    "shutdown_grace_ms",
    "max_connections",
    "journal",
    "admin",
    "webhooks",
    "state_dir",
];

/// Keys of every provider's section that shape the process: mounted or not, its own port.
const PROVIDER_RESTART_KEYS: &[&str] = &["enabled", "port"];

/// What the config in force is and how its reloads went, for `/__admin/health`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ConfigStatus {
    /// The file watched for changes (`--watch`); none when nothing is watched.
    pub file: Option<PathBuf>,
    /// Whether the file is watched (`--watch`).
    pub watching: bool,
    /// How many reloads were put in force.
    pub reloads: u64,
    /// When the last one was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reloaded_at: Option<DateTime<Utc>>,
    /// The keys the last reload changed (`faults`, `providers.pti.outcomes`).
    pub changed: Vec<String>,
    /// Changed keys that only seed state: they apply at the next `/__admin/reset`.
    pub apply_at_reset: Vec<String>,
    /// Changed keys that need a restart; the values in force are the ones the process started with.
    pub restart_needed: Vec<String>,
    /// The last config refused since the last one put in force: the old one stays.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refused: Option<Refused>,
}

/// A config that could not be loaded.
#[derive(Debug, Clone, Serialize)]
pub struct Refused {
    /// When.
    pub at: DateTime<Utc>,
    /// Why, as a start would say it (`config file c.yaml: at `faults[0]`: …`).
    pub error: String,
}

/// What a reload put in force.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reloaded {
    /// Every changed key.
    pub changed: Vec<String>,
    /// Those that apply at the next reset.
    pub apply_at_reset: Vec<String>,
    /// Those that need a restart.
    pub restart_needed: Vec<String>,
}

/// One provider's way to take a reloaded config.
struct Reconfigurable {
    name: &'static str,
    reconfigure: Arc<dyn Fn(&Config) + Send + Sync>,
    seed_keys: &'static [&'static str],
}

/// Puts reloaded configs in force over a running set of twins.
pub struct Reloader {
    shared: Arc<Shared>,
    providers: Vec<Reconfigurable>,
    current: Mutex<Config>,
}

impl std::fmt::Debug for Reloader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.providers.iter().map(|p| p.name).collect();
        f.debug_struct("Reloader").field("providers", &names).finish_non_exhaustive()
    }
}

impl Reloader {
    /// The reloader of twins built from `config`.
    pub fn new(config: &Config, shared: Arc<Shared>, mounted: &[Mounted]) -> Self {
        let providers = mounted
            .iter()
            .map(|m| Reconfigurable { name: m.twin.name(), reconfigure: m.reconfigure.clone(), seed_keys: m.seed_keys })
            .collect();
        Self { shared, providers, current: Mutex::new(config.clone()) }
    }

    /// The config in force (as last put in force; keys that need a restart as started).
    pub fn current(&self) -> Config {
        self.lock_current().clone()
    }

    /// Puts `next` in force: checked first (a config built in code is validated here; one read
    /// from a file already was), then every fault rule, throttle, latency and provider setting at
    /// once. State is kept. Refused with the reason, the old config staying in force.
    pub fn apply(&self, next: Config) -> Result<Reloaded, String> {
        next.validate().map_err(|(key, message)| format!("at `{key}`: {message}"))?;
        let mut current = self.lock_current();
        let changed = changed_keys(&current, &next);
        let reloaded = Reloaded {
            apply_at_reset: changed.iter().filter(|key| self.is_seed_key(key)).cloned().collect(),
            restart_needed: changed.iter().filter(|key| needs_restart(key)).cloned().collect(),
            changed,
        };
        if current.faults != next.faults {
            self.shared.faults.reload_configured(&next.faults);
            *self.shared.configured_faults.lock().unwrap_or_else(std::sync::PoisonError::into_inner) =
                next.faults.clone();
        }
        for provider in &self.providers {
            (provider.reconfigure)(&next);
        }
        // What needs a restart keeps the value the process runs with, so `current` stays true.
        let mut kept = next;
        for key in &reloaded.restart_needed {
            restore_key(&mut kept, &current, key);
        }
        *current = kept;
        drop(current);
        let mut status = self.shared.lock_config_status();
        status.reloads += 1;
        status.reloaded_at = Some(Utc::now());
        status.changed = reloaded.changed.clone();
        status.apply_at_reset = reloaded.apply_at_reset.clone();
        status.restart_needed = reloaded.restart_needed.clone();
        status.refused = None;
        Ok(reloaded)
    }

    /// Records a config that could not be loaded: the old one stays, and `/__admin/health` says why.
    pub fn refuse(&self, error: String) {
        tracing::error!("config not reloaded: {error}; the previous config stays in force");
        self.shared.lock_config_status().refused = Some(Refused { at: Utc::now(), error });
    }

    /// The text of config file `path` parsed as at start, `adjust` applying the command line's
    /// overrides (`--bind`, `--seed`...), and the result put in force; a config that does not load
    /// is refused. Logs either way.
    pub fn reload_file(&self, path: &Path, bytes: &[u8], adjust: &dyn Fn(Config) -> Config) -> Option<Reloaded> {
        let loaded = std::str::from_utf8(bytes)
            .map_err(|error| format!("config file {}: {error}", path.display()))
            .and_then(|text| Config::from_yaml(text, path).map_err(|error| error.to_string()));
        match loaded.map(adjust).and_then(|config| self.apply(config)) {
            Ok(reloaded) => {
                tracing::info!(file = %path.display(), changed = ?reloaded.changed, "config reloaded");
                if !reloaded.apply_at_reset.is_empty() {
                    tracing::warn!(keys = ?reloaded.apply_at_reset, "these keys seed state: they apply at the next /__admin/reset");
                }
                if !reloaded.restart_needed.is_empty() {
                    tracing::warn!(keys = ?reloaded.restart_needed, "these keys need a restart: the values in force are unchanged");
                }
                Some(reloaded)
            }
            Err(error) => {
                self.refuse(error);
                None
            }
        }
    }

    fn is_seed_key(&self, key: &str) -> bool {
        self.providers.iter().any(|provider| {
            let prefix = format!("providers.{}.", provider.name);
            key.strip_prefix(&prefix).is_some_and(|rest| provider.seed_keys.contains(&rest))
        })
    }

    fn lock_current(&self) -> std::sync::MutexGuard<'_, Config> {
        // Replaced whole under the lock: a panic elsewhere cannot leave it half-written.
        self.current.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Watches `path` (polled every [`POLL_EVERY`]) until `stop` completes: each time its bytes change,
/// it is reloaded through `reloader`. `adjust` applies the command line's overrides.
pub async fn watch(
    path: PathBuf,
    reloader: Arc<Reloader>,
    adjust: Box<dyn Fn(Config) -> Config + Send + Sync>,
    stop: impl std::future::Future<Output = ()>,
) {
    {
        let mut status = reloader.shared.lock_config_status();
        status.file = Some(path.clone());
        status.watching = true;
    }
    // What was last seen, so a file saved twice with the same bytes reloads once, and a file that
    // failed to load is refused once, not four times a second.
    let mut seen = std::fs::read(&path).ok();
    let mut ticks = tokio::time::interval(POLL_EVERY);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut stop = std::pin::pin!(stop);
    loop {
        tokio::select! {
            _ = ticks.tick() => {}
            () = &mut stop => return,
        }
        // A few hundred bytes read in place: not worth a blocking-pool hop (or tokio's `fs`).
        let now = match std::fs::read(&path) {
            Ok(bytes) => Some(bytes),
            // Between an editor's delete and its write: the next tick sees the new file.
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => continue,
            Err(error) => {
                if seen.is_some() {
                    reloader.refuse(format!("config file {}: {error}", path.display()));
                }
                seen = None;
                continue;
            }
        };
        if now == seen {
            continue;
        }
        if let Some(bytes) = &now {
            reloader.reload_file(&path, bytes, adjust.as_ref());
        }
        seen = now;
    }
}

/// The keys whose values differ: top-level keys, and inside `providers`, each provider's keys
/// (`providers.pti.outcomes`).
fn changed_keys(before: &Config, after: &Config) -> Vec<String> {
    let (before, after) = (to_value(before), to_value(after));
    let mut changed = Vec::new();
    for key in keys(&before, &after) {
        let (a, b) = (before.get(&key), after.get(&key));
        if a == b {
            continue;
        }
        match (key.as_str(), a, b) {
            ("providers", Some(a), Some(b)) => {
                for provider in keys(a, b) {
                    let (a, b) = (a.get(&provider), b.get(&provider));
                    for inner in keys(a.unwrap_or(&Value::Null), b.unwrap_or(&Value::Null)) {
                        if a.and_then(|a| a.get(&inner)) != b.and_then(|b| b.get(&inner)) {
                            changed.push(format!("providers.{provider}.{inner}"));
                        }
                    }
                }
            }
            _ => changed.push(key),
        }
    }
    changed
}

fn to_value(config: &Config) -> Value {
    serde_json::to_value(config).unwrap_or(Value::Null)
}

/// The keys of two objects, each once, in order.
fn keys(a: &Value, b: &Value) -> Vec<String> {
    let mut keys: Vec<String> = [a, b].iter().filter_map(|v| v.as_object()).flat_map(|o| o.keys().cloned()).collect();
    keys.sort();
    keys.dedup();
    keys
}

fn needs_restart(key: &str) -> bool {
    if RESTART_KEYS.contains(&key) {
        return true;
    }
    let mut parts = key.splitn(3, '.');
    matches!((parts.next(), parts.next(), parts.next()), (Some("providers"), Some(_), Some(inner)) if PROVIDER_RESTART_KEYS.contains(&inner))
}

/// Sets `key` of `into` back to its value in `from` (a key that needs a restart keeps the value
/// the process runs with).
fn restore_key(into: &mut Config, from: &Config, key: &str) {
    let (mut target, source) = (to_value(into), to_value(from));
    let pointer = format!("/{}", key.replace('.', "/"));
    if let (Some(slot), Some(value)) = (target.pointer_mut(&pointer), source.pointer(&pointer)) {
        *slot = value.clone();
    }
    if let Ok(restored) = serde_json::from_value(target) {
        *into = restored;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(yaml: &str) -> Config {
        Config::from_yaml(yaml, Path::new("c.yaml")).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn changed_keys_name_the_provider_key_and_restart_keys_are_told_apart() {
        let before = Config::default();
        let after = parse(
            "bind: 127.0.0.1:9999\nfaults: [{respond: {status: 503}}]\nproviders:\n  pti:\n    outcomes: {kyc: REFUSED}\n  kasisto:\n    port: 9001\n",
        );
        let changed = changed_keys(&before, &after);
        assert_eq!(changed, ["bind", "faults", "providers.kasisto.port", "providers.pti.outcomes"]);
        let restart: Vec<&String> = changed.iter().filter(|k| needs_restart(k)).collect();
        assert_eq!(restart, ["bind", "providers.kasisto.port"]);
    }

    #[test]
    fn a_reload_registers_and_removes_configured_clients_and_keeps_the_rest() {
        let app = crate::build(&Config::default());
        let pti = app.twins.iter().find(|t| t.name() == "pti").unwrap_or_else(|| panic!("no pti"));
        let clients = |twin: &Arc<dyn crate::provider::Twin>| -> Vec<String> {
            twin.snapshot()["clients"].as_object().map(|c| c.keys().cloned().collect()).unwrap_or_default()
        };
        let started = clients(pti);
        let mut next = Config::default();
        let mut added = next.providers.pti.clients[0].clone();
        added.id = "reloaded-client".into();
        let demo_key = pti.snapshot()["clients"][&started[0]]["public_jwks"][0].clone();
        added.public_jwk = Some(demo_key);
        next.providers.pti.clients.push(added);
        next.providers.pti.outcomes.kyc = "REFUSED".into();
        let reloaded = app.reloader.apply(next.clone()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(reloaded.changed, ["providers.pti.clients", "providers.pti.outcomes"]);
        assert!(clients(pti).contains(&"reloaded-client".to_owned()), "{:?}", clients(pti));
        assert_eq!(app.reloader.current().providers.pti.outcomes.kyc, "REFUSED");
        next.providers.pti.clients.retain(|c| c.id != "reloaded-client");
        app.reloader.apply(next).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(clients(pti), started, "a client the config no longer lists is gone, the others stay");
        let broken = Config { body_limit_bytes: 0, ..Config::default() };
        assert!(app.reloader.apply(broken).is_err_and(|e| e.contains("body_limit_bytes")));
        assert_eq!(app.reloader.current().providers.pti.outcomes.kyc, "REFUSED", "the last good one stays");
    }

    #[test]
    fn a_key_that_needs_a_restart_keeps_the_value_in_force() {
        let running = Config::default();
        let mut next = parse("bind: 127.0.0.1:9999\nseed: 7\n");
        restore_key(&mut next, &running, "bind");
        assert_eq!((next.bind, next.seed), (running.bind, 7));
    }
}
