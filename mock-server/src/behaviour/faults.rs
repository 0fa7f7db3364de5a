//! Fault injection: for matching requests, answer a chosen status, reset the connection, send a
//! malformed body, or add latency; for the next N matches or at a rate.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use rand::RngExt;
use serde::{Deserialize, Serialize};

use crate::behaviour::latency::Delay;
use crate::behaviour::route::RoutePattern;

/// What an injected fault answers instead of the twin: `{status: 503}`, `reset` or
/// `malformed_body`, the same in the YAML config and the admin API's JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "FaultResponseForm", into = "FaultResponseForm")]
pub enum FaultResponse {
    /// This HTTP status, with the provider's own error body (or `body` when the rule gives one).
    Status(u16),
    /// The connection is dropped before a complete response is sent.
    Reset,
    /// A 200 whose `application/json` body is cut off mid-document.
    MalformedBody,
}

/// How a [`FaultResponse`] is written. Spelled out because the YAML reader takes a derived enum's
/// `{status: 503}` only as a tag (`!status 503`), which the README, the admin API's JSON and every
/// user write as a map.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum FaultResponseForm {
    /// `{status: 503}`.
    Status {
        /// The status.
        status: u16,
    },
    /// `reset` or `malformed_body`.
    Word(String),
}

impl TryFrom<FaultResponseForm> for FaultResponse {
    type Error = String;

    fn try_from(form: FaultResponseForm) -> Result<Self, String> {
        match form {
            FaultResponseForm::Status { status } => Ok(Self::Status(status)),
            FaultResponseForm::Word(word) => match word.as_str() {
                "reset" => Ok(Self::Reset),
                "malformed_body" => Ok(Self::MalformedBody),
                other => Err(format!("respond `{other}`: use {{status: N}}, reset or malformed_body")),
            },
        }
    }
}

impl From<FaultResponse> for FaultResponseForm {
    fn from(respond: FaultResponse) -> Self {
        match respond {
            FaultResponse::Status(status) => Self::Status { status },
            FaultResponse::Reset => Self::Word("reset".into()),
            FaultResponse::MalformedBody => Self::Word("malformed_body".into()),
        }
    }
}

/// One fault rule, as written in the config or sent to `PUT /__admin/faults`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRule {
    /// Only this provider (`kasisto`, ...); any when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// Only this HTTP method; any when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Only paths inside the provider matching this pattern (`/transfer`, `/users/{id}`, `/users/*`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<RoutePattern>,
    /// What to answer; absent means the twin answers normally (after `latency`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub respond: Option<FaultResponse>,
    /// A body to send with `respond: {status: N}` instead of the provider's error body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<serde_json::Value>,
    /// Delay added before answering.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency: Option<Delay>,
    /// Applies to the next N matching requests, then is removed; forever when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<u32>,
    /// Applies to this fraction (0 < rate <= 1) of matching requests; all when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<f64>,
}

impl FaultRule {
    /// Checks the values; the message says what is wrong.
    pub fn validate(&self) -> Result<(), String> {
        if self.respond.is_none() && self.latency.is_none() {
            return Err("a fault needs `respond` (status, reset, malformed_body) or `latency`".into());
        }
        if let Some(FaultResponse::Status(status)) = self.respond {
            if !(100..=599).contains(&status) {
                return Err(format!("respond.status {status} is not an HTTP status (100-599)"));
            }
        }
        if let Some(rate) = self.rate {
            if !(rate > 0.0 && rate <= 1.0) {
                return Err(format!("rate {rate} must be greater than 0 and at most 1"));
            }
        }
        if self.times == Some(0) {
            return Err("times must be at least 1 (leave it out for a permanent fault)".into());
        }
        if let Some(delay) = &self.latency {
            delay.validate().map_err(|m| format!("latency: {m}"))?;
        }
        Ok(())
    }

    fn matches(&self, provider: &str, method: &str, path: &str) -> bool {
        self.provider.as_deref().is_none_or(|p| p == provider)
            && self.method.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(method))
            && self.path.as_ref().is_none_or(|p| p.matches(path))
    }
}

