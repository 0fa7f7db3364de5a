//! Particeep recurring transactions: a parent transaction repeated from `start_at` every
//! `frequency` days, `duration` times; each occurrence a new `PENDING` transaction made once the
//! twin's clock reaches it (checked at each request of the consumer, so moving the clock through
//! `POST /__admin/clock` runs what fell due).

use super::*;
use crate::providers::particeep::auth::parse_date_time;
use crate::providers::particeep::error::{code, ParticeepError};
use crate::providers::particeep::model::{RecurringTransactionEdition, TransactionStatus};

fn no_recurrence(id: &str) -> ParticeepError {
    ParticeepError::not_found(code::TRANSACTION_NONE, format!("transaction {id} has no recurrence"))
}

impl ConsumerData {
    /// Creates or changes the recurrence of a transaction.
    pub fn set_recurrence(
        &mut self,
        transaction_id: &str,
        edition: RecurringTransactionEdition,
        now: &str,
    ) -> Result<RecurringTransaction, ParticeepError> {
        let parent = self.transaction(transaction_id)?.clone();
        let bad = |why: &str| ParticeepError::bad_request(code::API_PARAMETER_INVALID, why.to_owned());
        if let Some(start) = &edition.start_at {
            parse_date_time(start).ok_or_else(|| bad("`start_at` must be an ISO 8601 date"))?;
        }
        let existing = self.recurrences.get(transaction_id).map(|r| r.recurring.clone());
        let recurring = RecurringTransaction {
            id: existing.as_ref().map_or_else(|| uuid::Uuid::new_v4().to_string(), |r| r.id.clone()),
            created_at: existing.as_ref().map_or_else(|| now.to_owned(), |r| r.created_at.clone()),
            transaction_id: transaction_id.to_owned(),
            amount: edition.amount.or(existing.as_ref().map(|r| r.amount)).unwrap_or(parent.amount),
            frequency: edition.frequency.or(existing.as_ref().map(|r| r.frequency)).unwrap_or(30),
            start_at: edition.start_at.or(existing.as_ref().and_then(|r| r.start_at.clone())),
            duration: edition.duration.or(existing.as_ref().and_then(|r| r.duration)),
        };
        if recurring.amount <= 0 || recurring.frequency <= 0 || recurring.duration.is_some_and(|d| d <= 0) {
            return Err(bad("`amount`, `frequency` and `duration` must be positive"));
        }
        let ran = self.recurrences.get(transaction_id).map(|r| r.ran.clone()).unwrap_or_default();
        self.recurrences.insert(transaction_id.to_owned(), Recurrence { recurring: recurring.clone(), ran });
        Ok(recurring)
    }

    /// A transaction's recurrence (404 when it has none).
    pub fn recurrence(&self, transaction_id: &str) -> Result<RecurringTransaction, ParticeepError> {
        self.recurrences.get(transaction_id).map(|r| r.recurring.clone()).ok_or_else(|| no_recurrence(transaction_id))
    }

    /// Ends a transaction's recurrence; answers it.
    pub fn delete_recurrence(&mut self, transaction_id: &str) -> Result<RecurringTransaction, ParticeepError> {
        self.recurrences.remove(transaction_id).map(|r| r.recurring).ok_or_else(|| no_recurrence(transaction_id))
    }

    /// Makes every occurrence due by `now`: a `PENDING` copy of its parent for the recurrence's
    /// amount. Returns the transactions made (for their events).
    pub fn run_due_recurrences(&mut self, now: chrono::DateTime<chrono::Utc>) -> Vec<Transaction> {
        let mut made = Vec::new();
        let parents: Vec<String> = self.recurrences.keys().cloned().collect();
        for parent_id in parents {
            // Bounded: an occurrence a run, and at most 1000 at once (a clock moved years ahead).
            for _ in 0..1000 {
                let Some(recurrence) = self.recurrences.get(&parent_id) else { break };
                let recurring = &recurrence.recurring;
                let count = recurrence.ran.len() as i64;
                if recurring.duration.is_some_and(|d| count >= d) {
                    break;
                }
                let start = recurring
                    .start_at
                    .as_deref()
                    .and_then(parse_date_time)
                    .or_else(|| parse_date_time(&recurring.created_at))
                    .unwrap_or(now);
                let due = start + chrono::Duration::days(recurring.frequency.saturating_mul(count));
                if due > now {
                    break;
                }
                let Some(parent) = self.transactions.get(&parent_id).cloned() else { break };
                let occurrence = Transaction {
                    id: uuid::Uuid::new_v4().to_string(),
                    created_at: timestamp(due),
                    amount: recurring.amount,
                    status: TransactionStatus::Pending,
                    payment_method: None,
                    handled_offline: None,
                    ..parent
                };
                self.transactions.insert(occurrence.id.clone(), occurrence.clone());
                if let Some(recurrence) = self.recurrences.get_mut(&parent_id) {
                    recurrence.ran.push((timestamp(due), occurrence.id.clone()));
                }
                made.push(occurrence);
            }
        }
        made
    }

    /// `POST /v1/payment/schedule/pay` (`{parent_id, date}`): the occurrences of `parent_id` due
    /// that day whose transaction was cancelled are made again, `PENDING`; how many.
    pub fn rerun_cancelled(&mut self, parent_id: &str, day: chrono::NaiveDate) -> Result<usize, ParticeepError> {
        let recurrence = self.recurrences.get(parent_id).cloned().ok_or_else(|| no_recurrence(parent_id))?;
        let mut count = 0;
        for (due, id) in &recurrence.ran {
            let on_day = parse_date_time(due).is_some_and(|d| d.date_naive() == day);
            let cancelled = self.transactions.get(id).is_some_and(|t| t.status == TransactionStatus::Cancelled);
            if on_day && cancelled {
                if let Some(transaction) = self.transactions.get_mut(id) {
                    transaction.status = TransactionStatus::Pending;
                    count += 1;
                }
            }
        }
        Ok(count)
    }
}
