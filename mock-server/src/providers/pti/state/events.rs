//! The webhook events of PTI results: a KYC's, a transaction's monitoring outcome and a payment's
//! status, in the v0 webhook bodies.

use super::*;
use crate::providers::pti::model::{
    KycEvent, MonitoringDetail, MonitoringEvent, PaymentDetail, PaymentEvent, PaymentInfos, UserStatusEvent,
};
use chrono::Utc;
use serde_json::Value;

pub(super) fn kyc_event(
    client_id: &str,
    request_id: &str,
    user_id: &str,
    status: &str,
    tier: Option<u32>,
    reason: Option<String>,
) -> Event {
    let event = KycEvent {
        resource_type: "KYC".into(),
        request_id: request_id.to_owned(),
        client_id: client_id.to_owned(),
        user_id: user_id.to_owned(),
        status: status.to_owned(),
        tier,
        refusal_reason: reason,
    };
    Event::v0(client_id, user_id, serde_json::to_value(event).unwrap_or_default())
}

pub(super) fn monitoring_event(client_id: &str, request_id: &str, record: &TransactionRecord) -> Event {
    let text = |name: &str| record.body.get(name).and_then(Value::as_str).unwrap_or_default().to_owned();
    let event = MonitoringEvent {
        resource_type: "TRANSACTION_MONITORING".into(),
        request_id: request_id.to_owned(),
        client_id: client_id.to_owned(),
        user_id: record.user_id.clone(),
        status: record.status.clone(),
        transaction_date: text("date"),
        amount: record.body.get("amount").and_then(Value::as_f64).unwrap_or_default(),
        transaction_type: text("type"),
        transaction_monitoring_result_detail: record
            .detail
            .clone()
            .map(|code| MonitoringDetail { compliance_provider_response_code: code }),
    };
    Event::v0(client_id, &record.user_id, serde_json::to_value(event).unwrap_or_default())
}

pub(super) fn payment_event(client_id: &str, request_id: &str, record: &TransactionRecord) -> Event {
    let source = record.body.get("sourceMethod");
    let information = source.and_then(|s| s.get("paymentInformation"));
    let text = |value: Option<&Value>, default: &str| value.and_then(Value::as_str).unwrap_or(default).to_owned();
    let event = PaymentEvent {
        resource_type: "PAYMENT_PROCESSOR".into(),
        request_id: request_id.to_owned(),
        client_id: client_id.to_owned(),
        user_id: record.user_id.clone(),
        status: record.status.clone(),
        date: Utc::now().to_rfc3339(),
        amount: record.body.get("amount").and_then(Value::as_f64).unwrap_or_default(),
        fees: 0.0,
        currency: text(source.and_then(|s| s.get("currency")), "USD"),
        transaction_type: "FUNDING".into(),
        payment_method: text(information.and_then(|i| i.get("type")), "ENCRYPTED_CREDIT_CARD"),
        additional_infos: PaymentInfos {
            credit_card_last4_digits: information
                .and_then(|i| i.get("creditCardLast4"))
                .and_then(Value::as_str)
                .map(str::to_owned),
            payment_provider_transaction_id: format!("psp-{request_id}"),
        },
        transaction_status_detail: record.detail.clone().map(|code| PaymentDetail {
            provider_response_code: code,
            provider_response_category: "HARD_DECLINE".into(),
        }),
    };
    Event::v0(client_id, &record.user_id, serde_json::to_value(event).unwrap_or_default())
}

/// The `USER` webhook of a status change, sent in the transport of the API the user came through.
pub(super) fn user_status_event(client_id: &str, user_id: &str, record: &UserRecord, reason: Option<String>) -> Event {
    let event = UserStatusEvent {
        resource_type: "USER".into(),
        client_id: client_id.to_owned(),
        user_id: user_id.to_owned(),
        status: record.status.clone(),
        status_reason: reason,
        date: v1_events::iso(Utc::now()),
    };
    Event { api: record.api, ..Event::v0(client_id, user_id, serde_json::to_value(event).unwrap_or_default()) }
}
