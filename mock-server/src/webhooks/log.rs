//! The delivery log: every delivery with its state and attempts, bounded, newest kept.

use super::*;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::sync::Arc;

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
    /// Why it was not sent, for `not_sent`; what it repeats, for a redelivery.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// What was sent, kept while the delivery is in the log so it can be redelivered.
    #[serde(skip)]
    pub(super) outgoing: Option<Arc<Outgoing>>,
}

/// Keeps the log bounded: drops the oldest finished delivery, or the oldest of all when every
/// one is still pending.
pub(super) fn push_bounded(log: &mut VecDeque<Delivery>, delivery: Delivery, capacity: usize) {
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
