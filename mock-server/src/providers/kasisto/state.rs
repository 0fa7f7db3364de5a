//! The Kasisto bank's state: customers, accounts, transactions, sessions, tokens and OTPs.
//!
//! Plain serde data behind one std `Mutex` (never held across an `.await`): every operation is a
//! short synchronous critical section, which also makes OTP attempts and balance moves atomic.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use fake::faker::name::en::{FirstName, LastName};
use fake::Fake;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde::{Deserialize, Serialize};

use super::config::{CustomerSeed, KasistoConfig, NamedSeed, StepUpEndpoint, TokenRotation};
use super::error::KasistoError;
use super::model::*;
use crate::secret::constant_time_eq;

/// Password of every generated customer.
pub const GENERATED_PASSWORD: &str = "demo-password";

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
pub struct CustomerRecord {
    /// Profile as `/customer` returns it.
    pub profile: Customer,
    /// Login for `/token`.
    pub username: String,
    /// Password for `/token` (redacted in `/__admin/state`).
    pub password: String,
    /// Where OTPs are "sent".
    pub mobile_number: Option<String>,
    /// Endpoints demanding a stepped-up token.
    pub otp_required_for: Vec<StepUpEndpoint>,
    /// Who the customer can pay.
    pub payees: Vec<Payee>,
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
    config: KasistoConfig,
    seed: u64,
    data: crate::durable::StateCell<KasistoData>,
}

fn round_cents(amount: f64) -> f64 {
    (amount * 100.0).round() / 100.0
}

impl KasistoStore {
    /// The seeded state of `config`.
    pub fn new(config: KasistoConfig, seed: u64) -> Self {
        let data = seed_data(&config, seed);
        Self { config, seed, data: crate::durable::StateCell::new(data) }
    }

    /// The settings in force.
    pub fn config(&self) -> &KasistoConfig {
        &self.config
    }

