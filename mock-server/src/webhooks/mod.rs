//! Outbound webhook delivery, shared by the providers that send them (PTI and Particeep):
//! a queue ordered per key (PTI: per user), retries with exponential backoff, and a bounded log of
//! every delivery and attempt served at `GET /__admin/webhooks`.
//!
//! The queue is bounded (`max_pending`): past it a message is logged as not sent, saying why,
//! rather than memory growing without end while a receiver is down. With `--state-dir`, pending
//! deliveries and their attempts are saved ([`crate::durable`]) and go on after a restart.
//!
//! Over 400 lines: the queue's life (enqueue, drain per key, deliver with retries, resume after a
//! restart, persistence) reads as one; the log's shape and the guard against the twin's own
//! addresses are modules of their own.

mod guard;
mod log;
mod saved;
use log::push_bounded;
pub use log::{describe, Attempt, Delivery, DeliveryState};

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::{Duration, Instant};

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
    /// Deliveries waiting or being retried at once; past it a new message is logged as not sent.
    pub max_pending: usize,
    /// Attempts in flight at once, over every receiver: each holds a connection (a descriptor), so
    /// black-hole receivers cannot take the descriptors honest clients need.
    pub max_in_flight: usize,
}

impl Default for WebhookConfig {
    fn default() -> Self {
        Self {
            max_attempts: 8,
            initial_backoff_ms: 500,
            max_backoff_ms: 30_000,
            timeout_ms: 10_000,
            log_capacity: 1000,
            max_pending: 10_000,
            max_in_flight: 64,
        }
    }
}

/// One message to deliver.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Outgoing {
    /// The sending provider.
    pub provider: String,
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

impl Delivery {
    /// A new delivery of `outgoing`, waiting for its first attempt.
    fn pending(id: u64, outgoing: &Arc<Outgoing>) -> Self {
        Self {
            id,
            provider: outgoing.provider.clone(),
            ordering_key: outgoing.ordering_key.clone(),
            url: outgoing.url.clone(),
            summary: outgoing.summary.clone(),
            state: DeliveryState::Pending,
            attempts: Vec::new(),
            note: None,
            outgoing: Some(outgoing.clone()),
        }
    }
}

/// The queue and its log.
pub struct WebhookQueue {
    config: WebhookConfig,
    // Built on first use or by `warm_up` after the listeners are up, not at start: building it
    // reads the system's CA certificates through OpenSSL (about 130 ms here), which held the
    // twin's first answer back.
    // A client that cannot be built (no TLS backend) fails each attempt with the reason.
    client: OnceLock<Result<reqwest::Client, String>>,
    // The twin's own listening addresses: a delivery there is refused (no SSRF against itself).
    own: guard::OwnAddresses,
    inner: Mutex<QueueInner>,
    // Grows with every change to the pending deliveries (for `--state-dir`); bumped under `inner`.
    generation: AtomicU64,
    // Attempts in flight (`max_in_flight`).
    in_flight: Arc<tokio::sync::Semaphore>,
}

#[derive(Default)]
struct QueueInner {
    next_id: u64,
    log: VecDeque<Delivery>,
    // Ids waiting per ordering key; what each sends is in `pending`.
    waiting: HashMap<String, VecDeque<u64>>,
    busy: HashSet<String>,
    // Every delivery not yet finished, waiting or in flight, with what it sends.
    // (The same `Arc` as the logged delivery's, so a message is held once however it is queued.)
    pending: BTreeMap<u64, Arc<Outgoing>>,
    // Whether the log already warned that the queue is full.
    said_full: bool,
    // Pending deliveries changed since `--state-dir` last saved them, with a change counter
    // (`saved.rs`): a change saves its own record, not the whole queue.
    dirty: BTreeMap<u64, u64>,
    changes: u64,
}

impl QueueInner {
    /// Notes that delivery `id` changed (queued, attempted, finished) for the next save.
    fn touch(&mut self, id: u64) {
        self.changes += 1;
        let counter = self.changes;
        self.dirty.insert(id, counter);
    }
}