/// A rule in force, with its id and how often it fired.
#[derive(Debug, Clone, Serialize)]
pub struct ActiveFault {
    /// Handle for `DELETE /__admin/faults/{id}`.
    pub id: u64,
    /// The rule.
    #[serde(flatten)]
    pub rule: FaultRule,
    /// How many more times it applies, when limited.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remaining: Option<u32>,
    /// How many requests it has answered.
    pub hits: u64,
    /// Whether it comes from the config file's `faults` (a `--watch` reload replaces those and
    /// keeps the ones added through the admin API).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub from_config: bool,
}

/// The rules in force, shared by every provider.
#[derive(Debug, Default)]
pub struct FaultRegistry {
    // Read on every request: the count lets the common case (no faults) skip the lock.
    count: AtomicUsize,
    inner: Mutex<RegistryInner>,
}

#[derive(Debug, Default)]
struct RegistryInner {
    next_id: u64,
    faults: Vec<ActiveFault>,
}

impl FaultRegistry {
    /// A registry holding `rules`, the config's.
    pub fn new(rules: &[FaultRule]) -> Self {
        let registry = Self::default();
        registry.restore_configured(rules);
        registry
    }

    /// Replaces every rule; returns the rules now in force.
    pub fn replace(&self, rules: Vec<FaultRule>) -> Vec<ActiveFault> {
        let mut inner = self.lock();
        inner.faults.clear();
        for rule in rules {
            add_locked(&mut inner, rule, false);
        }
        self.count.store(inner.faults.len(), Ordering::Relaxed);
        inner.faults.clone()
    }

    /// Back to the config's rules alone (`/__admin/reset`).
    pub fn restore_configured(&self, configured: &[FaultRule]) {
        let mut inner = self.lock();
        inner.faults.clear();
        for rule in configured {
            add_locked(&mut inner, rule.clone(), true);
        }
        self.count.store(inner.faults.len(), Ordering::Relaxed);
    }

    /// A reloaded config's rules in place of the previous config's, ahead of the rules added
    /// through the admin API (which stay, with their counts), as at start.
    pub fn reload_configured(&self, configured: &[FaultRule]) {
        let mut inner = self.lock();
        let added: Vec<ActiveFault> = inner.faults.drain(..).filter(|f| !f.from_config).collect();
        for rule in configured {
            add_locked(&mut inner, rule.clone(), true);
        }
        inner.faults.extend(added);
        self.count.store(inner.faults.len(), Ordering::Relaxed);
    }

    /// Adds one rule; returns it with its id.
    pub fn add(&self, rule: FaultRule) -> ActiveFault {
        let mut inner = self.lock();
        let added = add_locked(&mut inner, rule, false);
        self.count.store(inner.faults.len(), Ordering::Relaxed);
        added
    }

    /// Removes one rule; whether it existed.
    pub fn remove(&self, id: u64) -> bool {
        let mut inner = self.lock();
        let before = inner.faults.len();
        inner.faults.retain(|f| f.id != id);
        self.count.store(inner.faults.len(), Ordering::Relaxed);
        inner.faults.len() != before
    }

    /// The rules in force.
    pub fn list(&self) -> Vec<ActiveFault> {
        self.lock().faults.clone()
    }

