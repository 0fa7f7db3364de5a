//! The Particeep twin's state: per API consumer (each consumer is an application with its own
//! data, as on Particeep), its users, wallets and their ledger, KYC groups, transactions,
//! documents, roles, webhooks, recorded events and monthly request count, behind one std `Mutex`
//! (never held across an `.await`), so every money movement is applied whole or not at all.
//!
//! Each entity's rules are in its own file (`users.rs`, `wallets.rs`, `kyc.rs`, `payments.rs`, ...) as
//! methods of [`ConsumerData`]: handlers take the lock once (`ParticeepStore::with`) and call one.

mod bank_accounts;
mod documents;
mod kyc;
mod payments;
mod recurrences;
mod roles;
mod users;
mod wallets;
mod webhooks;

pub use bank_accounts::check_bank_account;
pub use kyc::{check_kyc_edition, kyc_key, KycDecision, KYC_TYPES};
pub use payments::Settled;
pub use users::{checked_email, password_hash, user};
pub use wallets::{check_amounts, check_currency, no_wallet, wire_details, Movement, PendingCashIn};
pub use webhooks::check_webhook;

use super::config::{ConsumerSeed, ParticeepConfig};
use super::error::{code, ParticeepError};
use super::model::{
    BankAccount, Document, KycGroup, RecurringTransaction, Role, SddMandate, Transaction, TransactionWallet, User,
    Wallet, WebHook,
};
use super::seed::seed_data;
use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;

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
    /// Wallets by id.
    pub wallets: BTreeMap<String, Wallet>,
    /// Bank accounts by id.
    pub bank_accounts: BTreeMap<String, BankAccount>,
    /// Every money movement on wallets, oldest first.
    pub wallet_transactions: Vec<TransactionWallet>,
    /// SEPA direct-debit mandates by id.
    #[serde(default)]
    pub sdd_mandates: BTreeMap<String, SddMandate>,
    /// Recurrences by their parent transaction's id, with how many occurrences ran.
    #[serde(default)]
    pub recurrences: BTreeMap<String, Recurrence>,
    /// Each user's relatives (the SDK's `Relative`: people, not users), as answered.
    #[serde(default)]
    pub relatives: BTreeMap<String, Vec<Value>>,
    /// Each user's related users (`NewRelative`): the other user's id and the role.
    #[serde(default)]
    pub new_relatives: BTreeMap<String, Vec<(String, String)>>,
    /// Organizations (a legal user) by id: their company fields and member links.
    #[serde(default)]
    pub organizations: BTreeMap<String, OrganizationRecord>,
    /// KYC groups by `OWNER_TYPE/owner_id`.
    pub kycs: BTreeMap<String, KycGroup>,
    /// Transactions by id.
    pub transactions: BTreeMap<String, Transaction>,
    /// Documents by id, with their bytes.
    pub documents: BTreeMap<String, StoredDocument>,
    /// Roles by user id.
    pub roles: BTreeMap<String, Vec<Role>>,
    /// Card and wire payments waiting for their outcome, by the id of what they pay.
    pub pending_payments: BTreeMap<String, PendingPayment>,
    /// The latest `askValidation` of each KYC group (a fresh id each time), so an automatic
    /// decision scheduled for one request never decides a later one.
    pub kyc_asks: BTreeMap<String, String>,
    /// Recorded events, oldest first.
    pub events: VecDeque<Event>,
    /// Requests in `quota_month`.
    pub quota_used: u64,
    /// The calendar month counted (`2026-11`).
    pub quota_month: String,
}

/// Work waiting for an automatic outcome, per consumer (`key`).
#[derive(Debug, Clone, PartialEq)]
pub enum Unfinished {
    /// A card payment.
    Payment {
        /// The consumer.
        key: String,
        /// What it pays.
        id: String,
        /// Cents.
        amount: i64,
    },
    /// A KYC group asked to be validated.
    Kyc {
        /// The consumer.
        key: String,
        /// `OWNER_TYPE/owner_id`.
        group_key: String,
        /// The owner's last name (a magic one decides the outcome).
        last_name: Option<String>,
    },
}

/// A user and the hash of its password (Particeep never knows passwords; neither does the twin).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredUser {
    /// The user as returned.
    pub user: User,
    /// Salted SHA-256 of the password.
    pub password_hash: String,
}