    fn lock(&self) -> crate::durable::StateGuard<'_, KasistoData> {
        self.data.lock()
    }

    /// The data as the `--state-dir` store saves and restores it.
    pub fn durable(&self) -> &dyn crate::durable::Durable {
        &self.data
    }

    /// Back to the seeded state.
    pub fn reset(&self) {
        *self.lock() = seed_data(&self.config, self.seed);
    }

    /// A copy of the whole state.
    pub fn snapshot(&self) -> KasistoData {
        self.lock().clone()
    }

    /// `/token`: checks the credentials and opens a session.
    pub fn login(&self, credentials: &TokenCredentials, now: DateTime<Utc>) -> Result<TokenResponse, KasistoError> {
        let (Some(username), Some(password)) = (credentials.username.as_deref(), credentials.password.as_deref())
        else {
            return Err(KasistoError::InvalidCredentials);
        };
        let mut data = self.lock();
        let user_id = data
            .customers
            .values()
            .find(|c| c.username == username && constant_time_eq(&c.password, password))
            .map(|c| c.profile.user_id.clone())
            .ok_or(KasistoError::InvalidCredentials)?;
        let session_id = uuid::Uuid::new_v4().to_string();
        data.sessions.insert(session_id.clone(), Session { user_id: user_id.clone(), created_at: now, otp: None });
        let token = self.issue_token(&mut data, &session_id, &user_id, false, now);
        Ok(TokenResponse { user_id, token })
    }

    fn issue_token(
        &self,
        data: &mut KasistoData,
        session_id: &str,
        user_id: &str,
        elevated: bool,
        now: DateTime<Utc>,
    ) -> String {
        data.tokens_issued += 1;
        if data.tokens_issued.is_multiple_of(SWEEP_EVERY) {
            data.tokens.retain(|_, t| t.expires_at > now && !t.revoked);
            let live: std::collections::BTreeSet<String> = data.tokens.values().map(|t| t.session_id.clone()).collect();
            data.sessions.retain(|id, _| live.contains(id) || id == session_id);
        }
        let token = uuid::Uuid::new_v4().to_string();
        let lifetime = Duration::seconds(i64::try_from(self.config.token_lifetime_secs).unwrap_or(i64::MAX / 1000));
        data.tokens.insert(
            token.clone(),
            TokenRecord {
                session_id: session_id.to_owned(),
                user_id: user_id.to_owned(),
                elevated,
                expires_at: now + lifetime,
                revoked: false,
            },
        );
        token
    }

    /// Resolves the `token` header to its caller (403 when missing, unknown, revoked or expired).
    pub fn authorize(&self, token: Option<&str>, now: DateTime<Utc>) -> Result<Caller, KasistoError> {
        let token = token
            .filter(|t| !t.is_empty())
            .ok_or_else(|| KasistoError::AccessDenied("the token header is required".into()))?;
        let data = self.lock();
        let record = data.tokens.get(token).ok_or_else(|| KasistoError::AccessDenied("unknown token".into()))?;
        if record.revoked {
            return Err(KasistoError::AccessDenied("this token was replaced by a rotated one".into()));
        }
        if record.expires_at <= now {
            return Err(KasistoError::TokenExpired);
        }
        Ok(Caller {
            token: token.to_owned(),
            session_id: record.session_id.clone(),
            user_id: record.user_id.clone(),
            elevated: record.elevated,
        })
    }

    /// 403 unless `user_id` (when given) is the caller's.
    pub fn check_user(caller: &Caller, user_id: Option<&str>) -> Result<(), KasistoError> {
        match user_id {
            Some(id) if id != caller.user_id => {
                Err(KasistoError::AccessDenied(format!("the token does not belong to user_id {id}")))
            }
            _ => Ok(()),
        }
    }

    /// 450 (issuing a fresh OTP) when `endpoint` demands a step-up the caller's token lacks.
    pub fn require_step_up(
        &self,
        caller: &Caller,
        endpoint: StepUpEndpoint,
        now: DateTime<Utc>,
    ) -> Result<(), KasistoError> {
        if caller.elevated {
            return Ok(());
        }
        let mut data = self.lock();
        let customer =
            data.customers.get(&caller.user_id).ok_or_else(|| KasistoError::AccessDenied("unknown customer".into()))?;
        if !customer.otp_required_for.contains(&endpoint) {
            return Ok(());
        }
        let details = match customer.mobile_number.as_deref() {
            Some(mobile) => format!("sent by SMS to the mobile number ending in {}", last_digits(mobile, 4)),
            None => "sent to the customer's registered device".into(),
        };
        let code = random_code(self.config.otp.digits);
        let lifetime = Duration::seconds(i64::try_from(self.config.otp.lifetime_secs).unwrap_or(i64::MAX / 1000));
        let session = data
            .sessions
            .get_mut(&caller.session_id)
            .ok_or_else(|| KasistoError::AccessDenied("unknown session".into()))?;
        session.otp =
            Some(OtpRecord { code, issued_at: now, expires_at: now + lifetime, failures: 0, state: OtpState::Pending });
        Err(KasistoError::OtpRequired { details })
    }

    /// `/validate_otp`: the right code gives a new, stepped-up token of the same session.
    pub fn validate_otp(
        &self,
        caller: &Caller,
        code: &str,
        now: DateTime<Utc>,
    ) -> Result<ValidateOtpResponse, KasistoError> {
        let max_failures = self.config.otp.max_failures;
        let mut data = self.lock();
        let session = data
            .sessions
            .get_mut(&caller.session_id)
            .ok_or_else(|| KasistoError::AccessDenied("unknown session".into()))?;
        let Some(otp) = session.otp.as_mut() else {
            return Err(KasistoError::OtpInvalid {
                message: "no one-time password is pending for this session (a call answering 450 issues one)".into(),
                remaining_attempts: None,
            });
        };
        match otp.state {
            OtpState::Exhausted => return Err(KasistoError::OtpTooManyFailures),
            OtpState::Expired => return Err(KasistoError::OtpExpired),
            OtpState::Used => {
                return Err(KasistoError::OtpInvalid {
                    message: "this one-time password was already used".into(),
                    remaining_attempts: None,
                })
            }
            OtpState::Pending => {}
        }
        if otp.expires_at <= now {
            otp.state = OtpState::Expired;
            return Err(KasistoError::OtpExpired);
        }
        if !constant_time_eq(&otp.code, code) {
            otp.failures += 1;
            if otp.failures >= max_failures {
                otp.state = OtpState::Exhausted;
                return Err(KasistoError::OtpTooManyFailures);
            }
            return Err(KasistoError::OtpInvalid {
                message: "the one-time password is wrong".into(),
                remaining_attempts: Some(max_failures - otp.failures),
            });
        }
        otp.state = OtpState::Used;
        let token = self.issue_token(&mut data, &caller.session_id, &caller.user_id, true, now);
        Ok(ValidateOtpResponse { user_id: caller.user_id.clone(), token })
    }

    /// A fresh token for the `token` response header, when rotation is on.
    pub fn rotate(&self, caller: &Caller, now: DateTime<Utc>) -> Option<String> {
        if self.config.token_rotation == TokenRotation::Off {
            return None;
        }
        let mut data = self.lock();
        if self.config.token_rotation == TokenRotation::RotateAndRevoke {
            if let Some(old) = data.tokens.get_mut(&caller.token) {
                old.revoked = true;
            }
        }
        Some(self.issue_token(&mut data, &caller.session_id, &caller.user_id, caller.elevated, now))
    }

    /// The customer's most recent OTP (the newest session that has one), or that of the session
    /// `token` belongs to, so parallel flows of one customer each read their own.
    pub fn current_otp(&self, user_id: &str, token: Option<&str>, now: DateTime<Utc>) -> Option<OtpView> {
        let data = self.lock();
        let session = token.map(|t| data.tokens.get(t).map(|record| record.session_id.clone()));
        let otp = data
            .sessions
            .iter()
            .filter(|(id, s)| {
                s.user_id == user_id && session.as_ref().is_none_or(|wanted| wanted.as_ref() == Some(*id))
            })
            .map(|(_, s)| s)
            .filter_map(|s| s.otp.as_ref())
            .max_by_key(|otp| otp.issued_at)?;
        let state = if otp.state == OtpState::Pending && otp.expires_at <= now { OtpState::Expired } else { otp.state };
        Some(OtpView {
            user_id: user_id.to_owned(),
            otp: otp.code.clone(),
            state,
            issued_at: otp.issued_at,
            expires_at: otp.expires_at,
            failures: otp.failures,
            remaining_attempts: self.config.otp.max_failures.saturating_sub(otp.failures),
        })
    }

    /// Whether a customer with this id exists.
    pub fn has_customer(&self, user_id: &str) -> bool {
        self.lock().customers.contains_key(user_id)
    }

    /// `/customer`.
    pub fn customer(&self, caller: &Caller) -> Result<Customer, KasistoError> {
        let data = self.lock();
        data.customers
            .get(&caller.user_id)
            .map(|c| c.profile.clone())
            .ok_or_else(|| KasistoError::AccessDenied("unknown customer".into()))
    }

    /// `/accounts`, optionally one account.
    pub fn accounts(&self, caller: &Caller, account_id: Option<&str>) -> Vec<Account> {
        let data = self.lock();
        data.accounts
            .values()
            .filter(|a| a.owner == caller.user_id && account_id.is_none_or(|id| a.account.account_id == id))
            .map(|a| a.account.clone())
            .collect()
    }

    /// `/transactions`: newest first, of the given accounts (all the customer's when none).
    pub fn transactions(
        &self,
        caller: &Caller,
        criteria: &TransactionCriteria,
    ) -> Result<Vec<Transaction>, KasistoError> {
        let limit = match criteria.limit {
            Some(limit) if limit < 0 => return Err(KasistoError::InvalidRequest("limit must be 0 or more".into())),
            Some(limit) => usize::try_from(limit).unwrap_or(usize::MAX),
            None => usize::MAX,
        };
        let data = self.lock();
        let wanted: Vec<&str> = match criteria.account_ids.as_deref() {
            Some(ids) if !ids.is_empty() => {
                for id in ids {
                    if data.accounts.get(id).is_none_or(|a| a.owner != caller.user_id) {
                        return Err(KasistoError::AccessDenied(format!(
                            "account {id} is not one of this customer's accounts"
                        )));
                    }
                }
                ids.iter().map(String::as_str).collect()
            }
            _ => data
                .accounts
                .values()
                .filter(|a| a.owner == caller.user_id)
                .map(|a| a.account.account_id.as_str())
                .collect(),
        };
        // Stored oldest first; a stable sort by date then keeps later-made ones first within a day.
        let mut found: Vec<Transaction> =
            data.transactions.iter().rev().filter(|t| wanted.contains(&t.account_id.as_str())).cloned().collect();
        found.sort_by(|a, b| b.transaction_date.cmp(&a.transaction_date));
        found.truncate(limit);
        Ok(found)
    }

    /// `/merchants`.
    pub fn merchants(&self) -> Vec<Merchant> {
        self.lock().merchants.clone()
    }

    /// `/categories`.
    pub fn categories(&self) -> Vec<Category> {
        self.lock().categories.clone()
    }

    /// `/payees`.
    pub fn payees(&self, caller: &Caller) -> Vec<Payee> {
        self.lock().customers.get(&caller.user_id).map(|c| c.payees.clone()).unwrap_or_default()
    }

    /// `/transfer` between two of the caller's accounts.
    pub fn transfer(
        &self,
        caller: &Caller,
        request: &TransferRequest,
        now: DateTime<Utc>,
    ) -> Result<Transfer, KasistoError> {
        let amount = checked_amount(request.amount)?;
        let scheduled = scheduled_date(request.date.as_deref(), now)?;
        if request.source_account_id == request.dest_account_id {
            return Err(KasistoError::InvalidRequest(
                "source_account_id and dest_account_id are the same account".into(),
            ));
        }
        let mut data = self.lock();
        let source = owned_account(&data, caller, &request.source_account_id)?;
        let dest = owned_account(&data, caller, &request.dest_account_id)?;
        let failure = if request.currency_code.as_deref().is_some_and(|c| c != source.account.currency_code)
            || source.account.currency_code != dest.account.currency_code
        {
            Some("currency_mismatch")
        } else if scheduled.is_none() && spendable(source) < amount {
            Some("insufficient_funds")
        } else {
            None
        };
        let (source_number, dest_number) = (source.account.account_number.clone(), dest.account.account_number.clone());
        let id = next_id(&mut data, "tr");
        let reference_number = format!("r{:09}", data.next_reference);
        let status = movement_status(failure, scheduled.is_some());
        if status == MovementStatus::Processed {
            let date = now.date_naive().to_string();
            post(&mut data, &request.source_account_id, -amount, &format!("Transfer to {dest_number}"), &id, &date);
            post(&mut data, &request.dest_account_id, amount, &format!("Transfer from {source_number}"), &id, &date);
        }
        data.movements.insert(
            id.clone(),
            Movement {
                kind: "transfer".into(),
                user_id: caller.user_id.clone(),
                source_account_id: request.source_account_id.clone(),
                destination: request.dest_account_id.clone(),
                amount,
                status,
                reason: failure.map(str::to_owned),
            },
        );
        Ok(Transfer { transfer_id: id, reference_number, status, meta: movement_meta(failure, scheduled) })
    }

    /// `/payment` from one of the caller's accounts to one of their payees.
    pub fn payment(
        &self,
        caller: &Caller,
        request: &PaymentRequest,
        now: DateTime<Utc>,
    ) -> Result<Payment, KasistoError> {
        let amount = checked_amount(request.amount)?;
        let scheduled = scheduled_date(request.date.as_deref(), now)?;
        let mut data = self.lock();
        let source = owned_account(&data, caller, &request.source_account_id)?;
        let payee = data
            .customers
            .get(&caller.user_id)
            .and_then(|c| c.payees.iter().find(|p| p.payee_id == request.payee_id))
            .cloned()
            .ok_or_else(|| {
                KasistoError::AccessDenied(format!("payee {} is not one of this customer's payees", request.payee_id))
            })?;
        let failure = if request.currency_code.as_deref().is_some_and(|c| c != source.account.currency_code) {
            Some("currency_mismatch")
        } else if scheduled.is_none() && spendable(source) < amount {
            Some("insufficient_funds")
        } else {
            None
        };
        let id = next_id(&mut data, "pm");
        let reference_number = format!("r{:09}", data.next_reference);
        let status = movement_status(failure, scheduled.is_some());
        if status == MovementStatus::Processed {
            let date = now.date_naive().to_string();
            post(&mut data, &request.source_account_id, -amount, &format!("Payment to {}", payee.name), &id, &date);
        }
        data.movements.insert(
            id.clone(),
            Movement {
                kind: "payment".into(),
                user_id: caller.user_id.clone(),
                source_account_id: request.source_account_id.clone(),
                destination: request.payee_id.clone(),
                amount,
                status,
                reason: failure.map(str::to_owned),
            },
        );
        Ok(Payment { payment_id: id, reference_number, status, meta: movement_meta(failure, scheduled) })
    }
}

