//! The merchant backend's state: instances, their tokens and accounts, and the KYC status of each
//! account at each exchange, behind one std `Mutex` (never held across an `.await`).
//!
//! Long-polls wait on a `watch` channel per instance: a status change bumps that instance's
//! counter and wakes exactly its waiters; a waiting request holds no thread and polls nothing.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tokio::sync::watch;

use super::config::{TalerConfig, TokenSeed};
use super::model::{AccountEntry, AccountLimit, MerchantAccountKycRedirect, STATUSES};
use super::seed::seed_data;

mod codec;

pub use codec::{crockford, etag, h_wire, is_hash};

/// All the backend knows.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TalerData {
    /// Instances by id.
    pub instances: BTreeMap<String, InstanceRecord>,
    /// Admin changes asked for with `after_ms` and not yet applied: kept with the rest, so a
    /// restart on the same `--state-dir` still applies them and a reset drops them.
    #[serde(default)]
    pub scheduled: Vec<ScheduledChange>,
    /// The id the next scheduled change gets.
    #[serde(default)]
    pub next_scheduled: u64,
}

/// An admin change waiting for its time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScheduledChange {
    /// Its id: a timer applies the change only while it is still scheduled.
    pub id: u64,
    /// The instance.
    pub instance: String,
    /// When it applies (real time: `after_ms` counts in the real world, not on the twins' clock).
    pub due: chrono::DateTime<chrono::Utc>,
    /// The change.
    pub change: KycChange,
}

/// An instance.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InstanceRecord {
    /// Tokens and their permissions.
    pub tokens: Vec<TokenSeed>,
    /// Bank accounts.
    pub accounts: Vec<AccountEntry>,
    /// KYC status per `h_wire exchange_url`, in account then exchange order.
    pub kyc: BTreeMap<String, MerchantAccountKycRedirect>,
}

/// What a request selects.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only this account.
    pub h_wire: Option<String>,
    /// Only this exchange.
    pub exchange_url: Option<String>,
}

/// A change made through the admin API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KycChange {
    /// The account.
    pub h_wire: String,
    /// The exchange.
    pub exchange_url: String,
    /// The new status.
    pub status: String,
    /// A new access token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token: Option<String>,
    /// New limits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limits: Option<Vec<AccountLimit>>,
    /// The exchange's HTTP status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange_http_status: Option<i64>,
    /// Apply it this many milliseconds later (so one scenario can long-poll for it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_ms: Option<u64>,
}

/// A rendered answer: the entries, the JSON body and its ETag.
#[derive(Debug)]
pub struct Answer {
    /// The selected entries.
    pub entries: Vec<MerchantAccountKycRedirect>,
    /// `MerchantAccountKycRedirectsResponse` as JSON.
    pub body: bytes::Bytes,
    /// Its strong ETag.
    pub etag: String,
}

/// Answers built for (instance, filter) at an instance version.
type AnswerCache = std::collections::HashMap<(String, Option<String>, Option<String>), (u64, std::sync::Arc<Answer>)>;

/// The store.
pub struct TalerStore {
    // Swapped whole by a `--watch` reload; each read takes the settings in force at that moment.
    config: arc_swap::ArcSwap<TalerConfig>,
    data: crate::durable::StateCell<TalerData>,
    waiters: BTreeMap<String, watch::Sender<u64>>,
    // Separate from `data` so building an answer never waits on it; bounded by distinct filters.
    answers: std::sync::Mutex<AnswerCache>,
}

impl TalerStore {
    /// The seeded state of `config`.
    pub fn new(config: TalerConfig) -> Self {
        let data = seed_data(&config);
        let waiters = config.instances.iter().map(|i| (i.id.clone(), watch::channel(0).0)).collect();
        Self {
            config: arc_swap::ArcSwap::from_pointee(config),
            data: crate::durable::StateCell::new(data),
            waiters,
            answers: std::sync::Mutex::default(),
        }
    }

    /// The settings in force.
    pub fn config(&self) -> Arc<TalerConfig> {
        self.config.load_full()
    }

