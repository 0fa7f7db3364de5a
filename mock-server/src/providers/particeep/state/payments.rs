//! Particeep transactions (the Transaction and Payment modules): what an issuer owes a recipient,
//! paid by wallet (at once), by card or wire (pending until its outcome), or offline, and refunded.

use serde_json::Value;

use super::{
    check_amounts, check_currency, check_custom, wire_details, ConsumerData, Movement, PendingKind, PendingPayment,
};
use crate::providers::particeep::error::{code, ParticeepError};
use crate::providers::particeep::model::{
    PayResult, PaymentCbCreation, PaymentMethod, Transaction, TransactionCreation, TransactionStatus, WalletOperation,
    WalletTransactionStatus,
};
use crate::providers::particeep::query::wire_text;

fn wrong_status(transaction: &Transaction, action: &str) -> ParticeepError {
    ParticeepError::bad_request(
        code::TRANSACTION_STATUS_INVALID,
        format!("cannot {action} transaction {}: it is {}", transaction.id, wire_text(&transaction.status)),
    )
}

impl ConsumerData {
    /// A transaction, or 404 `error.transaction.none`.
    pub fn transaction(&mut self, id: &str) -> Result<&mut Transaction, ParticeepError> {
        self.transactions
            .get_mut(id)
            .ok_or_else(|| ParticeepError::not_found(code::TRANSACTION_NONE, format!("no transaction with id {id}")))
    }

    /// A `PENDING` transaction (checked amounts and currency); the issuer and the recipient must
    /// exist when they are users.
    pub fn create_transaction(
        &mut self,
        creation: TransactionCreation,
        fees: i64,
        currency: String,
        created_at: String,
    ) -> Result<Transaction, ParticeepError> {
        self.check_owner(&creation.issuer_id, &creation.issuer_type)?;
        self.check_owner(&creation.recipient_id, &creation.recipient_type)?;
        let transaction = Transaction {
            id: uuid::Uuid::new_v4().to_string(),
            created_at,
            issuer_id: creation.issuer_id,
            issuer_type: creation.issuer_type.to_uppercase(),
            recipient_id: creation.recipient_id,
            recipient_type: creation.recipient_type.to_uppercase(),
            amount: creation.amount,
            fees,
            currency,
            status: TransactionStatus::Pending,
            payment_method: None,
            handled_offline: None,
            fields: creation.fields,
        };
        self.transactions.insert(transaction.id.clone(), transaction.clone());
        Ok(transaction)
    }

    /// The transactions found, in the order asked (unknown ids are left out).
    pub fn transactions_by_ids(&self, ids: &[&str]) -> Vec<Transaction> {
        ids.iter().filter_map(|id| self.transactions.get(*id).cloned()).collect()
    }

    /// Every transaction, for a search to filter.
    pub fn all_transactions(&self) -> impl Iterator<Item = &Transaction> {
        self.transactions.values()
    }

    /// Replaces a transaction with `edit` of it, while `PENDING` and no payment started; the result
    /// is checked as a creation is.
    pub fn update_transaction(
        &mut self,
        id: &str,
        edit: impl FnOnce(&Transaction) -> Result<Transaction, ParticeepError>,
    ) -> Result<Transaction, ParticeepError> {
        let stored = self.transaction(id)?;
        if stored.status != TransactionStatus::Pending || stored.payment_method.is_some() {
            return Err(wrong_status(stored, "update"));
        }
        let candidate = edit(stored)?;
        check_custom(candidate.fields.custom.as_ref())?;
        check_amounts(candidate.amount, candidate.fees)?;
        check_currency(&candidate.currency)?;
        self.check_owner(&candidate.issuer_id, &candidate.issuer_type)?;
        self.check_owner(&candidate.recipient_id, &candidate.recipient_type)?;
        self.transactions.insert(id.to_owned(), candidate.clone());
        Ok(candidate)
    }

    /// Cancels a `PENDING` transaction (a card or wire payment in progress is dropped).
    pub fn cancel_transaction(&mut self, id: &str) -> Result<Transaction, ParticeepError> {
        let stored = self.transaction(id)?;
        if stored.status != TransactionStatus::Pending {
            return Err(wrong_status(stored, "cancel"));
        }
        stored.status = TransactionStatus::Cancelled;
        let cancelled = stored.clone();
        self.pending_payments.remove(id);
        Ok(cancelled)
    }

