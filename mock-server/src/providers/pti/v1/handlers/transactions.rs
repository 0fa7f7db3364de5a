//! v1 transactions: assessments (monitoring only), validations (what the user lacks), price
//! estimates, and the eight executions (deposit, withdrawal, payment, transfer, trade, mint,
//! purchase, sale), each answered 201 at once and reported by `TRANSACTION_MONITORING` then
//! `TRANSACTION_STATUS` webhooks; their status, cancellation and feedback.

use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value};

use super::{created, numbers, object, path, request_id, typed, V1Result};
use crate::providers::pti::auth::Authenticated;
use crate::providers::pti::state::{reference, NewExecution, Unfinished};
use crate::providers::pti::state::{usd_price, usd_value};
use crate::providers::pti::v1::auth::V1Auth;
use crate::providers::pti::v1::error::V1Error;
use crate::providers::pti::v1::model::{TradeQuote, TransactionAssessment, TransactionStatus, TransactionUpdate};
use crate::providers::pti::Pti;
use crate::respond::Json;

/// The spec's `transactionTypeEnum`.
const TYPES: [&str; 8] = ["DEPOSIT", "WITHDRAWAL", "PAYMENT", "TRANSFER", "SELL", "BUY", "MINT", "TRADE"];

/// A transaction body read as the spec's `transaction` says: `amount` (0..999999), `date` and
/// `initiator.id` required, `type` one of [`TYPES`] (`expected` when the endpoint fixes it, and
/// filled in when absent). Returns the body, its user and its currency.
fn transaction_body(auth: &Authenticated, expected: Option<&str>) -> V1Result<(Value, String, String)> {
    let mut body = object(auth)?;
    numbers(&mut body, &["amount", "usdValue"])?;
    if !body.contains_key("amount") {
        return Err(V1Error::invalid("Invalid field: 'amount' is required"));
    }
    if !body.get("date").is_some_and(Value::is_string) {
        return Err(V1Error::invalid("Invalid field: 'date' is required (ISO-8601)"));
    }
    let user_id = body
        .get("initiator")
        .and_then(|i| i.get("id"))
        .and_then(Value::as_str)
        .ok_or_else(|| V1Error::invalid("Invalid field: 'initiator.id' is required"))?
        .to_owned();
    match (body.get("type").and_then(Value::as_str), expected) {
        (None, Some(kind)) => {
            body.insert("type".into(), Value::from(kind));
        }
        (Some(kind), Some(expected)) if kind != expected => {
            return Err(V1Error::invalid(format!("Invalid field: 'type' must be {expected} here, not {kind}")));
        }
        (Some(kind), None) if !TYPES.contains(&kind) => {
            return Err(V1Error::invalid(format!("Invalid field: 'type' must be one of {}", TYPES.join(", "))));
        }
        (None, None) => return Err(V1Error::invalid("Invalid field: 'type' is required")),
        _ => {}
    }
    let currency = currency_of(&body, &["sourceMethod", "sourceTransferMethod", "destinationMethod"]);
    Ok((Value::Object(body), user_id, currency.unwrap_or_else(|| "USD".into())))
}

/// The currency of the first of `methods` that names one (its own or its wallet's).
fn currency_of(body: &Map<String, Value>, methods: &[&str]) -> Option<String> {
    methods.iter().find_map(|field| {
        let method = body.get(*field)?;
        method.get("currency").or_else(|| method.pointer("/paymentInformation/currency"))?.as_str().map(str::to_owned)
    })
}

fn known_scenario(pti: &Pti, auth: &Authenticated) -> V1Result<()> {
    if let Some(scenario) = auth.header("x-pti-scenario-id") {
        pti.store.required_tier(scenario, 0.0)?;
    }
    Ok(())
}

/// Records a v1 transaction and sends its PENDING webhooks; the result follows after the delay.
async fn record(pti: Arc<Pti>, auth: Authenticated, kind: &'static str) -> V1Result<Response> {
    let request_id = request_id(&auth)?;
    known_scenario(&pti, &auth)?;
    let assessment = kind == "assessment";
    let (body, user_id, currency) = transaction_body(&auth, (!assessment).then_some(kind))?;
    let new = NewExecution {
        user_id: &user_id,
        request_id: &request_id,
        body: &body,
        usd: usd_value(&body, &currency),
        scenario: auth.header("x-pti-scenario-id"),
        kind,
    };
    let events = pti.store.record_v1(&auth.client_id, &new)?;
    let sender = pti.sender(&auth);
    for event in events {
        sender.send(event);
    }
    let (unfinished, link) = match assessment {
        true => (Unfinished::TransactionLog, format!("{}/transactions/assessments/{request_id}", auth.api_base)),
        false => (Unfinished::Execution, format!("{}/transactions/{request_id}", auth.api_base)),
    };
    pti.schedule(unfinished, &auth.client_id, &request_id, sender);
    Ok(created(reference(&request_id, link)))
}

