//! Kasisto demo data: the built-in default of the `providers.kasisto` section (the README's demo
//! customers, Joe Tester and Olivia, their accounts and transactions, merchants and categories).

use super::config::{
    usd, AccountSeed, CustomerSeed, KasistoConfig, NamedSeed, OtpConfig, StepUpEndpoint, TokenRotation, TransactionSeed,
};
use super::model::{AccountType, TransactionStatus, TransactionType};
use crate::behaviour::latency::LatencyConfig;
use crate::behaviour::throttle::{RateLimit, ThrottleConfig};

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
