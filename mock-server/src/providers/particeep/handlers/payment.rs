//! The Transaction and Payment modules' handlers (the rules are in `state/payments.rs`): transactions an issuer owes a recipient, paid by wallet
//! (at once), by card or wire (a payment page or wire details, completed asynchronously), or
//! offline, and refunded.

use std::collections::HashMap;
use std::sync::Arc;

use super::{Params, Segment};
use axum::body::Bytes;
use axum::extract::State;

use super::{body, changed, edited, ok, Caller, Reply};
use crate::providers::particeep::error::{code, ParticeepError};
use crate::providers::particeep::model::{PaymentCbCreation, PaymentMethod, Transaction, TransactionCreation};
use crate::providers::particeep::query::{filter, required_ids, Filter, How, Search};
use crate::providers::particeep::state::{check_amounts, timestamp};
use crate::providers::particeep::state::{check_currency, check_custom};
use crate::providers::particeep::Particeep;
use serde_json::Value;

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
    let transaction = particeep
        .store
        .with(&caller.key, |consumer| consumer.create_transaction(creation, fees, currency, created_at))?;
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
    let found: Vec<Transaction> = particeep.store.with(&caller.key, |consumer| consumer.transactions_by_ids(&ids));
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
    let read_only = ["id", "created_at", "status", "payment_method"];
    let updated = particeep.store.with(&caller.key, |consumer| {
        consumer.update_transaction(&id, |stored: &Transaction| edited(stored, &bytes, &read_only))
    })?;
    changed(&particeep, &caller, "transaction_updated", &updated)
}

/// The filters of `GET /v1/transaction/search`: the 2025 SDK's `TransactionSearch` (the issuer's
/// and recipient's names are read from the users they are).
const TRANSACTION_FILTERS: &[Filter] = &[
    filter("ids", "/id", How::OneOf),
    filter("issuer_id", "/issuer_id", How::Exact),
    filter("issuer_type", "/issuer_type", How::Exact),
    filter("issuer_email", "/issuer_email", How::Contains),
    filter("issuer_first_name", "/issuer_first_name", How::Contains),
    filter("issuer_last_name", "/issuer_last_name", How::Contains),
    filter("issuer_use_name", "/issuer_use_name", How::Contains),
    filter("issuer_company_business_name", "/issuer_company_business_name", How::Contains),
    filter("recipient_id", "/recipient_id", How::Exact),
    filter("recipient_type", "/recipient_type", How::Exact),
    filter("recipient_name", "/recipient_name", How::Contains),
    filter("fundraise_id", "/fundraise_id", How::Exact),
    filter("fundraise_type", "/fundraise_type", How::Exact),
    filter("item_id", "/item_id", How::Exact),
    filter("item_type", "/item_type", How::Exact),
    filter("amount", "/amount", How::Exact),
    filter("fees", "/fees", How::Exact),
    filter("partner_fees", "/partner_fees", How::Exact),
    filter("currency", "/currency", How::Exact),
    filter("status", "/status", How::OneOf),
    filter("control_status", "/control_status", How::OneOf),
    filter("payment_method", "/payment_method", How::OneOf),
    filter("handled_offline", "/handled_offline", How::Exact),
    filter("created_after", "/created_at", How::Since),
    filter("created_before", "/created_at", How::Until),
    filter("signature_succeeded_after", "/signature_succeeded_at", How::Since),
    filter("signature_succeeded_before", "/signature_succeeded_at", How::Until),
    filter("origin_transaction_id", "/origin_transaction_id", How::Exact),
    filter("market_type", "/market_type", How::Exact),
    filter("secondary_market_transaction_type", "/secondary_market_transaction_type", How::Exact),
    filter("tag", "/tag", How::Contains),
    filter("partner_manager_id", "/partner_manager_id", How::Exact),
    filter("partner_manager_company_business_name", "/partner_manager_company_business_name", How::Contains),
    filter("comment", "/comment", How::Contains),
    filter("targeting_roles", "/targeting_roles", How::Has),
    filter("signature_status", "/signature_status", How::OneOf),
];

/// `GET /v1/transaction/search`: every filter of [`TRANSACTION_FILTERS`] (another parameter is
/// 400 naming it), `global_search` (the issuer's and recipient's names, the comment, the tag) and
/// `custom_field` / `custom_value`; sorted and paginated.
pub async fn search_transactions(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Params(query): Params<HashMap<String, String>>,
) -> Reply {
    let search = Search::strict(&query, TRANSACTION_FILTERS, TRANSACTION_GLOBAL)?;
    let rows = particeep.store.with(&caller.key, |consumer| searched_transactions(consumer, &search));
    ok(&search.sorted_page(rows)?)
}

/// The fields `global_search` looks in for transactions.
const TRANSACTION_GLOBAL: &[&str] =
    &["/issuer_email", "/issuer_first_name", "/issuer_last_name", "/recipient_name", "/comment", "/tag"];