/// `POST /transactions/assessments`.
pub async fn assess(State(pti): State<Arc<Pti>>, V1Auth(auth): V1Auth) -> V1Result<Response> {
    record(pti, auth, "assessment").await
}

macro_rules! execution {
    ($name:ident, $kind:literal, $path:literal) => {
        #[doc = concat!("`POST ", $path, "` (a `", $kind, "`).")]
        pub async fn $name(State(pti): State<Arc<Pti>>, V1Auth(auth): V1Auth) -> V1Result<Response> {
            record(pti, auth, $kind).await
        }
    };
}

execution!(deposit, "DEPOSIT", "/transactions/deposits");
execution!(withdrawal, "WITHDRAWAL", "/transactions/withdrawals");
execution!(payment, "PAYMENT", "/transactions/payments");
execution!(transfer, "TRANSFER", "/transactions/transfers");
execution!(trade, "TRADE", "/transactions/trades");
execution!(mint, "MINT", "/transactions/mints");
execution!(purchase, "BUY", "/transactions/purchases");
execution!(sale, "SELL", "/transactions/sales");

/// `GET /transactions/assessments/{requestId}`.
pub async fn read_assessment(
    State(pti): State<Arc<Pti>>,
    request_id: Result<Path<String>, PathRejection>,
    V1Auth(auth): V1Auth,
) -> V1Result<Json<TransactionAssessment>> {
    Ok(Json(pti.store.v1_transaction_assessment(&auth.client_id, &path(request_id)?)?))
}

/// `POST /transactions/validations`: 200 with what the user lacks for it (or `NO_ERROR`).
pub async fn validate(State(pti): State<Arc<Pti>>, V1Auth(auth): V1Auth) -> V1Result<Json<Value>> {
    known_scenario(&pti, &auth)?;
    let (body, user_id, currency) = transaction_body(&auth, None)?;
    let usd = usd_value(&body, &currency);
    Ok(Json(pti.store.validate_v1(&auth.client_id, &user_id, auth.header("x-pti-scenario-id"), usd)?))
}

/// `POST /transactions/trades/price-estimation`: the twin's fixed prices (README).
pub async fn price_estimation(State(_pti): State<Arc<Pti>>, V1Auth(auth): V1Auth) -> V1Result<Json<TradeQuote>> {
    let mut body = object(&auth)?;
    numbers(&mut body, &["amount"])?;
    let amount = body.get("amount").and_then(Value::as_f64).unwrap_or(1.0);
    let source = currency_of(&body, &["sourceMethod"])
        .ok_or_else(|| V1Error::invalid("Invalid field: 'sourceMethod' must name a currency"))?;
    let destination = currency_of(&body, &["destinationMethod"])
        .ok_or_else(|| V1Error::invalid("Invalid field: 'destinationMethod' must name a currency"))?;
    let price = |currency: &str| {
        usd_price(currency).ok_or_else(|| {
            V1Error::managed("UNSUPPORTED_CURRENCY", 2004, format!("the twin does not trade {currency}"))
        })
    };
    let per_unit = price(&source)? / price(&destination)?;
    Ok(Json(TradeQuote {
        estimated_fill_price_per_unit: per_unit,
        source_currency: source,
        destination_currency: destination,
        amount: (amount * per_unit * 1e8).round() / 1e8,
    }))
}

/// `GET /transactions/{requestId}`.
pub async fn read(
    State(pti): State<Arc<Pti>>,
    request_id: Result<Path<String>, PathRejection>,
    V1Auth(auth): V1Auth,
) -> V1Result<Json<TransactionStatus>> {
    Ok(Json(pti.store.v1_transaction(&auth.client_id, &path(request_id)?)?))
}

/// `DELETE /transactions/{requestId}`: 204, and a `TRANSACTION_STATUS` CANCELED webhook.
pub async fn cancel(
    State(pti): State<Arc<Pti>>,
    request_id: Result<Path<String>, PathRejection>,
    V1Auth(auth): V1Auth,
) -> V1Result<StatusCode> {
    let event = pti.store.cancel_v1(&auth.client_id, &path(request_id)?)?;
    pti.sender(&auth).send(event);
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /transactions/{requestId}/updates` (`transactionUpdate`: the client's `feedback`).
pub async fn update(
    State(pti): State<Arc<Pti>>,
    request_id: Result<Path<String>, PathRejection>,
    V1Auth(auth): V1Auth,
) -> V1Result<Response> {
    let request_id = path(request_id)?;
    let update: TransactionUpdate = typed(&auth)?;
    const FEEDBACK: [&str; 7] = ["SETTLED", "ACCEPTED", "CANCELLED", "REJECTED", "REFUNDED", "CHARGED_BACK", "ERROR"];
    if !FEEDBACK.contains(&update.feedback.as_str()) {
        return Err(V1Error::invalid(format!("Invalid field: 'feedback' must be one of {}", FEEDBACK.join(", "))));
    }
    pti.store.update_v1(&auth.client_id, &request_id, update)?;
    Ok(created(reference(&request_id, format!("{}/transactions/{request_id}", auth.api_base))))
}
