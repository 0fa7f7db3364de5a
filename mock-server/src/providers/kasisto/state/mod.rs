//! The Kasisto bank's state: customers, accounts, transactions, sessions, tokens and OTPs.
//!
//! Plain serde data behind one std `Mutex` (never held across an `.await`): every operation is a
//! short synchronous critical section, which also makes OTP attempts and balance moves atomic.
//!
//! `session.rs` holds logins, tokens and the OTP step-up; `ledger.rs` what customers read and the
//! money they move; the starting state is built in `../seed.rs`.

mod ledger;
mod session;

use super::config::{KasistoConfig, StepUpEndpoint};
use super::model::*;
use super::seed::seed_data;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Every this many tokens issued, expired tokens and empty sessions are swept away.
const SWEEP_EVERY: u64 = 256;

/// All of the bank's data.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct KasistoData {
    /// Customers by `user_id`.
    pub customers: BTreeMap<String, CustomerRecord>,
    /// Accounts by `account_id`.
    pub accounts: BTreeMap<String, AccountRecord>,
    /// Every transaction, oldest first.
    pub transactions: Vec<Transaction>,
    /// Merchants `/merchants` lists.
    pub merchants: Vec<Merchant>,
    /// Categories `/categories` lists.
    pub categories: Vec<Category>,
    /// Login sessions by id.
    pub sessions: BTreeMap<String, Session>,
    /// Tokens by value.
    pub tokens: BTreeMap<String, TokenRecord>,
    /// Transfers and payments made, by id.
    pub movements: BTreeMap<String, Movement>,
    /// Counter behind transfer, payment and reference numbers.
    pub next_reference: u64,
    /// Tokens issued so far (drives the sweep of expired ones).
    pub tokens_issued: u64,
}

/// A customer.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(from = "CustomerRecordSaved")]
pub struct CustomerRecord {
    /// Profile as `/customer` returns it.
    pub profile: Customer,
    /// Login for `/token`.
    pub username: String,
    /// Salted SHA-256 of the password for `/token` ([`password_hash`]): the state, and so
    /// `--state-dir` and `/__admin/state`, never holds the password itself.
    pub password_hash: String,
    /// Where OTPs are "sent".
    pub mobile_number: Option<String>,
    /// Endpoints demanding a stepped-up token.
    pub otp_required_for: Vec<StepUpEndpoint>,
    /// Who the customer can pay.
    pub payees: Vec<Payee>,
}

/// Salted hash of a customer's password (the salt: its `user_id`, unique per customer).
pub fn password_hash(user_id: &str, password: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(format!("fintwin-kasisto:{user_id}:{password}").as_bytes());
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// A customer as saved: stores written before passwords were hashed hold `password`, which is
/// hashed as it is read back.
#[derive(Deserialize)]
struct CustomerRecordSaved {
    profile: Customer,
    username: String,
    #[serde(default)]
    password_hash: Option<String>,
    #[serde(default)]
    password: Option<String>,
    mobile_number: Option<String>,
    otp_required_for: Vec<StepUpEndpoint>,
    payees: Vec<Payee>,
}

impl From<CustomerRecordSaved> for CustomerRecord {
    fn from(saved: CustomerRecordSaved) -> Self {
        let password_hash = match (saved.password_hash, saved.password) {
            (Some(hash), _) => hash,
            (None, password) => password_hash(&saved.profile.user_id, password.as_deref().unwrap_or_default()),
        };
        Self {
            profile: saved.profile,
            username: saved.username,
            password_hash,
            mobile_number: saved.mobile_number,
            otp_required_for: saved.otp_required_for,
            payees: saved.payees,
        }
    }
}

/// An account and its owner.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccountRecord {
    /// The owner's `user_id`.
    pub owner: String,
    /// Credit limit of credit accounts.
    pub credit_limit: Option<f64>,
    /// The account as `/accounts` returns it.
    pub account: Account,
}

/// A login: created by `/token`, holding the OTP of its step-up.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Session {
    /// The customer.
    pub user_id: String,
    /// When `/token` created it.
    pub created_at: DateTime<Utc>,
    /// The latest OTP issued by a 450.
    pub otp: Option<OtpRecord>,
}

