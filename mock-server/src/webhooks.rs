//! Outbound webhook delivery, shared by the providers that send them (PTI now, Particeep next):
//! a queue ordered per key (PTI: per user), retries with exponential backoff, and a bounded log of
//! every delivery and attempt served at `GET /__admin/webhooks`.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

/// Retry policy and limits.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WebhookConfig {
    /// Attempts per delivery, the first included.
    pub max_attempts: u32,
    /// Wait before the second attempt; doubled after each failure.
    pub initial_backoff_ms: u64,
    /// Longest wait between attempts.
    pub max_backoff_ms: u64,
    /// How long one attempt may take.
    pub timeout_ms: u64,
    /// Deliveries kept in the log (the oldest finished ones are dropped first).
    pub log_capacity: usize,
}

impl Default for WebhookConfig {
    fn default() -> Self {
        Self {
            max_attempts: 8,
            initial_backoff_ms: 500,
            max_backoff_ms: 30_000,
            timeout_ms: 10_000,
            log_capacity: 1000,
        }
    }
}

/// One message to deliver.
#[derive(Debug, Clone)]
pub struct Outgoing {
    /// The sending provider.
    pub provider: &'static str,
    /// Deliveries with the same key are made one after the other, in order.
    pub ordering_key: String,
    /// Where to POST.
    pub url: String,
    /// Extra headers (`Content-Type: application/json` and `Content-Length` are always sent).
    pub headers: Vec<(String, String)>,
    /// The body, as sent.
    pub body: String,
    /// What the message says, in clear, for the log (never the encrypted body).
    pub summary: serde_json::Value,
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    /// Waiting or being retried.
    Pending,
    /// A 2xx answered.
    Delivered,
    /// Every attempt failed.
    Failed,
    /// Not sent: no URL registered, or the request disabled it (see `note`).
    NotSent,
}

/// One attempt.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Attempt {
    /// 1-based.
    pub number: u32,
    /// When it started (RFC 3339, wall clock).
    pub at: String,
    /// The receiver's status, if it answered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Why it failed without a status (refused, timed out).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// How long it took.
    pub duration_ms: f64,
}

/// A delivery and its attempts.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Delivery {
    /// Increasing id.
    pub id: u64,
    /// The sending provider.
    pub provider: String,
    /// Ordering key (PTI: the user id).
    pub ordering_key: String,
    /// Target URL.
    pub url: String,
    /// The message in clear.
    pub summary: serde_json::Value,
    /// Where it stands.
    pub state: DeliveryState,
    /// Every attempt so far.
    pub attempts: Vec<Attempt>,
    /// Why it was not sent, for `not_sent`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The queue and its log.
pub struct WebhookQueue {
    config: WebhookConfig,
    client: reqwest::Client,
    inner: Mutex<QueueInner>,
}

#[derive(Default)]
struct QueueInner {
    next_id: u64,
    log: VecDeque<Delivery>,
    waiting: HashMap<String, VecDeque<(u64, Outgoing)>>,
    busy: HashSet<String>,
}

impl std::fmt::Debug for WebhookQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookQueue").field("config", &self.config).finish()
    }
}