/// An organization's company fields (`OrganizationOption`) and its members
/// (`OrganizationUserLink`s), as answered.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct OrganizationRecord {
    /// Its company fields.
    pub fields: serde_json::Map<String, Value>,
    /// Its members.
    pub links: Vec<Value>,
}

/// A recurrence and its progress.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Recurrence {
    /// As answered.
    pub recurring: RecurringTransaction,
    /// The occurrences run so far: their due time and the transaction made.
    pub ran: Vec<(String, String)>,
}

/// A document and its bytes (base64, so the state stays plain JSON).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredDocument {
    /// The document as returned.
    pub document: Document,
    /// The uploaded bytes, base64 (empty for a folder).
    pub content_base64: String,
}

/// What a pending payment pays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PendingKind {
    /// A wallet cash-in (the id is the TransactionWallet's).
    CashIn,
    /// A Transaction paid by card or wire (the id is the Transaction's).
    Transaction,
}

/// A card or wire payment waiting for the payer, the admin API or an automatic outcome.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PendingPayment {
    /// Cash-in or transaction.
    pub kind: PendingKind,
    /// Cents.
    pub amount: i64,
    /// Where the payment page sends the payer after paying.
    pub accept_url: Option<String>,
    /// ... after a refusal.
    pub decline_url: Option<String>,
    /// Tells this payment from a later one of the same transaction, so an automatic outcome
    /// scheduled for it never settles the next.
    pub attempt: String,
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