    fn lock(&self) -> crate::durable::StateGuard<'_, TalerData> {
        self.data.lock()
    }

    /// The data as the `--state-dir` store saves and restores it.
    pub fn durable(&self) -> &dyn crate::durable::Durable {
        &self.data
    }

    /// A copy of everything.
    pub fn snapshot(&self) -> TalerData {
        self.lock().clone()
    }

    /// Puts a reloaded config in force: the version, currency, persona, TAN channels and long-poll
    /// cap apply to the next request. Instances, their tokens and KYC records are state and stay
    /// (a reset seeds them from it); answers built under the old settings are dropped.
    pub fn reconfigure(&self, config: TalerConfig) {
        self.config.store(Arc::new(config));
        self.answers.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clear();
    }

    /// Back to the seed; every waiter re-checks.
    pub fn reset(&self) {
        *self.lock() = seed_data(&self.config());
        self.answers.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clear();
        for sender in self.waiters.values() {
            sender.send_modify(|version| *version += 1);
        }
    }

    /// Whether the instance exists.
    pub fn has_instance(&self, instance: &str) -> bool {
        self.lock().instances.contains_key(instance)
    }

    /// The permissions of `token` on `instance`, if it is one of its tokens.
    pub fn permissions(&self, instance: &str, token: &str) -> Option<Vec<String>> {
        let data = self.lock();
        let record = data.instances.get(instance)?;
        record.tokens.iter().find(|t| crate::secret::constant_time_eq(&t.token, token)).map(|t| t.permissions.clone())
    }

    /// A receiver woken by every change of the instance.
    pub fn subscribe(&self, instance: &str) -> Option<watch::Receiver<u64>> {
        self.waiters.get(instance).map(watch::Sender::subscribe)
    }

    /// How many requests wait on an instance (for the state view and benchmarks).
    pub fn waiting(&self, instance: &str) -> usize {
        self.waiters.get(instance).map_or(0, |s| s.receiver_count())
    }

    /// The entries a filter selects.
    pub fn entries(&self, instance: &str, filter: &Filter) -> Vec<MerchantAccountKycRedirect> {
        let data = self.lock();
        let Some(record) = data.instances.get(instance) else { return Vec::new() };
        record
            .kyc
            .values()
            .filter(|e| filter.h_wire.as_deref().is_none_or(|h| h.eq_ignore_ascii_case(&e.h_wire)))
            .filter(|e| filter.exchange_url.as_deref().is_none_or(|u| u == e.exchange_url))
            .cloned()
            .collect()
    }

    /// The answer for a filter at `version` of the instance, built once and shared by every
    /// request that asks for it (a change wakes thousands of long-polls with the same question).
    pub fn answer(&self, instance: &str, filter: &Filter, version: u64) -> std::sync::Arc<Answer> {
        let key = (instance.to_owned(), filter.h_wire.clone(), filter.exchange_url.clone());
        let mut answers = self.answers.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((built, answer)) = answers.get(&key) {
            if *built == version {
                return answer.clone();
            }
        }
        let entries = self.entries(instance, filter);
        let body =
            serde_json::to_vec(&super::model::KycRedirectsResponse { kyc_data: entries.clone() }).unwrap_or_default();
        let answer = std::sync::Arc::new(Answer { etag: etag(&body), entries, body: body.into() });
        if answers.len() > 1024 {
            answers.clear();
        }
        answers.insert(key, (version, answer.clone()));
        answer
    }

    /// The instance's accounts.
    pub fn accounts(&self, instance: &str) -> Vec<AccountEntry> {
        self.lock().instances.get(instance).map(|i| i.accounts.clone()).unwrap_or_default()
    }

    /// Applies an admin change and wakes the instance's waiters.
    pub fn change(&self, instance: &str, change: &KycChange) -> Result<MerchantAccountKycRedirect, String> {
        let updated = apply(&mut self.lock(), instance, change)?;
        self.wake(instance);
        Ok(updated)
    }

    /// Keeps `change` to apply `after` from now; returns the scheduled change. The account must
    /// exist now (a change that could never apply is refused when asked for, not later).
    pub fn schedule(
        &self,
        instance: &str,
        change: &KycChange,
        after: std::time::Duration,
    ) -> Result<ScheduledChange, String> {
        known_status(&change.status)?;
        let mut data = self.lock();
        find_entry(&mut data, instance, change)?;
        let after = chrono::Duration::from_std(after).unwrap_or(chrono::Duration::MAX);
        let now = chrono::Utc::now();
        let scheduled = ScheduledChange {
            id: data.next_scheduled,
            instance: instance.to_owned(),
            due: now.checked_add_signed(after).unwrap_or(chrono::DateTime::<chrono::Utc>::MAX_UTC),
            change: KycChange { after_ms: None, ..change.clone() },
        };
        data.next_scheduled += 1;
        data.scheduled.push(scheduled.clone());
        Ok(scheduled)
    }

    /// The changes still waiting for their time.
    pub fn scheduled(&self) -> Vec<ScheduledChange> {
        self.lock().scheduled.clone()
    }

    /// Applies scheduled change `id`, if it is still scheduled (a reset drops it). An account
    /// gone meanwhile leaves nothing to apply.
    pub fn apply_scheduled(&self, id: u64) -> Option<MerchantAccountKycRedirect> {
        let (instance, updated) = {
            let mut data = self.lock();
            let position = data.scheduled.iter().position(|s| s.id == id)?;
            let scheduled = data.scheduled.remove(position);
            let updated = apply(&mut data, &scheduled.instance, &scheduled.change).ok();
            (scheduled.instance, updated)
        };
        self.wake(&instance);
        updated
    }

    fn wake(&self, instance: &str) {
        if let Some(sender) = self.waiters.get(instance) {
            sender.send_modify(|version| *version += 1);
        }
    }
}

/// Refuses a status the merchant backend does not know, naming the ones it does.
pub fn known_status(status: &str) -> Result<(), String> {
    if STATUSES.contains(&status) {
        Ok(())
    } else {
        Err(format!("`{status}` is not a KYC status ({})", STATUSES.join(", ")))
    }
}

/// The entry a change is about.
fn find_entry<'a>(
    data: &'a mut TalerData,
    instance: &str,
    change: &KycChange,
) -> Result<&'a mut MerchantAccountKycRedirect, String> {
    let record = data.instances.get_mut(instance).ok_or_else(|| format!("no instance {instance}"))?;
    record
        .kyc
        .values_mut()
        .find(|e| e.h_wire.eq_ignore_ascii_case(&change.h_wire) && e.exchange_url == change.exchange_url)
        .ok_or_else(|| format!("instance {instance} has no account {} at {}", change.h_wire, change.exchange_url))
}

/// Applies `change` to `data`; returns the updated entry.
fn apply(data: &mut TalerData, instance: &str, change: &KycChange) -> Result<MerchantAccountKycRedirect, String> {
    known_status(&change.status)?;
    let entry = find_entry(data, instance, change)?;
    entry.status = change.status.clone();
    if let Some(token) = &change.access_token {
        entry.access_token = Some(token.clone());
    }
    if let Some(limits) = &change.limits {
        entry.limits = Some(limits.clone()).filter(|l| !l.is_empty());
    }
    if let Some(status) = change.exchange_http_status {
        entry.exchange_http_status = status;
    }
    Ok(entry.clone())
}

#[cfg(test)]
mod tests;
