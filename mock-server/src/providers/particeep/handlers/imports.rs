//! Particeep's CSV imports (`POST /v1/import/{user,transaction,role}/csv`, the 2025 SDK's
//! `importFromCsv`): the file in the multipart part `document`, read with the `csv` crate, one row
//! a user, transaction or role. Good rows are imported (with their events); each bad row is
//! reported by its line number and left out. The answer is the SDK's `ImportState`, `COMPLETED`,
//! with `imported` and `errors` beside it (fields its reader ignores).

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Multipart, State};
use serde::Serialize;
use serde_json::{Map, Value};

use super::document::read_upload;
use super::{ok, Caller, Reply};
use crate::providers::particeep::error::{code, ParticeepError};
use crate::providers::particeep::model::{RoleTarget, TransactionCreation, UserCreation};
use crate::providers::particeep::state::{check_amounts, check_currency, check_custom, timestamp, ConsumerData};
use crate::providers::particeep::Particeep;

/// A row the import left out.
#[derive(Debug, Serialize)]
pub struct RowError {
    /// Its line in the file (the header is line 1).
    pub line: u64,
    /// Why.
    pub message: String,
}

/// The answer: the SDK's `ImportState` and the rows' outcome.
#[derive(Debug, Serialize)]
pub struct ImportReport {
    id: String,
    created_at: String,
    updated_at: String,
    /// `COMPLETED`: the twin imports at once.
    status: &'static str,
    /// `USER`, `TRANSACTION` or `ROLE`.
    import_type: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    tag: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    custom: Option<Value>,
    /// How many rows were imported.
    imported: usize,
    /// The rows left out.
    errors: Vec<RowError>,
}

/// The CSV rows of an upload, each as its header's names to values (empty cells left out), with
/// its line; a malformed file is 400 `error.import.csv.invalid`.
async fn rows(
    particeep: &Particeep,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<(Vec<(u64, Map<String, Value>)>, HashMap<String, String>), ParticeepError> {
    let max_bytes = particeep.store.config().documents.max_bytes;
    let upload = read_upload(multipart, max_bytes).await?;
    let (bytes, _, _) = upload.file.ok_or_else(|| {
        ParticeepError::bad_request(code::DOCUMENT_FILE_MISSING, "the CSV file goes in a part named `document`")
    })?;
    let invalid = |why: String| ParticeepError::bad_request(code::IMPORT_CSV_INVALID, why);
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).flexible(true).from_reader(bytes.as_ref());
    let headers = reader.headers().map_err(|e| invalid(format!("the CSV header cannot be read: {e}")))?.clone();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| invalid(format!("the CSV cannot be read: {e}")))?;
        let line = record.position().map_or(0, csv::Position::line);
        let row: Map<String, Value> = headers
            .iter()
            .zip(record.iter())
            .filter(|(_, value)| !value.is_empty())
            .map(|(name, value)| (name.to_owned(), Value::from(value)))
            .collect();
        rows.push((line, row));
    }
    Ok((rows, upload.text))
}

/// Numbers where a model wants them (`amount: "100"` → 100); a cell that is no number stays text,
/// and the model's reader says so.
fn numbers(row: &mut Map<String, Value>, fields: &[&str]) {
    for field in fields {
        if let Some(number) = row.get(*field).and_then(Value::as_str).and_then(|t| t.parse::<i64>().ok()) {
            row.insert((*field).to_owned(), Value::from(number));
        }
    }
}

fn report(
    particeep: &Particeep,
    import_type: &'static str,
    text: &HashMap<String, String>,
    imported: usize,
    errors: Vec<RowError>,
) -> Reply {
    let now = timestamp(particeep.now());
    let custom = text
        .get("custom")
        .filter(|c| !c.is_empty())
        .and_then(|c| crate::extract::parse_json(c.as_bytes()).ok().flatten());
    ok(&ImportReport {
        id: uuid::Uuid::new_v4().to_string(),
        created_at: now.clone(),
        updated_at: now,
        status: "COMPLETED",
        import_type,
        tag: text.get("tag").filter(|t| !t.is_empty()).cloned(),
        custom,
        imported,
        errors,
    })
}

