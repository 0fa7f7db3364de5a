//! Kasisto demo data: the built-in default of the `providers.kasisto` section (the README's demo
//! customers, Joe Tester and Olivia, their accounts and transactions, merchants and categories),
//! and the bank's starting state built from a section: its customers, then more generated from the
//! seed.

use chrono::{Duration, NaiveDate};
use fake::faker::name::en::{FirstName, LastName};
use fake::Fake;
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use super::config::{
    usd, AccountSeed, CustomerSeed, KasistoConfig, NamedSeed, OtpConfig, StepUpEndpoint, TokenRotation, TransactionSeed,
};
use super::model::*;
use super::state::{round_cents, AccountRecord, CustomerRecord, KasistoData};
use crate::behaviour::latency::LatencyConfig;
use crate::behaviour::throttle::{RateLimit, ThrottleConfig};

/// Password of every generated customer.
pub const GENERATED_PASSWORD: &str = "demo-password";

/// The demo shared secret every request carries in the `secret` header.
pub const DEMO_SECRET: &str = "kasisto-demo-secret";

fn named(id: &str, name: &str, alias: &[&str]) -> NamedSeed {
    NamedSeed { id: id.into(), name: name.into(), alias: alias.iter().map(|a| (*a).into()).collect() }
}

fn tx(id: &str, description: &str, kind: TransactionType, amount: f64, category: &str, date: &str) -> TransactionSeed {
    TransactionSeed {
        transaction_id: id.into(),
        description: description.into(),
        transaction_type: kind,
        amount,
        category: Some(category.into()),
        status: TransactionStatus::Posted,
        check_number: None,
        date: date.into(),
    }
}