/// Why a delivery cannot be sent again.
#[derive(Debug, thiserror::Error)]
pub enum RedeliverError {
    /// Not (or no longer) in the log.
    #[error("no delivery {0} in the log")]
    Unknown(u64),
    /// It had no URL to go to.
    #[error("delivery {0} was never sent (no URL, or the request disabled it): nothing to send again")]
    NeverSent(u64),
}

/// A pending delivery as `--state-dir` keeps it.
#[derive(Serialize, Deserialize)]
struct SavedDelivery {
    delivery: Delivery,
    outgoing: Outgoing,
}

impl std::fmt::Debug for WebhookQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookQueue").field("config", &self.config).finish()
    }
}

impl WebhookQueue {
    /// The HTTP client deliveries go through, built the first time it is needed.
    fn client(&self) -> &Result<reqwest::Client, String> {
        self.client.get_or_init(|| {
            reqwest::Client::builder()
                .timeout(Duration::from_millis(self.config.timeout_ms))
                .build()
                .map_err(|err| format!("the webhook client could not be built: {}", describe(&err)))
        })
    }

    /// Builds the client on a blocking thread, so the first delivery does not wait for it and no
    /// request waits for it either.
    pub fn warm_up(self: &Arc<Self>) {
        let queue = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            queue.client();
        });
    }

    /// A queue with this policy.
    pub fn new(config: WebhookConfig) -> Self {
        let slots = config.max_in_flight.clamp(1, tokio::sync::Semaphore::MAX_PERMITS);
        let in_flight = Arc::new(tokio::sync::Semaphore::new(slots));
        Self {
            config,
            client: OnceLock::new(),
            own: guard::OwnAddresses::default(),
            inner: Mutex::new(QueueInner::default()),
            generation: AtomicU64::new(0),
            in_flight,
        }
    }

    fn lock(&self) -> MutexGuard<'_, QueueInner> {
        // Every update is a single push or field write: a poisoned lock still holds consistent data.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Queues a message; it is sent after the earlier ones with the same key. Returns its id.
    /// When `max_pending` deliveries are already pending it is logged as not sent, saying so.
    pub fn enqueue(self: &Arc<Self>, outgoing: Outgoing) -> u64 {
        self.enqueue_shared(Arc::new(outgoing))
    }

    fn enqueue_shared(self: &Arc<Self>, outgoing: Arc<Outgoing>) -> u64 {
        let (id, key, start_worker) = {
            let mut inner = self.lock();
            inner.next_id += 1;
            let id = inner.next_id;
            let full = inner.pending.len() >= self.config.max_pending;
            let mut delivery = Delivery::pending(id, &outgoing);
            if full {
                delivery.state = DeliveryState::NotSent;
                delivery.note = Some(format!(
                    "the webhook queue is full: {} deliveries pending (webhooks.max_pending); this one was not queued",
                    inner.pending.len()
                ));
            }
            push_bounded(&mut inner.log, delivery, self.config.log_capacity);
            if full {
                // Said once each time the queue fills, not for every message refused while it is.
                if !inner.said_full {
                    inner.said_full = true;
                    tracing::warn!(
                        max_pending = self.config.max_pending,
                        "webhook queue full: new deliveries are logged as not_sent until some finish"
                    );
                }
                return id;
            }
            inner.said_full = false;
            let key = outgoing.ordering_key.clone();
            inner.pending.insert(id, outgoing);
            inner.touch(id);
            inner.waiting.entry(key.clone()).or_default().push_back(id);
            let start_worker = inner.busy.insert(key.clone());
            self.generation.fetch_add(1, Ordering::Release);
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
                loop {
                    match inner.waiting.get_mut(&key).and_then(VecDeque::pop_front) {
                        Some(id) => {
                            if let Some(outgoing) = inner.pending.get(&id) {
                                break Some((id, outgoing.clone()));
                            }
                        }
                        None => {
                            // Decided under the lock: an enqueue after this starts a new worker.
                            inner.waiting.remove(&key);
                            inner.busy.remove(&key);
                            break None;
                        }
                    }
                }
            };
            let Some((id, outgoing)) = next else { return };
            self.deliver(id, &outgoing).await;
        }
    }

    /// Starts a worker for every key with deliveries waiting and none running (after a restart).
    pub fn resume(self: &Arc<Self>) {
        let keys: Vec<String> = {
            let mut inner = self.lock();
            let idle: Vec<String> = inner.waiting.keys().filter(|k| !inner.busy.contains(*k)).cloned().collect();
            inner.busy.extend(idle.iter().cloned());
            idle
        };
        for key in keys {
            let queue = Arc::clone(self);
            tokio::spawn(async move { queue.drain(key).await });
        }
    }

    /// Records the twin's own listening addresses (see [`WebhookQueue::points_at_self`]).
    pub fn set_own_addresses(&self, addresses: Vec<std::net::SocketAddr>) {
        self.own.set(addresses);
    }

    /// Whether `url` is the twin itself (see [`guard::OwnAddresses::contains_url`]).
    pub fn points_at_self(&self, url: &str) -> bool {
        self.own.contains_url(url)
    }

    async fn deliver(&self, id: u64, outgoing: &Outgoing) {
        if self.points_at_self(&outgoing.url) {
            let attempt = Attempt {
                number: 1,
                at: chrono::Utc::now().to_rfc3339(),
                status: None,
                error: Some("refused: the URL is the twin itself".into()),
                duration_ms: 0.0,
            };
            self.update(id, true, |delivery| {
                delivery.attempts.push(attempt);
                delivery.state = DeliveryState::Failed;
            });
            return;
        }
        let mut backoff = Duration::from_millis(self.config.initial_backoff_ms);
        // A delivery read back after a restart goes on with the attempts it has left.
        let made = self.lock().log.iter().find(|d| d.id == id).map_or(0, |d| d.attempts.len());
        let first = u32::try_from(made).unwrap_or(u32::MAX).saturating_add(1);
        for number in first..=self.config.max_attempts.max(first) {
            let started = Instant::now();
            let at = chrono::Utc::now().to_rfc3339();
            let (status, error) = match self.client() {
                Ok(client) => {
                    let mut request = client.post(&outgoing.url).header("content-type", "application/json");
                    for (name, value) in &outgoing.headers {
                        request = request.header(name, value);
                    }
                    // A body of known length: reqwest sends Content-Length, never chunked encoding.
                    let permit = Arc::clone(&self.in_flight).acquire_owned().await;
                    let result = request.body(outgoing.body.clone()).send().await;
                    drop(permit);
                    match result {
                        Ok(response) => (Some(response.status().as_u16()), None),
                        Err(err) => (None, Some(describe(&err))),
                    }
                }
                Err(message) => (None, Some(message.clone())),
            };
            let delivered = status.is_some_and(|s| (200..300).contains(&s));
            let attempt = Attempt { number, at, status, error, duration_ms: started.elapsed().as_secs_f64() * 1000.0 };
            let last = number >= self.config.max_attempts;
            self.update(id, delivered || last, |delivery| {
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

    /// Records an attempt; a `finished` delivery leaves the pending set.
    fn update(&self, id: u64, finished: bool, change: impl FnOnce(&mut Delivery)) {
        let mut inner = self.lock();
        if let Some(delivery) = inner.log.iter_mut().find(|d| d.id == id) {
            change(delivery);
        }
        if finished {
            inner.pending.remove(&id);
        }
        inner.touch(id);
        self.generation.fetch_add(1, Ordering::Release);
    }

    /// Sends a logged delivery again, as a new delivery (after the earlier ones with its key).
    /// Returns the new id; an error when the id is not in the log or it was never sent.
    pub fn redeliver(self: &Arc<Self>, id: u64) -> Result<u64, RedeliverError> {
        let outgoing = {
            let inner = self.lock();
            let delivery = inner.log.iter().find(|d| d.id == id).ok_or(RedeliverError::Unknown(id))?;
            delivery.outgoing.clone().ok_or(RedeliverError::NeverSent(id))?
        };
        let new = self.enqueue_shared(outgoing);
        if let Some(delivery) = self.lock().log.iter_mut().find(|d| d.id == new && d.note.is_none()) {
            delivery.note = Some(format!("redelivery of #{id}"));
        }
        Ok(new)
    }

    /// How many deliveries are waiting or in flight.
    pub fn pending(&self) -> usize {
        self.lock().pending.len()
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
            outgoing: None,
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

#[cfg(test)]
mod tests;