/// The transactions `search` keeps, each read with its issuer's e-mail and names and its
/// recipient's name (what the search's name filters look at; the answer is the transaction alone).
fn searched_transactions(
    consumer: &crate::providers::particeep::state::ConsumerData,
    search: &Search<'_>,
) -> Vec<Transaction> {
    let name = |id: &str| {
        consumer.all_users().find(|u| u.id == id).map(|u| {
            let names = [u.profile.first_name.as_deref(), u.profile.last_name.as_deref()];
            (u.email.clone(), names.into_iter().flatten().collect::<Vec<_>>().join(" "), u.profile.clone())
        })
    };
    consumer
        .all_transactions()
        .filter(|t| {
            let mut view = serde_json::to_value(t).unwrap_or_default();
            if let Some(object) = view.as_object_mut() {
                if let Some((email, _, profile)) = name(&t.issuer_id) {
                    object.insert("issuer_email".into(), Value::from(email));
                    object.insert(
                        "issuer_first_name".into(),
                        serde_json::to_value(profile.first_name).unwrap_or_default(),
                    );
                    object
                        .insert("issuer_last_name".into(), serde_json::to_value(profile.last_name).unwrap_or_default());
                }
                let recipient = name(&t.recipient_id).map(|(_, full, _)| full).unwrap_or_else(|| {
                    consumer.wallets.get(&t.recipient_id).and_then(|w| w.company_name.clone()).unwrap_or_default()
                });
                object.insert("recipient_name".into(), Value::from(recipient));
            }
            search.keeps(&view)
        })
        .cloned()
        .collect()
}

/// `GET /v1/transaction/search_stats`: the sums of what the same filters as the search keep
/// (`TransactionSearchStatistics`; the twin models no dismemberment or shares: those are 0).
pub async fn search_stats(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Params(query): Params<HashMap<String, String>>,
) -> Reply {
    let search = Search::strict(&query, TRANSACTION_FILTERS, TRANSACTION_GLOBAL)?;
    let rows = particeep.store.with(&caller.key, |consumer| searched_transactions(consumer, &search));
    ok(&serde_json::json!({
        "amount": rows.iter().map(|t| t.amount).sum::<i64>(),
        "bare_owner_amount": 0,
        "fees": rows.iter().map(|t| t.fees).sum::<i64>(),
        "usufructuary_amount": 0,
        "partner_fees": 0,
        "num_of_shares": 0,
    }))
}

/// `DELETE /v1/transaction/multiple/{ids}` (comma list; `transaction_deleted` each): all or none.
pub async fn delete_transactions(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(ids): Segment<String>,
) -> Reply {
    let ids: Vec<&str> = ids.split(',').map(str::trim).filter(|id| !id.is_empty()).collect();
    if ids.is_empty() {
        return Err(ParticeepError::bad_request(code::API_PARAMETER_MISSING, "no transaction id given"));
    }
    let deleted = particeep.store.with(&caller.key, |consumer| consumer.delete_transactions(&ids))?;
    particeep.emit_all(&caller.key, "transaction_deleted", &deleted);
    ok(&deleted)
}

/// `DELETE /v1/transaction/{id}/cancel` (`transaction_cancelled`): a `PENDING` transaction (a
/// card or wire payment in progress is dropped).
pub async fn cancel_transaction(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(id): Segment<String>,
) -> Reply {
    let cancelled = particeep.store.with(&caller.key, |consumer| consumer.cancel_transaction(&id))?;
    changed(&particeep, &caller, "transaction_cancelled", &cancelled)
}

/// `DELETE /v1/transaction/{id}` (`transaction_deleted`): returns it. A paid transaction
/// (`SUCCEEDED`) cannot be deleted: refund it first.
pub async fn delete_transaction(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(id): Segment<String>,
) -> Reply {
    let deleted = particeep.store.with(&caller.key, |consumer| consumer.delete_transaction(&id))?;
    changed(&particeep, &caller, "transaction_deleted", &deleted)
}

/// `POST /v1/payment/wallet/{id}` (`transaction_paid`): from the issuer's wallet to the
/// recipient's, at once: `amount` leaves the issuer's, `amount - fees` reaches the recipient's.
pub async fn pay_by_wallet(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(id): Segment<String>,
) -> Reply {
    let now = timestamp(particeep.now());
    let result = particeep.store.with(&caller.key, |consumer| consumer.pay_by_wallet(&id, &now))?;
    changed(&particeep, &caller, "transaction_paid", &result)
}

/// `POST /v1/payment/offline/{id}` (`transaction_paid`): paid outside Particeep; no money moves.
pub async fn pay_offline(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(id): Segment<String>,
) -> Reply {
    let result = particeep.store.with(&caller.key, |consumer| consumer.pay_offline(&id))?;
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
    let result = particeep
        .store
        .with(&caller.key, |consumer| consumer.start_payment(&id, &creation, method, &caller.base_url))?;
    particeep.schedule_payment(&caller.key, &id, result.transaction.amount);
    changed(&particeep, &caller, "transaction_payment_started", &result)
}

/// `POST /v1/payment/refund/{id}` (`transaction_refunded`): a `SUCCEEDED` transaction becomes
/// `REFUNDED`; what reached the recipient's wallet (`amount - fees`) leaves it (400
/// `error.wallet.balance.insufficient` if it is no longer there) and, for a wallet payment, goes
/// back to the issuer's wallet.
pub async fn refund(State(particeep): State<Arc<Particeep>>, caller: Caller, Segment(id): Segment<String>) -> Reply {
    let now = timestamp(particeep.now());
    let refunded = particeep.store.with(&caller.key, |consumer| consumer.refund(&id, &now))?;
    changed(&particeep, &caller, "transaction_refunded", &refunded)
}