    /// The first rule that matches this request and fires (by its rate), counting it.
    pub fn take(&self, provider: &str, method: &str, path: &str) -> Option<FaultRule> {
        if self.count.load(Ordering::Relaxed) == 0 {
            return None;
        }
        let mut inner = self.lock();
        let index = inner.faults.iter().position(|f| {
            f.rule.matches(provider, method, path) && f.rule.rate.is_none_or(|rate| rand::rng().random_bool(rate))
        })?;
        let fault = &mut inner.faults[index];
        fault.hits += 1;
        let rule = fault.rule.clone();
        if let Some(remaining) = fault.remaining.as_mut() {
            *remaining -= 1;
            if *remaining == 0 {
                inner.faults.remove(index);
            }
        }
        self.count.store(inner.faults.len(), Ordering::Relaxed);
        Some(rule)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, RegistryInner> {
        // A panic while holding this lock cannot leave the rule list half-written (every update is
        // a single push/retain), so a poisoned lock is still safe to use.
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn add_locked(inner: &mut RegistryInner, rule: FaultRule, from_config: bool) -> ActiveFault {
    inner.next_id += 1;
    let fault = ActiveFault { id: inner.next_id, remaining: rule.times, rule, hits: 0, from_config };
    inner.faults.push(fault.clone());
    fault
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status_rule(times: Option<u32>) -> FaultRule {
        FaultRule {
            provider: Some("kasisto".into()),
            method: Some("POST".into()),
            path: Some(RoutePattern::new("/transfer")),
            respond: Some(FaultResponse::Status(503)),
            body: None,
            latency: None,
            times,
            rate: None,
        }
    }

    #[test]
    fn a_counted_fault_fires_that_many_times_then_disappears() {
        let registry = FaultRegistry::new(&[status_rule(Some(2))]);
        assert!(registry.take("kasisto", "POST", "/transfer").is_some());
        assert!(registry.take("kasisto", "post", "/transfer").is_some());
        assert!(registry.take("kasisto", "POST", "/transfer").is_none());
        assert!(registry.list().is_empty());
    }

    #[test]
    fn a_fault_ignores_requests_it_does_not_match() {
        let registry = FaultRegistry::new(&[status_rule(None)]);
        assert!(registry.take("kasisto", "POST", "/payment").is_none());
        assert!(registry.take("pti", "POST", "/transfer").is_none());
        assert!(registry.take("kasisto", "GET", "/transfer").is_none());
        assert_eq!(registry.list()[0].hits, 0);
    }

    #[test]
    fn respond_reads_the_same_in_yaml_and_json_and_prints_back() {
        let yaml = "- {respond: {status: 503}}\n- {respond: reset}\n- {respond: malformed_body}\n";
        let rules: Vec<FaultRule> = serde_yaml_ng::from_str(yaml).unwrap_or_else(|e| panic!("{e}"));
        let json = r#"[{"respond": {"status": 503}}, {"respond": "reset"}, {"respond": "malformed_body"}]"#;
        let from_json: Vec<FaultRule> = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(rules, from_json);
        let respond: Vec<_> = rules.iter().map(|r| r.respond.clone()).collect();
        assert_eq!(
            respond,
            [Some(FaultResponse::Status(503)), Some(FaultResponse::Reset), Some(FaultResponse::MalformedBody)]
        );
        let printed = serde_yaml_ng::to_string(&rules).unwrap_or_else(|e| panic!("{e}"));
        let back: Vec<FaultRule> = serde_yaml_ng::from_str(&printed).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, rules, "{printed}");
        assert!(serde_yaml_ng::from_str::<Vec<FaultRule>>("- {respond: explode}\n").is_err());
    }

    #[test]
    fn a_reload_swaps_the_config_rules_and_keeps_the_admin_ones() {
        let registry = FaultRegistry::new(&[status_rule(None)]);
        let mut added = status_rule(Some(3));
        added.provider = Some("pti".into());
        let added_id = registry.add(added.clone()).id;
        assert!(registry.take("pti", "POST", "/transfer").is_some());
        let mut reloaded = status_rule(None);
        reloaded.respond = Some(FaultResponse::Status(502));
        registry.reload_configured(std::slice::from_ref(&reloaded));
        let rules = registry.list();
        assert_eq!(rules.len(), 2, "{rules:?}");
        assert_eq!((rules[0].rule.clone(), rules[0].from_config), (reloaded, true), "the config's rule, first");
        assert_eq!((rules[1].id, rules[1].remaining, rules[1].from_config), (added_id, Some(2), false));
        registry.restore_configured(&[]);
        assert!(registry.take("kasisto", "POST", "/transfer").is_none(), "reset leaves only the config's (none)");
    }

    #[test]
    fn a_rule_with_nothing_to_do_is_refused() {
        let mut rule = status_rule(None);
        rule.respond = None;
        assert!(rule.validate().is_err());
        let mut rule = status_rule(Some(0));
        assert!(rule.validate().is_err());
        rule.times = None;
        rule.respond = Some(FaultResponse::Status(99));
        assert!(rule.validate().is_err());
    }
}