    /// Deletes a transaction that is not `SUCCEEDED` (refund it first); answers it.
    pub fn delete_transaction(&mut self, id: &str) -> Result<Transaction, ParticeepError> {
        let stored = self.transaction(id)?;
        if stored.status == TransactionStatus::Succeeded {
            return Err(wrong_status(stored, "delete"));
        }
        self.pending_payments.remove(id);
        self.transactions.remove(id).ok_or_else(|| ParticeepError::not_found(code::TRANSACTION_NONE, id.to_owned()))
    }

    /// Deletes every transaction of `ids`, or none: each must exist and not be `SUCCEEDED`.
    pub fn delete_transactions(&mut self, ids: &[&str]) -> Result<Vec<Transaction>, ParticeepError> {
        for id in ids {
            let stored = self.transaction(id)?;
            if stored.status == TransactionStatus::Succeeded {
                return Err(wrong_status(stored, "delete"));
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        ids.iter().filter(|id| seen.insert(**id)).map(|id| self.delete_transaction(id)).collect()
    }

    /// The transaction to pay: `PENDING` with no payment in progress.
    fn payable(&mut self, id: &str) -> Result<Transaction, ParticeepError> {
        let transaction = self.transaction(id)?.clone();
        if transaction.status != TransactionStatus::Pending {
            return Err(wrong_status(&transaction, "pay"));
        }
        if self.pending_payments.contains_key(id) {
            return Err(ParticeepError::bad_request(
                code::TRANSACTION_PAYMENT_PENDING,
                format!("a payment of transaction {id} is already in progress"),
            ));
        }
        Ok(transaction)
    }

    /// Pays from the issuer's wallet to the recipient's, at once: `amount` leaves the issuer's,
    /// `amount - fees` reaches the recipient's.
    pub fn pay_by_wallet(&mut self, id: &str, now: &str) -> Result<PayResult, ParticeepError> {
        let transaction = self.payable(id)?;
        let wallet_of = |owner_id: &str, owner_type: &str| {
            self.wallet_of(owner_id, owner_type).map(|w| w.id.clone()).ok_or_else(|| {
                ParticeepError::not_found(code::WALLET_NONE, format!("{owner_type} {owner_id} has no wallet"))
            })
        };
        let debited = wallet_of(&transaction.issuer_id, &transaction.issuer_type)?;
        let credited = wallet_of(&transaction.recipient_id, &transaction.recipient_type)?;
        self.apply(
            Movement {
                debited: Some(debited),
                credited: Some(credited),
                amount: transaction.amount,
                fees: transaction.fees,
                operation: WalletOperation::WalletPayment,
                status: WalletTransactionStatus::Validated,
                transaction_id: Some(id.to_owned()),
                bank_account_id: None,
                tag: None,
            },
            now,
        )?;
        let stored = self.transaction(id)?;
        stored.status = TransactionStatus::Succeeded;
        stored.payment_method = Some(PaymentMethod::Wallet);
        Ok(PayResult { transaction: stored.clone(), payment_url: None, bank_account: None })
    }

    /// Marks a transaction paid outside Particeep; no money moves.
    pub fn pay_offline(&mut self, id: &str) -> Result<PayResult, ParticeepError> {
        self.payable(id)?;
        let stored = self.transaction(id)?;
        stored.status = TransactionStatus::Succeeded;
        stored.handled_offline = Some(true);
        Ok(PayResult { transaction: stored.clone(), payment_url: None, bank_account: None })
    }

    /// Starts a card or wire payment: the transaction stays `PENDING` with a payment page under
    /// `base_url` (card) or the wire details (wire), and a pending payment waits for its outcome.
    pub fn start_payment(
        &mut self,
        id: &str,
        creation: &PaymentCbCreation,
        method: PaymentMethod,
        base_url: &str,
    ) -> Result<PayResult, ParticeepError> {
        let transaction = self.payable(id)?;
        self.pending_payments.insert(
            id.to_owned(),
            PendingPayment {
                kind: PendingKind::Transaction,
                amount: transaction.amount,
                accept_url: Some(creation.accept_url.clone()),
                decline_url: Some(creation.decline_url.clone()),
                attempt: uuid::Uuid::new_v4().to_string(),
            },
        );
        let stored = self.transaction(id)?;
        stored.payment_method = Some(method);
        let (payment_url, bank_account) = match method {
            PaymentMethod::DirectCashin => (None, Some(wire_details(id))),
            _ => (Some(format!("{base_url}/pay/{id}")), None),
        };
        Ok(PayResult { transaction: stored.clone(), payment_url, bank_account })
    }

    /// Refunds a `SUCCEEDED` transaction: what reached the recipient's wallet (`amount - fees`)
    /// leaves it (400 `error.wallet.balance.insufficient` if it is no longer there) and, for a
    /// wallet payment, goes back to the issuer's wallet.
    pub fn refund(&mut self, id: &str, now: &str) -> Result<Transaction, ParticeepError> {
        let transaction = self.transaction(id)?.clone();
        if transaction.status != TransactionStatus::Succeeded {
            return Err(wrong_status(&transaction, "refund"));
        }
        if transaction.handled_offline != Some(true) {
            let wallet = |owner_id: &str, owner_type: &str| self.wallet_of(owner_id, owner_type).map(|w| w.id.clone());
            let debited = wallet(&transaction.recipient_id, &transaction.recipient_type);
            let credited = match transaction.payment_method {
                Some(PaymentMethod::Wallet) => wallet(&transaction.issuer_id, &transaction.issuer_type),
                // Card and wire payments go back to where they came from, outside the wallets.
                _ => None,
            };
            if (debited.is_some() || credited.is_some()) && transaction.amount > transaction.fees {
                self.apply(
                    Movement {
                        debited,
                        credited,
                        amount: transaction.amount - transaction.fees,
                        fees: 0,
                        operation: WalletOperation::RefundWalletPayment,
                        status: WalletTransactionStatus::Validated,
                        transaction_id: Some(id.to_owned()),
                        bank_account_id: None,
                        tag: None,
                    },
                    now,
                )?;
            }
        }
        let stored = self.transaction(id)?;
        stored.status = TransactionStatus::Refunded;
        Ok(stored.clone())
    }

    /// Completes a pending card or wire payment (`id`: the cash-in's wallet transaction or the
    /// Transaction): success moves the money (a Transaction's reaches the recipient's wallet when
    /// it has one), failure moves none. `attempt` (automatic outcomes) settles only that attempt.
    pub fn settle_pending_payment(
        &mut self,
        id: &str,
        succeeded: bool,
        attempt: Option<&str>,
        now: &str,
    ) -> Result<Settled, ParticeepError> {
        let pending = self
            .pending_payments
            .get(id)
            .filter(|p| attempt.is_none_or(|a| a == p.attempt))
            .cloned()
            .ok_or_else(|| ParticeepError::not_found(code::PAYMENT_NONE, format!("no pending payment for {id}")))?;
        let redirect = if succeeded { pending.accept_url.clone() } else { pending.decline_url.clone() };
        let (event, body) = match pending.kind {
            PendingKind::CashIn => {
                let record = self.settle(id, succeeded, now)?;
                let event = if succeeded { "transaction_wallet_validated" } else { "transaction_wallet_failed" };
                (event, serde_json::to_value(record).unwrap_or_default())
            }
            PendingKind::Transaction => {
                let transaction = self.transaction(id)?.clone();
                if transaction.status != TransactionStatus::Pending {
                    return Err(ParticeepError::bad_request(
                        code::TRANSACTION_STATUS_INVALID,
                        format!("transaction {id} is {:?}, not PENDING", transaction.status),
                    ));
                }
                if succeeded {
                    let operation = match transaction.payment_method {
                        Some(PaymentMethod::DirectCashin) => WalletOperation::CashinTransfer,
                        _ => WalletOperation::CashinCb,
                    };
                    // The money reaches the recipient's wallet when it has one.
                    let credited =
                        self.wallet_of(&transaction.recipient_id, &transaction.recipient_type).map(|w| w.id.clone());
                    if credited.is_some() {
                        self.apply(
                            Movement {
                                debited: None,
                                credited,
                                amount: transaction.amount,
                                fees: transaction.fees,
                                operation,
                                status: WalletTransactionStatus::Validated,
                                transaction_id: Some(id.to_owned()),
                                bank_account_id: None,
                                tag: None,
                            },
                            now,
                        )?;
                    }
                }
                let stored = self.transaction(id)?;
                if succeeded {
                    stored.status = TransactionStatus::Succeeded;
                }
                let event = if succeeded { "transaction_succeeded" } else { "transaction_payment_failed" };
                (event, serde_json::to_value(&*stored).unwrap_or_default())
            }
        };
        self.pending_payments.remove(id);
        Ok(Settled { event, body, redirect })
    }
}

/// What settling a pending payment did: the event to record and where the payer goes next.
pub struct Settled {
    /// `transaction_wallet_validated`, `transaction_succeeded`...
    pub event: &'static str,
    /// The event's JSON.
    pub body: Value,
    /// The payment page's redirect (accept or decline URL), if the payment had one.
    pub redirect: Option<String>,
}