/// Where an OTP stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OtpState {
    /// Waiting for `/validate_otp`.
    Pending,
    /// Validated; a stepped-up token was issued.
    Used,
    /// Outlived its lifetime (452).
    Expired,
    /// Too many wrong codes (453).
    Exhausted,
}

/// A one-time password.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OtpRecord {
    /// The code.
    pub code: String,
    /// When the 450 issued it.
    pub issued_at: DateTime<Utc>,
    /// After this, 452.
    pub expires_at: DateTime<Utc>,
    /// Wrong codes so far.
    pub failures: u32,
    /// Where it stands.
    pub state: OtpState,
}

/// A token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TokenRecord {
    /// Its session.
    pub session_id: String,
    /// Its customer.
    pub user_id: String,
    /// Whether it carries a validated OTP (step-up).
    pub elevated: bool,
    /// After this, 403 `token_expired`.
    pub expires_at: DateTime<Utc>,
    /// Revoked by rotation.
    pub revoked: bool,
}

/// A transfer or payment as made.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Movement {
    /// `transfer` or `payment`.
    pub kind: String,
    /// Who made it.
    pub user_id: String,
    /// From where.
    pub source_account_id: String,
    /// To which account or payee.
    pub destination: String,
    /// How much.
    pub amount: f64,
    /// How it ended.
    pub status: MovementStatus,
    /// Why it failed.
    pub reason: Option<String>,
}

/// The caller a valid token identifies.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The token as sent.
    pub token: String,
    /// Its session.
    pub session_id: String,
    /// Its customer.
    pub user_id: String,
    /// Whether it carries a step-up.
    pub elevated: bool,
}

/// What the admin API shows of a customer's current OTP.
#[derive(Debug, Clone, Serialize)]
pub struct OtpView {
    /// The customer.
    pub user_id: String,
    /// The code to type.
    pub otp: String,
    /// Where it stands.
    pub state: OtpState,
    /// When it was issued.
    pub issued_at: DateTime<Utc>,
    /// When it expires.
    pub expires_at: DateTime<Utc>,
    /// Wrong codes so far.
    pub failures: u32,
    /// Wrong codes left before 453.
    pub remaining_attempts: u32,
}

/// The Kasisto store: the data and the rules it is run by.
pub struct KasistoStore {
    // Swapped whole by a `--watch` reload; each read takes the settings in force at that moment.
    config: arc_swap::ArcSwap<KasistoConfig>,
    seed: u64,
    data: crate::durable::StateCell<KasistoData>,
}

pub(crate) fn round_cents(amount: f64) -> f64 {
    (amount * 100.0).round() / 100.0
}

impl KasistoStore {
    /// The seeded state of `config`.
    pub fn new(config: KasistoConfig, seed: u64) -> Self {
        let data = seed_data(&config, seed);
        Self { config: arc_swap::ArcSwap::from_pointee(config), seed, data: crate::durable::StateCell::new(data) }
    }

    /// The settings in force.
    pub fn config(&self) -> Arc<KasistoConfig> {
        self.config.load_full()
    }

    fn lock(&self) -> crate::durable::StateGuard<'_, KasistoData> {
        self.data.lock()
    }

    /// The data as the `--state-dir` store saves and restores it.
    pub fn durable(&self) -> &dyn crate::durable::Durable {
        &self.data
    }

    /// Puts a reloaded config in force: the shared secret, token and OTP rules apply to the next
    /// request. Customers, accounts and sessions are state and stay; a reset seeds them from it.
    pub fn reconfigure(&self, config: KasistoConfig) {
        self.config.store(Arc::new(config));
    }

    /// Back to the seeded state.
    pub fn reset(&self) {
        *self.lock() = seed_data(&self.config(), self.seed);
    }

    /// A copy of the whole state.
    pub fn snapshot(&self) -> KasistoData {
        self.lock().clone()
    }
}