fn checked_amount(amount: f64) -> Result<f64, KasistoError> {
    let amount = round_cents(amount);
    if !(amount.is_finite() && amount > 0.0) {
        return Err(KasistoError::InvalidRequest("amount must be a number greater than 0 (at least 0.01)".into()));
    }
    if amount > 1e12 {
        return Err(KasistoError::InvalidRequest("amount is larger than this bank handles".into()));
    }
    Ok(amount)
}

/// `Some(date)` for a future-dated (scheduled) movement, `None` for today or no date.
fn scheduled_date(date: Option<&str>, now: DateTime<Utc>) -> Result<Option<NaiveDate>, KasistoError> {
    let Some(date) = date else { return Ok(None) };
    let date = NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map_err(|_| KasistoError::InvalidRequest(format!("date `{date}` is not a YYYY-MM-DD date")))?;
    Ok((date > now.date_naive()).then_some(date))
}

fn owned_account<'a>(data: &'a KasistoData, caller: &Caller, id: &str) -> Result<&'a AccountRecord, KasistoError> {
    data.accounts
        .get(id)
        .filter(|a| a.owner == caller.user_id)
        .ok_or_else(|| KasistoError::AccessDenied(format!("account {id} is not one of this customer's accounts")))
}

fn spendable(account: &AccountRecord) -> f64 {
    if account.account.account_type.is_credit() {
        account.account.available_credit.unwrap_or(0.0)
    } else {
        account.account.available_balance
    }
}

