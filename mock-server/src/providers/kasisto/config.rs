//! Kasisto settings: the secret, token and OTP rules, and the shapes of the seeded customers with
//! their accounts, transactions and payees, merchants and categories. The demo data itself (the
//! built-in default) is in `seed.rs`.

use serde::{Deserialize, Serialize};

use super::model::{AccountType, TransactionStatus, TransactionType};
use crate::behaviour::latency::LatencyConfig;
use crate::behaviour::throttle::ThrottleConfig;

/// The `providers.kasisto` section.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct KasistoConfig {
    /// Serve this provider at all.
    pub enabled: bool,
    /// A port of its own, serving the ten endpoints at `/` there.
    pub port: Option<u16>,
    /// Rate limits, keyed per `token` (or per `secret` for `/token`).
    pub throttle: ThrottleConfig,
    /// Added latency.
    pub latency: LatencyConfig,
    /// The shared secret every request carries in the `secret` header.
    pub secret: String,
    /// How long a token from `/token` or `/validate_otp` stays valid.
    pub token_lifetime_secs: u64,
    /// Whether 200 answers carry a fresh `token` header.
    pub token_rotation: TokenRotation,
    /// One-time password rules.
    pub otp: OtpConfig,
    /// How many more customers to generate from the seed, besides `customers`.
    pub generated_customers: usize,
    /// Customers with their credentials, accounts, transactions and payees.
    pub customers: Vec<CustomerSeed>,
    /// The merchants `/merchants` lists.
    pub merchants: Vec<NamedSeed>,
    /// The categories `/categories` lists.
    pub categories: Vec<NamedSeed>,
}

crate::http_section!(KasistoConfig);

/// Whether and how answers rotate the caller's token.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenRotation {
    /// No `token` response header.
    #[default]
    Off,
    /// A fresh token in the `token` header; the old one keeps working until it expires.
    Rotate,
    /// A fresh token in the `token` header; the old one stops working at once.
    RotateAndRevoke,
}

/// Endpoints that can demand a one-time password (answer 450).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepUpEndpoint {
    /// `/customer`.
    Customer,
    /// `/accounts`.
    Accounts,
    /// `/transactions`.
    Transactions,
    /// `/transfer`.
    Transfer,
    /// `/payment`.
    Payment,
}

impl StepUpEndpoint {
    /// All of them, for a customer who must step up everywhere.
    pub const ALL: [StepUpEndpoint; 5] =
        [Self::Customer, Self::Accounts, Self::Transactions, Self::Transfer, Self::Payment];
}

/// One-time password rules.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OtpConfig {
    /// How long an OTP can be validated (then 452).
    pub lifetime_secs: u64,
    /// Wrong codes allowed: the one that reaches this count answers 453 and kills the OTP.
    pub max_failures: u32,
    /// Digits in a code.
    pub digits: u32,
    /// Endpoints that answer 450 until the token has stepped up, for customers without their own list.
    pub required_for: Vec<StepUpEndpoint>,
}

impl Default for OtpConfig {
    fn default() -> Self {
        Self {
            lifetime_secs: 300,
            max_failures: 3,
            digits: 6,
            required_for: vec![StepUpEndpoint::Transfer, StepUpEndpoint::Payment],
        }
    }
}

/// A customer of the demo bank.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomerSeed {
    /// The Kasisto `user_id`.
    pub user_id: String,
    /// Login for `/token`.
    pub username: String,
    /// Password for `/token`.
    pub password: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// E-mail, sent as `meta` of `/customer`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Where OTPs "are sent" (shown masked in the 450's `otp_details`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mobile_number: Option<String>,
    /// Endpoints that demand an OTP for this customer (overrides `otp.required_for`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub otp_required_for: Option<Vec<StepUpEndpoint>>,
    /// The customer's accounts.
    #[serde(default)]
    pub accounts: Vec<AccountSeed>,
    /// Who the customer can pay.
    #[serde(default)]
    pub payees: Vec<NamedSeed>,
}

