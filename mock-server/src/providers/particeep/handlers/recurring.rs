//! Particeep's recurring transactions (the 2025 SDK's `RecurringTransactionClient`) and the
//! re-run of cancelled occurrences (`PaymentClient.payCancelledScheduledPayments`). Occurrences
//! fall due on the twin's clock and are made at the consumer's next request.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;

use super::{body, changed, ok, Caller, Params, Reply, Segment};
use crate::providers::particeep::error::{code, ParticeepError};
use crate::providers::particeep::model::{RecurringTransaction, RecurringTransactionEdition};
use crate::providers::particeep::query::{filter, Filter, How, Search};
use crate::providers::particeep::state::timestamp;
use crate::providers::particeep::Particeep;

/// `GET /v1/transaction/recurring/{transaction_id}`.
pub async fn recurrence(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(id): Segment<String>,
) -> Reply {
    ok(&particeep.store.with(&caller.key, |consumer| consumer.recurrence(&id))?)
}

/// `POST /v1/transaction/recurring/{transaction_id}` (`RecurringTransactionEdition`,
/// `transaction_updated`): creates or changes the recurrence (every 30 days, the parent's amount,
/// from now, unbounded, for what is not given).
pub async fn set_recurrence(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(id): Segment<String>,
    bytes: Bytes,
) -> Reply {
    let edition: RecurringTransactionEdition = body(&bytes)?;
    let now = timestamp(particeep.now());
    let recurring = particeep.store.with(&caller.key, |consumer| consumer.set_recurrence(&id, edition, &now))?;
    particeep.run_due(&caller.key);
    changed(&particeep, &caller, "transaction_updated", &recurring)
}

/// `DELETE /v1/transaction/recurring/{transaction_id}`: no further occurrences; answers it.
pub async fn delete_recurrence(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(id): Segment<String>,
) -> Reply {
    ok(&particeep.store.with(&caller.key, |consumer| consumer.delete_recurrence(&id))?)
}

/// The filters of `GET /v1/transaction/recurring/search` (`RecurringTransactionsSearch`).
const RECURRING_FILTERS: &[Filter] = &[
    filter("created_start_date", "/created_at", How::Since),
    filter("created_end_date", "/created_at", How::Until),
    filter("start_date", "/start_at", How::Since),
    filter("end_date", "/start_at", How::Until),
    filter("transaction_id", "/transaction_id", How::Exact),
    filter("amount", "/amount", How::Exact),
    filter("frequency", "/frequency", How::Exact),
    filter("duration", "/duration", How::Exact),
];

/// `GET /v1/transaction/recurring/search`: [`RECURRING_FILTERS`] (another parameter is 400 naming
/// it); sorted and paginated.
pub async fn search_recurrences(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Params(query): Params<HashMap<String, String>>,
) -> Reply {
    let search = Search::strict(&query, RECURRING_FILTERS, &["/transaction_id"])?;
    let rows: Vec<RecurringTransaction> = particeep.store.with(&caller.key, |consumer| {
        consumer
            .recurrences
            .values()
            .map(|r| r.recurring.clone())
            .filter(|r| search.keeps(&serde_json::to_value(r).unwrap_or_default()))
            .collect()
    });
    ok(&search.sorted_page(rows)?)
}

/// `POST /v1/payment/schedule/pay` (`{parent_id, date}`): the cancelled occurrences of that parent
/// due that day are `PENDING` again, to be paid; answers how many (as text, the SDK reads a
/// `String`). Our reading: Particeep does not say more.
pub async fn pay_cancelled(State(particeep): State<Arc<Particeep>>, caller: Caller, bytes: Bytes) -> Reply {
    #[derive(serde::Deserialize)]
    struct PayCancelled {
        parent_id: String,
        date: String,
    }
    let asked: PayCancelled = body(&bytes)?;
    let day = crate::providers::particeep::auth::parse_date_time(&asked.date)
        .ok_or_else(|| ParticeepError::bad_request(code::JSON_INVALID, "`date` must be an ISO 8601 date"))?
        .date_naive();
    let count = particeep.store.with(&caller.key, |consumer| consumer.rerun_cancelled(&asked.parent_id, day))?;
    ok(&count.to_string())
}