impl Default for KasistoConfig {
    fn default() -> Self {
        use TransactionType::{Atm, Check, Credit, Debit, Fee, Interest};
        let joe = CustomerSeed {
            user_id: "1234567890".into(),
            username: "joe.tester".into(),
            password: "demo-password".into(),
            first_name: "Joe".into(),
            last_name: "Tester".into(),
            email: Some("joe.tester@someplace.net".into()),
            mobile_number: Some("+1 555 010 1234".into()),
            otp_required_for: None,
            accounts: vec![
                AccountSeed {
                    account_id: "123456789".into(),
                    account_number: "xxxx1234".into(),
                    account_name: "Demo Account A".into(),
                    account_type: AccountType::Checking,
                    currency_code: usd(),
                    balance: 1235.50,
                    credit_limit: None,
                    interest_rate: None,
                    payment_due_date: None,
                    payment_due_amount: None,
                    transactions: vec![
                        tx("t-1001", "Seven Eleven", Debit, -123.0, "food", "2026-10-28"),
                        tx("t-1002", "Payroll ACME Corp", Credit, 2400.0, "income", "2026-10-25"),
                        tx("t-1003", "ATM withdrawal 5th Ave", Atm, -60.0, "cash", "2026-10-20"),
                        TransactionSeed {
                            check_number: Some(1042),
                            ..tx("t-1004", "Check 1042", Check, -350.0, "rent", "2026-10-02")
                        },
                        tx("t-1005", "Monthly service fee", Fee, -4.95, "fees", "2026-10-01"),
                    ],
                },
                AccountSeed {
                    account_id: "987654321".into(),
                    account_number: "xxxx6789".into(),
                    account_name: "Demo Account B".into(),
                    account_type: AccountType::Savings,
                    currency_code: usd(),
                    balance: 1235.50,
                    credit_limit: None,
                    interest_rate: Some(1.25),
                    payment_due_date: None,
                    payment_due_amount: None,
                    transactions: vec![tx("t-2001", "Interest payment", Interest, 1.28, "interest", "2026-10-31")],
                },
            ],
            payees: vec![
                named("payee1", "Joe Payee1", &[]),
                named("payee2", "Joe Payee2", &[]),
                named("payee3", "City Power & Light", &["electricity", "power"]),
            ],
        };
        let olivia = CustomerSeed {
            user_id: "2222222222".into(),
            username: "olivia.otp".into(),
            password: "demo-password".into(),
            first_name: "Olivia".into(),
            last_name: "Otp".into(),
            email: Some("olivia.otp@someplace.net".into()),
            mobile_number: Some("+1 555 010 2222".into()),
            otp_required_for: Some(StepUpEndpoint::ALL.to_vec()),
            accounts: vec![
                AccountSeed {
                    account_id: "222200001".into(),
                    account_number: "xxxx0001".into(),
                    account_name: "Everyday Checking".into(),
                    account_type: AccountType::Checking,
                    currency_code: usd(),
                    balance: 2500.0,
                    credit_limit: None,
                    interest_rate: None,
                    payment_due_date: None,
                    payment_due_amount: None,
                    transactions: vec![tx("t-3001", "Grocery Outlet", Debit, -82.4, "food", "2026-10-27")],
                },
                AccountSeed {
                    account_id: "222200002".into(),
                    account_number: "xxxx0002".into(),
                    account_name: "Rewards Card".into(),
                    account_type: AccountType::CreditCard,
                    currency_code: usd(),
                    balance: -420.0,
                    credit_limit: Some(5000.0),
                    interest_rate: Some(19.99),
                    payment_due_date: Some("2026-12-05".into()),
                    payment_due_amount: Some(35.0),
                    transactions: vec![tx("t-3002", "Airline tickets", Debit, -420.0, "travel", "2026-10-15")],
                },
            ],
            payees: vec![named("payee-olivia-1", "Metro Water", &["water"])],
        };
        Self {
            enabled: true,
            port: None,
            throttle: ThrottleConfig {
                default: Some(RateLimit { per_second: 50.0, burst: 100 }),
                routes: Default::default(),
            },
            latency: LatencyConfig::default(),
            secret: DEMO_SECRET.into(),
            token_lifetime_secs: 3600,
            token_rotation: TokenRotation::Off,
            otp: OtpConfig::default(),
            generated_customers: 3,
            customers: vec![joe, olivia],
            merchants: vec![
                named("123", "Seven Eleven", &["7-Eleven", "7/11"]),
                named("124", "Grocery Outlet", &[]),
                named("125", "ACME Corp", &["ACME"]),
                named("126", "Metro Water", &[]),
            ],
            categories: vec![
                named("123", "Test Category", &[]),
                named("food", "Food & Dining", &["restaurants", "groceries"]),
                named("travel", "Travel", &["flights", "hotels"]),
                named("cash", "Cash & ATM", &["atm"]),
                named("bills", "Bills & Utilities", &["utilities"]),
                named("income", "Income", &["salary", "payroll"]),
                named("fees", "Fees & Charges", &[]),
                named("interest", "Interest", &[]),
                named("transfer", "Transfers", &[]),
                named("rent", "Rent", &["housing"]),
            ],
        }
    }
}

fn entries<T>(seeds: &[NamedSeed], make: impl Fn(String, String, Vec<String>) -> T) -> Vec<T> {
    seeds.iter().map(|s| make(s.id.clone(), s.name.clone(), s.alias.clone())).collect()
}

/// Builds the state of a config: its customers, then `generated_customers` more from the seed.
pub fn seed_data(config: &KasistoConfig, seed: u64) -> KasistoData {
    let mut data = KasistoData {
        merchants: entries(&config.merchants, |merchant_id, name, alias| Merchant { merchant_id, name, alias }),
        categories: entries(&config.categories, |category_id, name, alias| Category { category_id, name, alias }),
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
            password_hash: super::state::password_hash(&seed.user_id, &seed.password),
            mobile_number: seed.mobile_number,
            otp_required_for: seed.otp_required_for.unwrap_or_else(|| config.otp.required_for.clone()),
            payees: entries(&seed.payees, |payee_id, name, alias| Payee { payee_id, name, alias }),
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