/// An account and its history.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountSeed {
    /// Bank-internal id.
    pub account_id: String,
    /// Masked number.
    pub account_number: String,
    /// Name shown to the customer.
    pub account_name: String,
    /// Kind of account.
    pub account_type: AccountType,
    /// ISO currency.
    #[serde(default = "usd")]
    pub currency_code: String,
    /// Balance (negative for money owed on credit accounts).
    pub balance: f64,
    /// Credit limit of credit accounts (available credit = limit + balance).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_limit: Option<f64>,
    /// Interest rate, percent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interest_rate: Option<f64>,
    /// Next payment due (credit and loan accounts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_due_date: Option<String>,
    /// Amount due then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_due_amount: Option<f64>,
    /// Past transactions.
    #[serde(default)]
    pub transactions: Vec<TransactionSeed>,
}

pub(super) fn usd() -> String {
    "USD".into()
}

/// A past transaction.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransactionSeed {
    /// Its id.
    pub transaction_id: String,
    /// Description.
    pub description: String,
    /// Kind.
    pub transaction_type: TransactionType,
    /// Signed amount (negative leaves the account).
    pub amount: f64,
    /// Category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Status.
    #[serde(default = "posted")]
    pub status: TransactionStatus,
    /// Check number, for checks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_number: Option<i32>,
    /// Date (YYYY-MM-DD).
    pub date: String,
}

fn posted() -> TransactionStatus {
    TransactionStatus::Posted
}

/// A merchant, category or payee: an id, a name and other names.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamedSeed {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Other names.
    #[serde(default)]
    pub alias: Vec<String>,
}

impl KasistoConfig {
    /// Checks what types cannot: unique ids and usernames, sane numbers, parseable dates.
    pub fn validate(&self) -> Result<(), (String, String)> {
        if self.secret.is_empty() {
            return Err(("secret".into(), "must not be empty".into()));
        }
        // Lifetimes become dates (now + lifetime): past ten years they would overflow them.
        const TEN_YEARS: u64 = 10 * 365 * 86_400;
        if self.token_lifetime_secs == 0 || self.token_lifetime_secs > TEN_YEARS {
            return Err(("token_lifetime_secs".into(), format!("must be between 1 and {TEN_YEARS} (ten years)")));
        }
        if self.otp.lifetime_secs == 0 || self.otp.lifetime_secs > TEN_YEARS {
            return Err(("otp.lifetime_secs".into(), format!("must be between 1 and {TEN_YEARS} (ten years)")));
        }
        if self.otp.max_failures == 0 {
            return Err(("otp.max_failures".into(), "must be greater than 0".into()));
        }
        if !(4..=10).contains(&self.otp.digits) {
            return Err(("otp.digits".into(), "must be between 4 and 10".into()));
        }
        if self.generated_customers > 10_000 {
            return Err(("generated_customers".into(), "at most 10000".into()));
        }
        let mut user_ids = std::collections::BTreeSet::new();
        let mut usernames = std::collections::BTreeSet::new();
        let mut account_ids = std::collections::BTreeSet::new();
        for (i, customer) in self.customers.iter().enumerate() {
            let key = |field: &str| format!("customers[{i}].{field}");
            if !user_ids.insert(customer.user_id.as_str()) {
                return Err((key("user_id"), format!("`{}` is used twice", customer.user_id)));
            }
            if !usernames.insert(customer.username.as_str()) {
                return Err((key("username"), format!("`{}` is used twice", customer.username)));
            }
            for (j, account) in customer.accounts.iter().enumerate() {
                if !account_ids.insert(account.account_id.as_str()) {
                    return Err((
                        key(&format!("accounts[{j}].account_id")),
                        format!("`{}` is used twice", account.account_id),
                    ));
                }
                if !account.balance.is_finite() {
                    return Err((key(&format!("accounts[{j}].balance")), "must be a finite number".into()));
                }
                for (k, transaction) in account.transactions.iter().enumerate() {
                    if chrono::NaiveDate::parse_from_str(&transaction.date, "%Y-%m-%d").is_err() {
                        return Err((
                            key(&format!("accounts[{j}].transactions[{k}].date")),
                            format!("`{}` is not a YYYY-MM-DD date", transaction.date),
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}