/// UTC, second precision, `Z`: how Particeep writes every date.
pub fn timestamp(now: DateTime<Utc>) -> String {
    now.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// `custom` must be a JSON object when given (400 `error.custom.not.object`).
pub fn check_custom(custom: Option<&Value>) -> Result<(), ParticeepError> {
    if super::model::custom_is_object(custom) {
        Ok(())
    } else {
        Err(ParticeepError::bad_request(code::CUSTOM_NOT_OBJECT, "`custom` must be a JSON object"))
    }
}

/// The store.
pub struct ParticeepStore {
    // Swapped whole by a `--watch` reload; each read takes the settings in force at that moment.
    config: arc_swap::ArcSwap<ParticeepConfig>,
    data: crate::durable::StateCell<ParticeepData>,
}

impl ParticeepStore {
    /// The seeded (empty) state of `config`.
    pub fn new(config: ParticeepConfig) -> Self {
        let data = seed_data(&config);
        Self { config: arc_swap::ArcSwap::from_pointee(config), data: crate::durable::StateCell::new(data) }
    }

    /// The settings in force.
    pub fn config(&self) -> Arc<ParticeepConfig> {
        self.config.load_full()
    }

    /// The consumer with this key.
    pub fn consumer(&self, key: &str) -> Option<ConsumerSeed> {
        self.config.load().consumers.iter().find(|c| c.key == key).cloned()
    }

    fn lock(&self) -> crate::durable::StateGuard<'_, ParticeepData> {
        self.data.lock()
    }

    /// The data as the `--state-dir` store saves and restores it.
    pub fn durable(&self) -> &dyn crate::durable::Durable {
        &self.data
    }

    /// Work waiting for an automatic outcome: card payments and KYC groups asked to be validated.
    pub fn unfinished(&self) -> Vec<Unfinished> {
        let data = self.lock();
        let mut unfinished = Vec::new();
        for (key, consumer) in &data.consumers {
            for (id, payment) in &consumer.pending_payments {
                unfinished.push(Unfinished::Payment { key: key.clone(), id: id.clone(), amount: payment.amount });
            }
            for group_key in consumer.kyc_asks.keys() {
                let asked = |g: &&KycGroup| g.status == super::model::KycStatus::AskValidation;
                let Some(group) = consumer.kycs.get(group_key).filter(asked) else { continue };
                let last_name = consumer.users.get(&group.owner_id).and_then(|u| u.user.profile.last_name.clone());
                unfinished.push(Unfinished::Kyc { key: key.clone(), group_key: group_key.clone(), last_name });
            }
        }
        unfinished
    }

    /// A copy of everything.
    pub fn snapshot(&self) -> ParticeepData {
        self.lock().clone()
    }

    /// Puts a reloaded config in force: consumers (keys, secrets, quotas, SDK lineage), automatic
    /// KYC and payment outcomes and the rest apply to the next request. Every consumer's data
    /// stays; a consumer the config adds starts empty.
    pub fn reconfigure(&self, config: ParticeepConfig) {
        self.config.store(Arc::new(config));
    }

    /// Back to the seed.
    pub fn reset(&self) {
        *self.lock() = seed_data(&self.config());
    }

    /// Admits a request, in the one critical section every request takes: counts it against the
    /// consumer's monthly quota (`Err(seconds to the next month)` once `quota_max`, not 0, requests
    /// were made this month), and makes the recurring transactions that fell due by `now`.
    /// Returns the count so far and the transactions made (for their events).
    pub fn admit(&self, key: &str, quota_max: u64, now: DateTime<Utc>) -> Result<(u64, Vec<Transaction>), u64> {
        let mut data = self.lock();
        let consumer = data.consumers.entry(key.to_owned()).or_default();
        if !is_month_of(&consumer.quota_month, now) {
            consumer.quota_month = format!("{:04}-{:02}", now.year(), now.month());
            consumer.quota_used = 0;
        }
        if quota_max > 0 && consumer.quota_used >= quota_max {
            return Err(seconds_to_next_month(now));
        }
        consumer.quota_used += 1;
        let due = if consumer.recurrences.is_empty() { Vec::new() } else { consumer.run_due_recurrences(now) };
        Ok((consumer.quota_used, due))
    }

    /// Runs `change` on the consumer's data under the lock.
    pub fn with<T>(&self, key: &str, change: impl FnOnce(&mut ConsumerData) -> T) -> T {
        let mut data = self.lock();
        change(data.consumers.entry(key.to_owned()).or_default())
    }

    /// Runs `find` on each consumer's data in turn (by API key) until it returns `Some`: for admin
    /// controls that name an entity but not its consumer.
    pub fn find_map<T>(&self, mut find: impl FnMut(&str, &mut ConsumerData) -> Option<T>) -> Option<T> {
        let mut data = self.lock();
        data.consumers.iter_mut().find_map(|(key, consumer)| find(key, consumer))
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

/// Whether `month` (`YYYY-MM`, as [`ParticeepStore::admit`] writes it) is `now`'s month:
/// compared as numbers, so that a request in the same month as the last formats nothing.
fn is_month_of(month: &str, now: DateTime<Utc>) -> bool {
    month
        .split_once('-')
        .is_some_and(|(year, number)| year.parse() == Ok(now.year()) && number.parse() == Ok(now.month()))
}

fn seconds_to_next_month(now: DateTime<Utc>) -> u64 {
    let (year, month) = if now.month() == 12 { (now.year() + 1, 1) } else { (now.year(), now.month() + 1) };
    chrono::NaiveDate::from_ymd_opt(year, month, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map_or(3600, |start| (start.and_utc() - now).num_seconds().max(1).unsigned_abs())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).map(|d| d.with_timezone(&Utc)).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn the_quota_counts_within_a_month_and_starts_again_in_the_next() {
        let store = ParticeepStore::new(ParticeepConfig::default());
        assert_eq!(store.admit("k", 2, at("2026-11-01T00:00:00Z")).map(|(used, _)| used), Ok(1));
        assert_eq!(store.admit("k", 2, at("2026-11-30T23:59:59Z")).map(|(used, _)| used), Ok(2));
        // Used up: refused until the first second of December.
        assert_eq!(store.admit("k", 2, at("2026-11-30T23:59:59Z")).map(|(used, _)| used), Err(1));
        assert_eq!(store.admit("k", 2, at("2026-12-01T00:00:00Z")).map(|(used, _)| used), Ok(1));
        // The same month number of another year is another month.
        assert_eq!(store.admit("k", 2, at("2027-12-05T00:00:00Z")).map(|(used, _)| used), Ok(1));
        store.with("k", |consumer| assert_eq!(consumer.quota_month, "2027-12"));
    }

    #[test]
    fn a_month_is_compared_as_year_and_number() {
        let now = at("2026-03-15T12:00:00Z");
        assert!(is_month_of("2026-03", now));
        assert!(!is_month_of("2026-04", now));
        assert!(!is_month_of("2025-03", now));
        assert!(!is_month_of("", now));
        assert!(!is_month_of("garbage", now));
    }
}