impl WebhookQueue {
    /// A queue with this policy.
    pub fn new(config: WebhookConfig) -> Self {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_millis(config.timeout_ms))
            .build()
            .unwrap_or_else(|_| reqwest::Client::new());
        Self { config, client, inner: Mutex::new(QueueInner::default()) }
    }

    fn lock(&self) -> MutexGuard<'_, QueueInner> {
        // Every update is a single push or field write: a poisoned lock still holds consistent data.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Queues a message; it is sent after the earlier ones with the same key. Returns its id.
    pub fn enqueue(self: &Arc<Self>, outgoing: Outgoing) -> u64 {
        let (id, key, start_worker) = {
            let mut inner = self.lock();
            inner.next_id += 1;
            let id = inner.next_id;
            let delivery = Delivery {
                id,
                provider: outgoing.provider.to_owned(),
                ordering_key: outgoing.ordering_key.clone(),
                url: outgoing.url.clone(),
                summary: outgoing.summary.clone(),
                state: DeliveryState::Pending,
                attempts: Vec::new(),
                note: None,
            };
            push_bounded(&mut inner.log, delivery, self.config.log_capacity);
            let key = outgoing.ordering_key.clone();
            inner.waiting.entry(key.clone()).or_default().push_back((id, outgoing));
            let start_worker = inner.busy.insert(key.clone());
            (id, key, start_worker)
        };
        if start_worker {
            let queue = Arc::clone(self);
            tokio::spawn(async move { queue.drain(key).await });
        }
        id
    }

    /// Sends the key's messages one by one until none is left.
    async fn drain(self: Arc<Self>, key: String) {
        loop {
            let next = {
                let mut inner = self.lock();
                let next = inner.waiting.get_mut(&key).and_then(VecDeque::pop_front);
                if next.is_none() {
                    // Decided under the lock: an enqueue after this starts a new worker.
                    inner.waiting.remove(&key);
                    inner.busy.remove(&key);
                }
                next
            };
            let Some((id, outgoing)) = next else { return };
            self.deliver(id, &outgoing).await;
        }
    }

    async fn deliver(&self, id: u64, outgoing: &Outgoing) {
        let mut backoff = Duration::from_millis(self.config.initial_backoff_ms);
        for number in 1..=self.config.max_attempts.max(1) {
            let started = Instant::now();
            let at = chrono::Utc::now().to_rfc3339();
            let mut request = self.client.post(&outgoing.url).header("content-type", "application/json");
            for (name, value) in &outgoing.headers {
                request = request.header(name, value);
            }
            // A body of known length: reqwest sends Content-Length, never chunked encoding.
            let result = request.body(outgoing.body.clone()).send().await;
            let (status, error) = match result {
                Ok(response) => (Some(response.status().as_u16()), None),
                Err(err) => (None, Some(describe(&err))),
            };
            let delivered = status.is_some_and(|s| (200..300).contains(&s));
            let attempt = Attempt { number, at, status, error, duration_ms: started.elapsed().as_secs_f64() * 1000.0 };
            let last = number == self.config.max_attempts.max(1);
            self.update(id, |delivery| {
                delivery.attempts.push(attempt);
                if delivered {
                    delivery.state = DeliveryState::Delivered;
                } else if last {
                    delivery.state = DeliveryState::Failed;
                }
            });
            if delivered || last {
                return;
            }
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(Duration::from_millis(self.config.max_backoff_ms));
        }
    }

    fn update(&self, id: u64, change: impl FnOnce(&mut Delivery)) {
        if let Some(delivery) = self.lock().log.iter_mut().find(|d| d.id == id) {
            change(delivery);
        }
    }

    /// Logs a message that is not sent (no URL registered, or disabled by the request), so the
    /// admin API still shows what would have gone out.
    pub fn record_unsent(
        &self,
        provider: &'static str,
        ordering_key: String,
        summary: serde_json::Value,
        note: String,
    ) -> u64 {
        let mut inner = self.lock();
        inner.next_id += 1;
        let id = inner.next_id;
        let delivery = Delivery {
            id,
            provider: provider.to_owned(),
            ordering_key,
            url: String::new(),
            summary,
            state: DeliveryState::NotSent,
            attempts: Vec::new(),
            note: Some(note),
        };
        push_bounded(&mut inner.log, delivery, self.config.log_capacity);
        id
    }

    /// The log, newest first, optionally of one provider.
    pub fn deliveries(&self, provider: Option<&str>) -> Vec<Delivery> {
        self.lock().log.iter().rev().filter(|d| provider.is_none_or(|p| d.provider == p)).cloned().collect()
    }

    /// Forgets finished deliveries (pending ones keep going).
    pub fn clear_log(&self) {
        self.lock().log.retain(|d| d.state == DeliveryState::Pending);
    }
}

/// Keeps the log bounded: drops the oldest finished delivery, or the oldest of all when every
/// one is still pending.
fn push_bounded(log: &mut VecDeque<Delivery>, delivery: Delivery, capacity: usize) {
    if log.len() >= capacity.max(1) {
        match log.iter().position(|d| d.state != DeliveryState::Pending) {
            Some(index) => {
                log.remove(index);
            }
            None => {
                log.pop_front();
            }
        }
    }
    log.push_back(delivery);
}

/// A reqwest error with its causes (the top level alone often says only "error sending request").
pub fn describe(err: &reqwest::Error) -> String {
    let mut text = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        text.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    text
}