fn movement_status(failure: Option<&str>, scheduled: bool) -> MovementStatus {
    match (failure, scheduled) {
        (Some(_), _) => MovementStatus::Failed,
        (None, true) => MovementStatus::Pending,
        (None, false) => MovementStatus::Processed,
    }
}

fn movement_meta(failure: Option<&str>, scheduled: Option<NaiveDate>) -> Option<Vec<MetaField>> {
    match (failure, scheduled) {
        (Some(reason), _) => Some(vec![MetaField::new("reason", reason)]),
        (None, Some(date)) => Some(vec![MetaField::new("scheduled_for", date.to_string())]),
        (None, None) => None,
    }
}

fn next_id(data: &mut KasistoData, prefix: &str) -> String {
    data.next_reference += 1;
    format!("{prefix}-{}", data.next_reference)
}

/// Moves `amount` (signed) on an account and records the transaction.
fn post(data: &mut KasistoData, account_id: &str, amount: f64, description: &str, movement_id: &str, date: &str) {
    let Some(record) = data.accounts.get_mut(account_id) else {
        return;
    };
    let account = &mut record.account;
    account.current_balance = round_cents(account.current_balance + amount);
    account.available_balance = round_cents(account.available_balance + amount);
    if let (Some(credit), Some(_)) = (account.available_credit.as_mut(), record.credit_limit) {
        *credit = round_cents(*credit + amount);
    }
    let transaction = Transaction {
        account_id: account_id.to_owned(),
        transaction_id: format!("{movement_id}-{}", if amount < 0.0 { "out" } else { "in" }),
        description: description.to_owned(),
        transaction_type: if amount < 0.0 { TransactionType::Debit } else { TransactionType::Credit },
        amount,
        currency_code: account.currency_code.clone(),
        category: Some("transfer".into()),
        status: TransactionStatus::Posted,
        check_number: None,
        transaction_date: date.to_owned(),
        post_date: Some(date.to_owned()),
        meta: None,
    };
    data.transactions.push(transaction);
}