/// Imports each row with `import`, collecting the bad ones by line.
fn each_row<T>(
    rows: Vec<(u64, Map<String, Value>)>,
    mut import: impl FnMut(Map<String, Value>) -> Result<T, ParticeepError>,
) -> (Vec<T>, Vec<RowError>) {
    let (mut done, mut errors) = (Vec::new(), Vec::new());
    for (line, row) in rows {
        match import(row) {
            Ok(value) => done.push(value),
            Err(error) => errors.push(RowError { line, message: error.message }),
        }
    }
    (done, errors)
}

fn model<T: serde::de::DeserializeOwned>(row: Map<String, Value>) -> Result<T, ParticeepError> {
    serde_json::from_value(Value::Object(row))
        .map_err(|e| ParticeepError::bad_request(code::JSON_INVALID, e.to_string()))
}

/// An import: the upload's CSV rows, each imported by `one` (the consumer's data, the row, the
/// time), all in one critical section; `event` for each entity `one` answers (`None`: imported,
/// nothing new to announce); the report.
async fn import<T: serde::Serialize>(
    particeep: &Particeep,
    caller: &Caller,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
    (import_type, event): (&'static str, &str),
    mut one: impl FnMut(&mut ConsumerData, Map<String, Value>, &str) -> Result<Option<T>, ParticeepError>,
) -> Reply {
    let (rows, text) = rows(particeep, multipart).await?;
    let now = timestamp(particeep.now());
    let (done, errors) = particeep.store.with(&caller.key, |consumer| each_row(rows, |row| one(consumer, row, &now)));
    let imported = done.len();
    particeep.emit_all(&caller.key, event, &done.into_iter().flatten().collect::<Vec<T>>());
    report(particeep, import_type, &text, imported, errors)
}

/// `POST /v1/import/user/csv`: a column per `UserCreation` field (`email` and `password`
/// required); `user_created` per user.
pub async fn import_users(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Reply {
    import(&particeep, &caller, multipart, ("USER", "user_created"), |consumer, row, now| {
        consumer.insert_user(model::<UserCreation>(row)?, now).map(Some)
    })
    .await
}

/// `POST /v1/import/transaction/csv`: a column per `TransactionCreation` field (`issuer_id`,
/// `issuer_type`, `recipient_id`, `recipient_type`, `amount` required); `transaction_created` each.
pub async fn import_transactions(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Reply {
    import(&particeep, &caller, multipart, ("TRANSACTION", "transaction_created"), |consumer, mut row, now| {
        numbers(&mut row, &["amount", "fees"]);
        let creation: TransactionCreation = model(row)?;
        check_custom(creation.fields.custom.as_ref())?;
        let fees = creation.fees.unwrap_or(0);
        check_amounts(creation.amount, fees)?;
        let currency = creation.currency.clone().unwrap_or_else(|| "EUR".into());
        check_currency(&currency)?;
        consumer.create_transaction(creation, fees, currency, now.to_owned()).map(Some)
    })
    .await
}

/// `POST /v1/import/role/csv`: columns `user_id`, `role_name`, `target_id`, `target_type`;
/// `role_added` for each role that was new.
pub async fn import_roles(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Reply {
    import(&particeep, &caller, multipart, ("ROLE", "role_added"), |consumer, row, now| {
        let text = |name: &str| row.get(name).and_then(Value::as_str).map(str::to_owned);
        let user_id = text("user_id")
            .ok_or_else(|| ParticeepError::bad_request(code::API_PARAMETER_MISSING, "`user_id` is required"))?;
        let role = super::role::known_role(&particeep, &text("role_name").unwrap_or_default())?;
        let target = RoleTarget { target_id: text("target_id"), target_type: text("target_type") };
        let (roles, added) = consumer.add_role(&user_id, &role, target, now)?;
        Ok(added.then_some(roles))
    })
    .await
}
