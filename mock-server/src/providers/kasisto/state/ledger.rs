//! The Kasisto ledger: what a customer reads (profile, accounts, transactions, merchants,
//! categories, payees) and the money movements (transfers and payments), each applied whole or
//! not at all.

use super::*;
use crate::providers::kasisto::error::KasistoError;
use crate::providers::kasisto::model::*;
use chrono::{DateTime, NaiveDate, Utc};

impl KasistoStore {
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