fn last_digits(text: &str, n: usize) -> String {
    let digits: Vec<char> = text.chars().filter(char::is_ascii_digit).collect();
    digits[digits.len().saturating_sub(n)..].iter().collect()
}

fn random_code(digits: u32) -> String {
    let mut rng = rand::rng();
    (0..digits).map(|_| char::from(b'0' + rng.random_range(0..10u8))).collect()
}

fn named<T>(seeds: &[NamedSeed], make: impl Fn(String, String, Vec<String>) -> T) -> Vec<T> {
    seeds.iter().map(|s| make(s.id.clone(), s.name.clone(), s.alias.clone())).collect()
}

/// Builds the state of a config: its customers, then `generated_customers` more from the seed.
pub fn seed_data(config: &KasistoConfig, seed: u64) -> KasistoData {
    let mut data = KasistoData {
        merchants: named(&config.merchants, |merchant_id, name, alias| Merchant { merchant_id, name, alias }),
        categories: named(&config.categories, |category_id, name, alias| Category { category_id, name, alias }),
        ..KasistoData::default()
    };
    let mut customers = config.customers.clone();
    customers.extend(generate_customers(config, seed));
    for seed_customer in customers {
        add_customer(&mut data, config, seed_customer);
    }
    data
}

fn add_customer(data: &mut KasistoData, config: &KasistoConfig, seed: CustomerSeed) {
    let mut meta = Vec::new();
    if let Some(email) = &seed.email {
        meta.push(MetaField::new("email", email.clone()));
    }
    if let Some(mobile) = &seed.mobile_number {
        meta.push(MetaField::new("mobile_number", mobile.clone()));
    }
    for account in &seed.accounts {
        let credit = account.credit_limit.map(|limit| round_cents(limit + account.balance));
        data.accounts.insert(
            account.account_id.clone(),
            AccountRecord {
                owner: seed.user_id.clone(),
                credit_limit: account.credit_limit,
                account: Account {
                    account_id: account.account_id.clone(),
                    account_number: account.account_number.clone(),
                    account_name: account.account_name.clone(),
                    account_type: account.account_type,
                    currency_code: account.currency_code.clone(),
                    available_balance: account.balance,
                    current_balance: account.balance,
                    available_credit: credit,
                    payment_due_date: account.payment_due_date.clone(),
                    payment_due_amount: account.payment_due_amount,
                    interest_rate: account.interest_rate,
                    meta: None,
                },
            },
        );
        let mut history: Vec<Transaction> = account
            .transactions
            .iter()
            .map(|t| Transaction {
                account_id: account.account_id.clone(),
                transaction_id: t.transaction_id.clone(),
                description: t.description.clone(),
                transaction_type: t.transaction_type,
                amount: t.amount,
                currency_code: account.currency_code.clone(),
                category: t.category.clone(),
                status: t.status,
                check_number: t.check_number,
                transaction_date: t.date.clone(),
                post_date: (t.status == TransactionStatus::Posted).then(|| t.date.clone()),
                meta: None,
            })
            .collect();
        history.sort_by(|a, b| a.transaction_date.cmp(&b.transaction_date));
        data.transactions.extend(history);
    }
    data.customers.insert(
        seed.user_id.clone(),
        CustomerRecord {
            profile: Customer {
                user_id: seed.user_id.clone(),
                full_name: format!("{} {}", seed.first_name, seed.last_name),
                first_name: seed.first_name,
                last_name: seed.last_name,
                meta: (!meta.is_empty()).then_some(meta),
            },
            username: seed.username,
            password: seed.password,
            mobile_number: seed.mobile_number,
            otp_required_for: seed.otp_required_for.unwrap_or_else(|| config.otp.required_for.clone()),
            payees: named(&seed.payees, |payee_id, name, alias| Payee { payee_id, name, alias }),
        },
    );
}

