//! The Transaction and Payment modules: transactions an issuer owes a recipient, paid by wallet
//! (at once), by card or wire (a payment page or wire details, completed asynchronously), or
//! offline, and refunded.

use std::collections::HashMap;
use std::sync::Arc;

use super::{Params, Segment};
use axum::body::Bytes;
use axum::extract::State;

use super::wallet::{check_currency, wire_details};
use super::{body, changed, edited, ok, Caller, Reply};
use crate::providers::particeep::error::{code, ParticeepError};
use crate::providers::particeep::model::{
    PayResult, PaymentCbCreation, PaymentMethod, Transaction, TransactionCreation, TransactionStatus, WalletOperation,
    WalletTransactionStatus,
};
use crate::providers::particeep::query::{required_ids, wire_text, Search};
use crate::providers::particeep::state::check_custom;
use crate::providers::particeep::state::{check_amounts, timestamp, Movement, PendingKind, PendingPayment};
use crate::providers::particeep::Particeep;

fn wrong_status(transaction: &Transaction, action: &str) -> ParticeepError {
    ParticeepError::bad_request(
        code::TRANSACTION_STATUS_INVALID,
        format!("cannot {action} transaction {}: it is {}", transaction.id, wire_text(&transaction.status)),
    )
}

/// `PUT /v1/transaction` (`transaction_created`): `PENDING`; the issuer and the recipient must
/// exist when they are users.
pub async fn create_transaction(State(particeep): State<Arc<Particeep>>, caller: Caller, bytes: Bytes) -> Reply {
    let creation: TransactionCreation = body(&bytes)?;
    check_custom(creation.fields.custom.as_ref())?;
    let fees = creation.fees.unwrap_or(0);
    check_amounts(creation.amount, fees)?;
    let currency = creation.currency.clone().unwrap_or_else(|| "EUR".into());
    check_currency(&currency)?;
    let created_at = match &creation.created_at {
        Some(text) => super::auth::parse_date_time(text)
            .map(timestamp)
            .ok_or_else(|| ParticeepError::bad_request(code::JSON_INVALID, "`created_at` must be an ISO 8601 date"))?,
        None => timestamp(particeep.now()),
    };
    let transaction = particeep.store.with(&caller.key, |consumer| {
        consumer.check_owner(&creation.issuer_id, &creation.issuer_type)?;
        consumer.check_owner(&creation.recipient_id, &creation.recipient_type)?;
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
        consumer.transactions.insert(transaction.id.clone(), transaction.clone());
        Ok::<_, ParticeepError>(transaction)
    })?;
    changed(&particeep, &caller, "transaction_created", &transaction)
}

/// `GET /v1/transaction/{id}`.
pub async fn get_transaction(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(id): Segment<String>,
) -> Reply {
    let transaction = particeep.store.with(&caller.key, |consumer| consumer.transaction(&id).map(|t| t.clone()))?;
    ok(&transaction)
}

/// `GET /v1/transaction?ids=a,b`: those found, in the order asked.
pub async fn transactions_by_ids(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Params(query): Params<HashMap<String, String>>,
) -> Reply {
    let ids = required_ids(&query)?;
    let found: Vec<Transaction> = particeep
        .store
        .with(&caller.key, |consumer| ids.iter().filter_map(|id| consumer.transactions.get(*id).cloned()).collect());
    ok(&found)
}

/// `POST /v1/transaction/{id}` (`transaction_updated`): while `PENDING` and no payment started;
/// the fields sent replace (`null` clears an optional one).
pub async fn update_transaction(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(id): Segment<String>,
    bytes: Bytes,
) -> Reply {
    let updated = particeep.store.with(&caller.key, |consumer| {
        let stored = consumer.transaction(&id)?;
        if stored.status != TransactionStatus::Pending || stored.payment_method.is_some() {
            return Err(wrong_status(stored, "update"));
        }
        let candidate: Transaction = edited(&*stored, &bytes, &["id", "created_at", "status", "payment_method"])?;
        check_custom(candidate.fields.custom.as_ref())?;
        check_amounts(candidate.amount, candidate.fees)?;
        check_currency(&candidate.currency)?;
        consumer.check_owner(&candidate.issuer_id, &candidate.issuer_type)?;
        consumer.check_owner(&candidate.recipient_id, &candidate.recipient_type)?;
        consumer.transactions.insert(id.clone(), candidate.clone());
        Ok(candidate)
    })?;
    changed(&particeep, &caller, "transaction_updated", &updated)
}

