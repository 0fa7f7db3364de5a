//! The webhook queue in `--state-dir`: each pending delivery (with its attempts) is a record of its
//! own, so queueing or attempting one saves that one, not the whole queue (3,000 queued events
//! made every create re-save all of them). A store from before keeps the queue as one value; it
//! reads back and is saved record by record from then on.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use super::{push_bounded, Delivery, SavedDelivery, WebhookQueue};
use crate::durable::DurableRecords;

impl WebhookQueue {
    /// The saved form of pending delivery `id`, if it is pending.
    fn saved_form(inner: &super::QueueInner, id: u64) -> Option<SavedDelivery> {
        let outgoing = inner.pending.get(&id)?;
        Some(SavedDelivery {
            // A pending delivery pushed out of a full log is saved without its attempts.
            delivery: inner.log.iter().find(|d| d.id == id).cloned().unwrap_or_else(|| Delivery::pending(id, outgoing)),
            outgoing: super::Outgoing::clone(outgoing),
        })
    }

    /// Takes a saved delivery back into the queue (not sent yet: `resume` starts the workers).
    fn take_back(&self, inner: &mut super::QueueInner, saved: SavedDelivery) {
        let SavedDelivery { mut delivery, outgoing } = saved;
        let id = delivery.id;
        let outgoing = Arc::new(outgoing);
        delivery.outgoing = Some(outgoing.clone());
        inner.next_id = inner.next_id.max(id);
        inner.log.retain(|d| d.id != id);
        push_bounded(&mut inner.log, delivery, self.config.log_capacity);
        inner.waiting.entry(outgoing.ordering_key.clone()).or_default().push_back(id);
        inner.pending.insert(id, outgoing);
    }
}

impl crate::durable::Durable for WebhookQueue {
    fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// The whole queue as one value (what stores before record-by-record saving held).
    fn encode(&self) -> Result<(u64, Vec<u8>), String> {
        let inner = self.lock();
        let generation = self.generation.load(Ordering::Acquire);
        let saved: Vec<SavedDelivery> = inner.pending.keys().filter_map(|id| Self::saved_form(&inner, *id)).collect();
        serde_json::to_vec(&saved).map(|bytes| (generation, bytes)).map_err(|err| err.to_string())
    }

    /// Reads a whole queue (an older store) back; every delivery is then saved as its own record.
    fn restore(&self, bytes: &[u8]) -> Result<(), String> {
        let saved: Vec<SavedDelivery> = serde_json::from_slice(bytes).map_err(|err| err.to_string())?;
        let mut inner = self.lock();
        for delivery in saved {
            let id = delivery.delivery.id;
            self.take_back(&mut inner, delivery);
            inner.touch(id);
        }
        self.generation.fetch_add(1, Ordering::Release);
        Ok(())
    }

    fn records(&self) -> Option<&dyn DurableRecords> {
        Some(self)
    }
}

impl DurableRecords for WebhookQueue {
    fn changed(&self) -> Result<Vec<crate::durable::RecordChange>, String> {
        let inner = self.lock();
        inner
            .dirty
            .iter()
            .map(|(&id, &counter)| {
                let bytes = Self::saved_form(&inner, id)
                    .map(|saved| serde_json::to_vec(&saved).map_err(|err| err.to_string()))
                    .transpose()?;
                Ok((id, counter, bytes))
            })
            .collect()
    }

    fn saved(&self, records: &[(u64, u64)]) {
        let mut inner = self.lock();
        for (id, counter) in records {
            if inner.dirty.get(id) == Some(counter) {
                inner.dirty.remove(id);
            }
        }
    }

    fn restore_records(&self, records: Vec<(u64, Vec<u8>)>) -> Result<(), String> {
        let mut inner = self.lock();
        for (key, bytes) in records {
            let saved: SavedDelivery =
                serde_json::from_slice(&bytes).map_err(|err| format!("delivery {key}: {err}"))?;
            self.take_back(&mut inner, saved);
        }
        self.generation.fetch_add(1, Ordering::Release);
        Ok(())
    }
}