/// Customers made from the seed alone: the same seed gives the same people, accounts and history.
fn generate_customers(config: &KasistoConfig, seed: u64) -> Vec<CustomerSeed> {
    use super::model::AccountType::{Checking, CreditCard, Savings};
    let mut rng = StdRng::seed_from_u64(seed);
    // History is dated back from a fixed day, not from today, so it does not depend on when the
    // mock starts.
    let anchor = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap_or_default();
    let merchants: Vec<&NamedSeed> = config.merchants.iter().collect();
    let categories: Vec<&NamedSeed> = config.categories.iter().collect();
    let mut usernames: std::collections::BTreeSet<String> =
        config.customers.iter().map(|c| c.username.clone()).collect();
    let mut out = Vec::with_capacity(config.generated_customers);
    for index in 1..=config.generated_customers {
        let first: String = FirstName().fake_with_rng(&mut rng);
        let last: String = LastName().fake_with_rng(&mut rng);
        let base = format!("{}.{}", first.to_lowercase(), last.to_lowercase())
            .replace(|c: char| !c.is_ascii_alphanumeric() && c != '.', "");
        let mut username = base.clone();
        let mut n = 1;
        while !usernames.insert(username.clone()) {
            n += 1;
            username = format!("{base}{n}");
        }
        let user_id = format!("{}", 3_000_000_000u64 + index as u64);
        let kinds = [Checking, Savings, CreditCard];
        let account_count = rng.random_range(1..=3usize);
        let accounts = (0..account_count)
            .map(|a| {
                let kind = kinds[a];
                let account_id = format!("{user_id}{a:02}");
                let number: u32 = rng.random_range(1000..10000);
                let credit_limit = (kind == CreditCard).then(|| f64::from(rng.random_range(10..100u32)) * 100.0);
                let balance = match kind {
                    CreditCard => -f64::from(rng.random_range(0..150_000u32)) / 100.0,
                    _ => f64::from(rng.random_range(10_000..2_000_000u32)) / 100.0,
                };
                let transactions = (0..rng.random_range(3..=8usize))
                    .map(|t| {
                        let merchant =
                            merchants.get(rng.random_range(0..merchants.len().max(1))).map(|m| m.name.clone());
                        let category =
                            categories.get(rng.random_range(0..categories.len().max(1))).map(|c| c.id.clone());
                        let days_back = rng.random_range(0..90i64);
                        let amount = -f64::from(rng.random_range(100..50_000u32)) / 100.0;
                        TransactionSeed {
                            transaction_id: format!("t-{account_id}-{t}"),
                            description: merchant.unwrap_or_else(|| "Card purchase".into()),
                            transaction_type: TransactionType::Debit,
                            amount,
                            category,
                            status: TransactionStatus::Posted,
                            check_number: None,
                            date: (anchor - Duration::days(days_back)).to_string(),
                        }
                    })
                    .collect();
                AccountSeed {
                    account_id,
                    account_number: format!("xxxx{number}"),
                    account_name: match kind {
                        Checking => "Checking".into(),
                        Savings => "Savings".into(),
                        _ => "Credit Card".into(),
                    },
                    account_type: kind,
                    currency_code: "USD".into(),
                    balance,
                    credit_limit,
                    interest_rate: (kind != Checking).then_some(if kind == Savings { 1.1 } else { 21.9 }),
                    payment_due_date: None,
                    payment_due_amount: None,
                    transactions,
                }
            })
            .collect();
        let payees = (1..=2)
            .map(|p| NamedSeed { id: format!("payee-{user_id}-{p}"), name: format!("{last} Payee{p}"), alias: vec![] })
            .collect();
        out.push(CustomerSeed {
            user_id,
            email: Some(format!("{username}@example.com")),
            mobile_number: Some(format!("+1 555 01{:05}", rng.random_range(0..100_000u32))),
            username,
            password: GENERATED_PASSWORD.into(),
            first_name: first,
            last_name: last,
            otp_required_for: None,
            accounts,
            payees,
        });
    }
    out
}

use super::config::{AccountSeed, TransactionSeed};

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> KasistoStore {
        KasistoStore::new(KasistoConfig::default(), 7)
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