/// `GET /v1/transaction/search`: filters `ids`, `status`, `payment_method`, `currency`,
/// `issuer_id`, `issuer_type`, `recipient_id`, `recipient_type`, `fundraise_id`, `item_id`,
/// `amount`, `comment` (contains), `handled_offline`, `created_after`, `created_before`; sorted and
/// paginated.
pub async fn search_transactions(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Params(query): Params<HashMap<String, String>>,
) -> Reply {
    let search = Search::with_dates(&query)?;
    let exact = |name: &str, value: Option<String>| search.exact(name, value.as_deref());
    let rows: Vec<Transaction> = particeep.store.with(&caller.key, |consumer| {
        consumer
            .transactions
            .values()
            .filter(|t| search.has_id(&t.id))
            .filter(|t| exact("status", Some(wire_text(&t.status))))
            .filter(|t| exact("payment_method", t.payment_method.as_ref().map(wire_text)))
            .filter(|t| exact("currency", Some(t.currency.clone())))
            .filter(|t| {
                exact("issuer_id", Some(t.issuer_id.clone())) && exact("issuer_type", Some(t.issuer_type.clone()))
            })
            .filter(|t| {
                exact("recipient_id", Some(t.recipient_id.clone()))
                    && exact("recipient_type", Some(t.recipient_type.clone()))
            })
            .filter(|t| {
                exact("fundraise_id", t.fields.fundraise_id.clone()) && exact("item_id", t.fields.item_id.clone())
            })
            .filter(|t| exact("amount", Some(t.amount.to_string())))
            .filter(|t| exact("handled_offline", Some(t.handled_offline.unwrap_or(false).to_string())))
            .filter(|t| search.contains("comment", t.fields.comment.as_deref()))
            .filter(|t| search.created(&t.created_at))
            .cloned()
            .collect()
    });
    ok(&search.sorted_page(rows)?)
}

/// `DELETE /v1/transaction/{id}/cancel` (`transaction_cancelled`): a `PENDING` transaction (a
/// card or wire payment in progress is dropped).
pub async fn cancel_transaction(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(id): Segment<String>,
) -> Reply {
    let cancelled = particeep.store.with(&caller.key, |consumer| {
        let stored = consumer.transaction(&id)?;
        if stored.status != TransactionStatus::Pending {
            return Err(wrong_status(stored, "cancel"));
        }
        stored.status = TransactionStatus::Cancelled;
        let cancelled = stored.clone();
        consumer.pending_payments.remove(&id);
        Ok(cancelled)
    })?;
    changed(&particeep, &caller, "transaction_cancelled", &cancelled)
}

/// `DELETE /v1/transaction/{id}` (`transaction_deleted`): returns it. A paid transaction
/// (`SUCCEEDED`) cannot be deleted: refund it first.
pub async fn delete_transaction(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(id): Segment<String>,
) -> Reply {
    let deleted = particeep.store.with(&caller.key, |consumer| {
        let stored = consumer.transaction(&id)?;
        if stored.status == TransactionStatus::Succeeded {
            return Err(wrong_status(stored, "delete"));
        }
        consumer.pending_payments.remove(&id);
        consumer.transactions.remove(&id).ok_or_else(|| ParticeepError::not_found(code::TRANSACTION_NONE, id.clone()))
    })?;
    changed(&particeep, &caller, "transaction_deleted", &deleted)
}

/// The transaction to pay: `PENDING` with no payment in progress.
fn payable(
    consumer: &mut crate::providers::particeep::state::ConsumerData,
    id: &str,
) -> Result<Transaction, ParticeepError> {
    let transaction = consumer.transaction(id)?.clone();
    if transaction.status != TransactionStatus::Pending {
        return Err(wrong_status(&transaction, "pay"));
    }
    if consumer.pending_payments.contains_key(id) {
        return Err(ParticeepError::bad_request(
            code::TRANSACTION_PAYMENT_PENDING,
            format!("a payment of transaction {id} is already in progress"),
        ));
    }
    Ok(transaction)
}

/// `POST /v1/payment/wallet/{id}` (`transaction_paid`): from the issuer's wallet to the
/// recipient's, at once: `amount` leaves the issuer's, `amount - fees` reaches the recipient's.
pub async fn pay_by_wallet(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(id): Segment<String>,
) -> Reply {
    let now = timestamp(particeep.now());
    let result = particeep.store.with(&caller.key, |consumer| {
        let transaction = payable(consumer, &id)?;
        let wallet_of = |owner_id: &str, owner_type: &str| {
            consumer.wallet_of(owner_id, owner_type).map(|w| w.id.clone()).ok_or_else(|| {
                ParticeepError::not_found(code::WALLET_NONE, format!("{owner_type} {owner_id} has no wallet"))
            })
        };
        let debited = wallet_of(&transaction.issuer_id, &transaction.issuer_type)?;
        let credited = wallet_of(&transaction.recipient_id, &transaction.recipient_type)?;
        consumer.apply(
            Movement {
                debited: Some(debited),
                credited: Some(credited),
                amount: transaction.amount,
                fees: transaction.fees,
                operation: WalletOperation::WalletPayment,
                status: WalletTransactionStatus::Validated,
                transaction_id: Some(id.clone()),
                bank_account_id: None,
                tag: None,
            },
            &now,
        )?;
        let stored = consumer.transaction(&id)?;
        stored.status = TransactionStatus::Succeeded;
        stored.payment_method = Some(PaymentMethod::Wallet);
        Ok::<_, ParticeepError>(PayResult { transaction: stored.clone(), payment_url: None, bank_account: None })
    })?;
    changed(&particeep, &caller, "transaction_paid", &result)
}

