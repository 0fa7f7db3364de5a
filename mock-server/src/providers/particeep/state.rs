//! The Particeep twin's state: per API consumer (each consumer is an application with its own
//! data, as on Particeep), its users, webhooks, recorded events and monthly request count, behind
//! one std `Mutex` (never held across an `.await`).

use std::collections::{BTreeMap, VecDeque};

use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::config::{ConsumerSeed, ParticeepConfig};
use super::error::ParticeepError;
use super::model::{User, WebHook};

/// How many events each consumer keeps (oldest dropped first).
const EVENT_CAPACITY: usize = 1000;

/// All the twin knows.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ParticeepData {
    /// Per API key.
    pub consumers: BTreeMap<String, ConsumerData>,
}

/// One consumer's data.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ConsumerData {
    /// Users by id.
    pub users: BTreeMap<String, StoredUser>,
    /// Webhooks by id.
    pub webhooks: BTreeMap<String, WebHook>,
    /// Recorded events, oldest first.
    pub events: VecDeque<Event>,
    /// Requests in `quota_month`.
    pub quota_used: u64,
    /// The calendar month counted (`2026-11`).
    pub quota_month: String,
}

/// A user and the hash of its password (Particeep never knows passwords; neither does the twin).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredUser {
    /// The user as returned.
    pub user: User,
    /// Salted SHA-256 of the password.
    pub password_hash: String,
}

/// A recorded event: its name and the JSON of the response that caused it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Event {
    /// UUID.
    pub id: String,
    /// `user_deleted`...
    pub name: String,
    /// When.
    pub created_at: String,
    /// The response body of the call that caused it (bare).
    pub body: Value,
}

/// Salted hash of a password.
pub fn password_hash(user_id: &str, password: &str) -> String {
    let digest = Sha256::digest(format!("fintwin-particeep:{user_id}:{password}").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// UTC, second precision, `Z`: how Particeep writes every date.
pub fn timestamp(now: DateTime<Utc>) -> String {
    now.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The store.
pub struct ParticeepStore {
    config: ParticeepConfig,
    data: std::sync::Mutex<ParticeepData>,
}

impl ParticeepStore {
    /// The seeded (empty) state of `config`.
    pub fn new(config: ParticeepConfig) -> Self {
        let data = seed(&config);
        Self { config, data: std::sync::Mutex::new(data) }
    }

    /// The settings in force.
    pub fn config(&self) -> &ParticeepConfig {
        &self.config
    }

    /// The consumer with this key.
    pub fn consumer(&self, key: &str) -> Option<&ConsumerSeed> {
        self.config.consumers.iter().find(|c| c.key == key)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ParticeepData> {
        // Every update is applied whole under the lock: a poisoned lock still holds consistent data.
        self.data.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A copy of everything.
    pub fn snapshot(&self) -> ParticeepData {
        self.lock().clone()
    }

    /// Back to the seed.
    pub fn reset(&self) {
        *self.lock() = seed(&self.config);
    }

    /// Counts a request against the consumer's monthly quota; `Err(seconds to the next month)`
    /// once `quota_max` (not 0) requests were made this month. Returns the count so far.
    pub fn count_request(&self, key: &str, quota_max: u64, now: DateTime<Utc>) -> Result<u64, u64> {
        let month = now.format("%Y-%m").to_string();
        let mut data = self.lock();
        let consumer = data.consumers.entry(key.to_owned()).or_default();
        if consumer.quota_month != month {
            consumer.quota_month = month;
            consumer.quota_used = 0;
        }
        if quota_max > 0 && consumer.quota_used >= quota_max {
            return Err(seconds_to_next_month(now));
        }
        consumer.quota_used += 1;
        Ok(consumer.quota_used)
    }

    /// Runs `change` on the consumer's data under the lock.
    pub fn with<T>(&self, key: &str, change: impl FnOnce(&mut ConsumerData) -> T) -> T {
        let mut data = self.lock();
        change(data.consumers.entry(key.to_owned()).or_default())
    }

    /// Records an event; returns the webhook URL registered for its name, if any.
    pub fn record(&self, key: &str, name: &str, body: &Value, now: DateTime<Utc>) -> Option<String> {
        self.with(key, |consumer| {
            if consumer.events.len() >= EVENT_CAPACITY {
                consumer.events.pop_front();
            }
            consumer.events.push_back(Event {
                id: uuid::Uuid::new_v4().to_string(),
                name: name.to_owned(),
                created_at: timestamp(now),
                body: body.clone(),
            });
            consumer.webhooks.values().find(|w| w.name == name).map(|w| w.url.clone())
        })
    }
}

/// A user of the consumer, or 404 `error.user.none`.
pub fn user<'a>(consumer: &'a mut ConsumerData, id: &str) -> Result<&'a mut StoredUser, ParticeepError> {
    consumer
        .users
        .get_mut(id)
        .ok_or_else(|| ParticeepError::not_found("error.user.none", format!("no user with id {id}")))
}

fn seconds_to_next_month(now: DateTime<Utc>) -> u64 {
    let (year, month) = if now.month() == 12 { (now.year() + 1, 1) } else { (now.year(), now.month() + 1) };
    chrono::NaiveDate::from_ymd_opt(year, month, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map_or(3600, |start| (start.and_utc() - now).num_seconds().max(1).unsigned_abs())
}

fn seed(config: &ParticeepConfig) -> ParticeepData {
    ParticeepData { consumers: config.consumers.iter().map(|c| (c.key.clone(), ConsumerData::default())).collect() }
}
