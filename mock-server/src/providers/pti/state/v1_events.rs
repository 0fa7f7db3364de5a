//! The v1 webhook messages (the v1 guide's webhook definitions): a user assessment's result, a
//! transaction's monitoring outcome and its payment status.

use super::*;
use crate::providers::pti::model::PaymentInfos;
use crate::providers::pti::v1::model::{
    Cost, MonitoringDetail, MonitoringEvent, TransactionStatusEvent, UserAssessmentEvent, WebhookPaymentDetail,
    WebhookTotal,
};
use serde_json::Value;

/// An ISO-8601 instant as PTI writes them (UTC, milliseconds).
pub fn iso(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

pub(super) fn assessment_event(client_id: &str, request_id: &str, user_id: &str, kyc: &KycRecord) -> Event {
    let event = UserAssessmentEvent {
        resource_type: "USER_ASSESSMENT".into(),
        request_id: request_id.to_owned(),
        client_id: client_id.to_owned(),
        user_id: user_id.to_owned(),
        status: kyc.status.clone(),
        tier: kyc.tier,
        refusal_reason: kyc.refusal_reason.clone(),
        meta: kyc.client_meta.clone(),
        date: iso(Utc::now()),
    };
    Event::v1(client_id, user_id, serde_json::to_value(event).unwrap_or_default())
}

/// Risk as monitoring outcomes read: DENY high, MANUAL_REVIEW medium, ACCEPT low.
pub(super) fn risk_of(status: &str) -> Option<String> {
    match status {
        "ACCEPT" => Some("LOW".into()),
        "MANUAL_REVIEW" => Some("MEDIUM".into()),
        "DENY" => Some("HIGH".into()),
        _ => None,
    }
}

fn text(body: &Value, field: &str) -> Option<String> {
    body.get(field).and_then(Value::as_str).map(str::to_owned)
}

fn meta(body: &Value) -> Option<Map<String, Value>> {
    body.get("clientMeta").and_then(Value::as_object).cloned()
}

/// The transaction type of a v1 record (`assessment`s carry theirs in the body).
pub(super) fn transaction_type(record: &TransactionRecord) -> String {
    match record.kind.as_str() {
        "assessment" => text(&record.body, "type").unwrap_or_default(),
        kind => kind.to_owned(),
    }
}

pub(super) fn monitoring_event(client_id: &str, request_id: &str, record: &TransactionRecord) -> Event {
    let status = record.monitoring.clone().unwrap_or_else(|| record.status.clone());
    let event = MonitoringEvent {
        resource_type: "TRANSACTION_MONITORING".into(),
        request_id: request_id.to_owned(),
        client_id: client_id.to_owned(),
        user_id: record.user_id.clone(),
        risk: risk_of(&status),
        status,
        date: text(&record.body, "date").unwrap_or_default(),
        amount: record.body.get("amount").and_then(Value::as_f64).unwrap_or_default(),
        transaction_group_id: text(&record.body, "transactionGroupId"),
        transaction_type: transaction_type(record),
        transaction_monitoring_result_detail: record
            .detail
            .clone()
            .map(|code| MonitoringDetail { compliance_provider_response_code: code }),
        meta: meta(&record.body),
    };
    Event::v1(client_id, &record.user_id, serde_json::to_value(event).unwrap_or_default())
}

/// The payment method a v1 transaction pays with: its source's, else its destination's.
pub(super) fn payment_method(record: &TransactionRecord) -> (String, Option<&Value>) {
    let method = ["sourceMethod", "sourceTransferMethod", "destinationMethod", "destinationTransferMethod"]
        .iter()
        .find_map(|field| record.body.get(*field).filter(|m| m.is_object()));
    let kind = method.and_then(|m| m.get("paymentMethodType")).and_then(Value::as_str).unwrap_or("WALLET");
    (kind.to_owned(), method)
}

/// The currency of a v1 transaction (its method's, else USD).
pub(super) fn currency(record: &TransactionRecord) -> String {
    let (_, method) = payment_method(record);
    method
        .and_then(|m| m.get("currency").or_else(|| m.pointer("/paymentInformation/currency")))
        .and_then(Value::as_str)
        .unwrap_or("USD")
        .to_owned()
}

pub(super) fn status_event(client_id: &str, request_id: &str, record: &TransactionRecord) -> Event {
    let amount = record.body.get("amount").and_then(Value::as_f64).unwrap_or_default();
    let currency = currency(record);
    let (method, source) = payment_method(record);
    let cost = |amount: f64| Cost { amount, currency: currency.clone() };
    let event = TransactionStatusEvent {
        resource_type: "TRANSACTION_STATUS".into(),
        request_id: request_id.to_owned(),
        client_id: client_id.to_owned(),
        user_id: record.user_id.clone(),
        status: record.status.clone(),
        date: iso(Utc::now()),
        amount,
        fees: 0.0,
        currency: currency.clone(),
        transaction_type: transaction_type(record),
        payment_method: method,
        transaction_group_id: text(&record.body, "transactionGroupId"),
        billing_email: source.and_then(|s| s.get("billingEmail")).and_then(Value::as_str).map(str::to_owned),
        additional_infos: PaymentInfos {
            credit_card_last4_digits: source
                .and_then(|s| s.pointer("/paymentInformation/creditCardLast4"))
                .and_then(Value::as_str)
                .map(str::to_owned),
            payment_provider_transaction_id: format!("psp-{request_id}"),
        },
        payment_status_detail: record
            .payment_detail
            .clone()
            .map(|code| WebhookPaymentDetail { response_code: code, response_category: "HARD_DECLINE".into() }),
        total: WebhookTotal { sub_total: cost(amount), fee: cost(0.0), total: cost(amount) },
        scenario_id: record.scenario.clone(),
    };
    Event::v1(client_id, &record.user_id, serde_json::to_value(event).unwrap_or_default())
}