/// `POST /v1/payment/offline/{id}` (`transaction_paid`): paid outside Particeep; no money moves.
pub async fn pay_offline(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(id): Segment<String>,
) -> Reply {
    let result = particeep.store.with(&caller.key, |consumer| {
        payable(consumer, &id)?;
        let stored = consumer.transaction(&id)?;
        stored.status = TransactionStatus::Succeeded;
        stored.handled_offline = Some(true);
        Ok::<_, ParticeepError>(PayResult { transaction: stored.clone(), payment_url: None, bank_account: None })
    })?;
    changed(&particeep, &caller, "transaction_paid", &result)
}

/// `POST /v1/payment/{id}` and `/v1/payment/credit-card/{id}` (`transaction_payment_started`):
/// the transaction stays `PENDING` with a `payment_url`; the outcome comes later
/// (`transaction_succeeded`, crediting the recipient's wallet, or `transaction_payment_failed`).
pub async fn pay_by_card(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(id): Segment<String>,
    bytes: Bytes,
) -> Reply {
    start_payment(particeep, caller, id, &bytes, PaymentMethod::CreditCard).await
}

/// `POST /v1/payment/cash-in/direct/{id}` (`transaction_payment_started`): like a card payment,
/// but the answer carries the wire details (`bank_account`) instead of a payment page.
pub async fn pay_by_wire(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(id): Segment<String>,
    bytes: Bytes,
) -> Reply {
    start_payment(particeep, caller, id, &bytes, PaymentMethod::DirectCashin).await
}

async fn start_payment(
    particeep: Arc<Particeep>,
    caller: Caller,
    id: String,
    bytes: &[u8],
    method: PaymentMethod,
) -> Reply {
    let creation: PaymentCbCreation = body(bytes)?;
    let result = particeep.store.with(&caller.key, |consumer| {
        let transaction = payable(consumer, &id)?;
        consumer.pending_payments.insert(
            id.clone(),
            PendingPayment {
                kind: PendingKind::Transaction,
                amount: transaction.amount,
                accept_url: Some(creation.accept_url.clone()),
                decline_url: Some(creation.decline_url.clone()),
                attempt: uuid::Uuid::new_v4().to_string(),
            },
        );
        let stored = consumer.transaction(&id)?;
        stored.payment_method = Some(method);
        let (payment_url, bank_account) = match method {
            PaymentMethod::DirectCashin => (None, Some(wire_details(&id))),
            _ => (Some(format!("{}/pay/{id}", caller.base_url)), None),
        };
        Ok::<_, ParticeepError>(PayResult { transaction: stored.clone(), payment_url, bank_account })
    })?;
    particeep.schedule_payment(&caller.key, &id, result.transaction.amount);
    changed(&particeep, &caller, "transaction_payment_started", &result)
}

/// `POST /v1/payment/refund/{id}` (`transaction_refunded`): a `SUCCEEDED` transaction becomes
/// `REFUNDED`; what reached the recipient's wallet (`amount - fees`) leaves it (400
/// `error.wallet.balance.insufficient` if it is no longer there) and, for a wallet payment, goes
/// back to the issuer's wallet.
pub async fn refund(State(particeep): State<Arc<Particeep>>, caller: Caller, Segment(id): Segment<String>) -> Reply {
    let now = timestamp(particeep.now());
    let refunded = particeep.store.with(&caller.key, |consumer| {
        let transaction = consumer.transaction(&id)?.clone();
        if transaction.status != TransactionStatus::Succeeded {
            return Err(wrong_status(&transaction, "refund"));
        }
        if transaction.handled_offline != Some(true) {
            let wallet =
                |owner_id: &str, owner_type: &str| consumer.wallet_of(owner_id, owner_type).map(|w| w.id.clone());
            let debited = wallet(&transaction.recipient_id, &transaction.recipient_type);
            let credited = match transaction.payment_method {
                Some(PaymentMethod::Wallet) => wallet(&transaction.issuer_id, &transaction.issuer_type),
                // Card and wire payments go back to where they came from, outside the wallets.
                _ => None,
            };
            if (debited.is_some() || credited.is_some()) && transaction.amount > transaction.fees {
                consumer.apply(
                    Movement {
                        debited,
                        credited,
                        amount: transaction.amount - transaction.fees,
                        fees: 0,
                        operation: WalletOperation::RefundWalletPayment,
                        status: WalletTransactionStatus::Validated,
                        transaction_id: Some(id.clone()),
                        bank_account_id: None,
                        tag: None,
                    },
                    &now,
                )?;
            }
        }
        let stored = consumer.transaction(&id)?;
        stored.status = TransactionStatus::Refunded;
        Ok(stored.clone())
    })?;
    changed(&particeep, &caller, "transaction_refunded", &refunded)
}