/// The last `n` digits of `text` (an account number shown as `xxxx1234`).
pub(crate) fn last_digits(text: &str, n: usize) -> String {
    let digits: Vec<char> = text.chars().filter(char::is_ascii_digit).collect();
    digits[digits.len().saturating_sub(n)..].iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::providers::kasisto::error::KasistoError;

    fn store() -> KasistoStore {
        KasistoStore::new(KasistoConfig::default(), 7)
    }

    #[test]
    fn a_customer_saved_with_its_password_reads_back_with_the_hash_only() {
        let saved = serde_json::json!({
            "profile": { "user_id": "u1", "full_name": "A B", "first_name": "A", "last_name": "B" },
            "username": "ab", "password": "pw", "mobile_number": null, "otp_required_for": [], "payees": []
        });
        let record: CustomerRecord = serde_json::from_value(saved).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(record.password_hash, password_hash("u1", "pw"));
        let written = serde_json::to_string(&record).unwrap_or_default();
        assert!(!written.contains("\"pw\"") && written.contains("password_hash"), "{written}");
        let again: CustomerRecord = serde_json::from_str(&written).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(again.password_hash, record.password_hash);
    }

    fn login(store: &KasistoStore, user: &str, now: DateTime<Utc>) -> Caller {
        let creds = TokenCredentials { username: Some(user.into()), password: Some("demo-password".into()) };
        let token = store.login(&creds, now).map(|t| t.token).unwrap_or_default();
        store.authorize(Some(&token), now).unwrap_or_else(|e| panic!("{e:?}"))
    }

    #[test]
    fn the_same_seed_generates_the_same_customers() {
        let a = serde_json::to_string(&seed_data(&KasistoConfig::default(), 99).customers).unwrap_or_default();
        let b = serde_json::to_string(&seed_data(&KasistoConfig::default(), 99).customers).unwrap_or_default();
        let c = serde_json::to_string(&seed_data(&KasistoConfig::default(), 100).customers).unwrap_or_default();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn the_failure_that_reaches_the_limit_answers_453_and_kills_the_otp() {
        let store = store();
        let now = Utc::now();
        let caller = login(&store, "joe.tester", now);
        assert!(matches!(
            store.require_step_up(&caller, StepUpEndpoint::Transfer, now),
            Err(KasistoError::OtpRequired { .. })
        ));
        let code = store.current_otp("1234567890", None, now).map(|o| o.otp).unwrap_or_default();
        assert!(matches!(
            store.validate_otp(&caller, "x", now),
            Err(KasistoError::OtpInvalid { remaining_attempts: Some(2), .. })
        ));
        assert!(matches!(
            store.validate_otp(&caller, "x", now),
            Err(KasistoError::OtpInvalid { remaining_attempts: Some(1), .. })
        ));
        assert_eq!(store.validate_otp(&caller, "x", now), Err(KasistoError::OtpTooManyFailures));
        assert_eq!(store.validate_otp(&caller, &code, now), Err(KasistoError::OtpTooManyFailures));
    }

    #[test]
    fn an_overdraft_fails_and_moves_no_money() {
        let store = store();
        let now = Utc::now();
        let caller = login(&store, "joe.tester", now);
        let request = TransferRequest {
            source_account_id: "123456789".into(),
            dest_account_id: "987654321".into(),
            amount: 5000.0,
            currency_code: None,
            date: None,
        };
        let transfer = store.transfer(&caller, &request, now).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(transfer.status, MovementStatus::Failed);
        let balances: Vec<f64> = store.accounts(&caller, None).iter().map(|a| a.available_balance).collect();
        assert_eq!(balances, vec![1235.5, 1235.5]);
    }

    #[test]
    fn a_transfer_moves_money_and_adds_transactions_to_both_accounts() {
        let store = store();
        let now = Utc::now();
        let caller = login(&store, "joe.tester", now);
        let request = TransferRequest {
            source_account_id: "123456789".into(),
            dest_account_id: "987654321".into(),
            amount: 100.25,
            currency_code: Some("USD".into()),
            date: None,
        };
        let transfer = store.transfer(&caller, &request, now).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(transfer.status, MovementStatus::Processed);
        let balances: Vec<f64> = store.accounts(&caller, None).iter().map(|a| a.available_balance).collect();
        assert_eq!(balances, vec![1135.25, 1335.75]);
        let newest = store
            .transactions(&caller, &TransactionCriteria { limit: Some(2), ..Default::default() })
            .unwrap_or_default();
        assert_eq!(newest.len(), 2);
        assert!(newest.iter().all(|t| t.transaction_id.starts_with(&transfer.transfer_id)));
    }
}
