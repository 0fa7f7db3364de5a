//! v1 transactions: assessments (monitoring only, as v0's transaction logs), executed
//! transactions (monitoring, then payment: PENDING → AUTHORIZED → SETTLED, balances moved on
//! SETTLED), their status, cancellation, feedback, and the validation that says what is missing.
//!
//! Over 400 lines: the execution's checks (parties, tier, funds), its two-stage outcome and the
//! balance moves belong together; the answers built from a record are at the end.

use super::v1::{move_balance, round, usd_price};
use super::*;
use crate::providers::pti::error::{PtiError, PtiErrorKind};
use crate::providers::pti::v1::error::V1Error;
use crate::providers::pti::v1::model::{
    AssessmentError, Cost, InformationField, MonitoringDetail, PaymentStatusDetail, Total, TransactionAssessment,
    TransactionStatus, TransactionUpdate,
};
use serde_json::Value;

/// A v1 transaction about to be recorded.
#[derive(Debug, Clone, Copy)]
pub struct NewExecution<'a> {
    /// `initiator.id`.
    pub user_id: &'a str,
    /// `x-pti-request-id`.
    pub request_id: &'a str,
    /// The body as sent (numbers as numbers).
    pub body: &'a Value,
    /// Its USD value (`usdValue`, else `amount` at the twin's price of its currency).
    pub usd: f64,
    /// `x-pti-scenario-id`, if sent.
    pub scenario: Option<&'a str>,
    /// `assessment`, or the transaction type of an execution (`DEPOSIT`...).
    pub kind: &'a str,
}

/// What a step of an execution decided: the webhooks to send, and whether more steps follow.
#[derive(Debug)]
pub struct V1Outcome {
    /// In order.
    pub events: Vec<Event>,
    /// Another step follows after the result delay.
    pub more: bool,
}

/// The wallet a method names (`paymentMethodType: WALLET` with `paymentInformation.id`).
fn wallet_of(method: Option<&Value>) -> Option<String> {
    let method = method?;
    if method.get("paymentMethodType").and_then(Value::as_str) != Some("WALLET") {
        return None;
    }
    method.pointer("/paymentInformation/id").and_then(Value::as_str).map(str::to_owned)
}

fn source_wallet(body: &Value) -> Option<String> {
    wallet_of(body.get("sourceMethod").or_else(|| body.get("sourceTransferMethod")))
}

fn destination_wallet(body: &Value) -> Option<String> {
    wallet_of(body.get("destinationMethod").or_else(|| body.get("destinationTransferMethod")))
}

/// The USD value a transaction counts for.
pub fn usd_value(body: &Value, currency: &str) -> f64 {
    let amount = body.get("amount").and_then(Value::as_f64).unwrap_or_default();
    body.get("usdValue").and_then(Value::as_f64).unwrap_or_else(|| amount * usd_price(currency).unwrap_or(1.0))
}

impl PtiStore {
    /// The tier check of a v1 operation: 422 with the fields to collect, or the assessment
    /// missing when they are all there but not assessed.
    fn check_tier(&self, record: &UserRecord, scenario: Option<&str>, usd: f64) -> Result<(), V1Error> {
        let Some(scenario) = scenario else { return Ok(()) };
        let before = record.cumulative_usd.get(scenario).copied().unwrap_or(0.0);
        let required = self.required_tier(scenario, before + usd)?;
        if record.kyc_tier >= required {
            return Ok(());
        }
        let missing = self.missing_fields(&record.user, required);
        if missing.is_empty() {
            return Err(V1Error::AssessmentMissing { required, reached: record.kyc_tier });
        }
        Err(V1Error::MissingInformation(missing.iter().map(|f| InformationField::of_pointer(f)).collect()))
    }

    /// `POST /transactions/assessments` and the execution endpoints: checks the parties, the
    /// tier, the source wallet's funds and the request id; returns the PENDING webhooks.
    pub fn record_v1(&self, client_id: &str, new: &NewExecution<'_>) -> Result<Vec<Event>, V1Error> {
        let NewExecution { user_id, request_id, body, usd, scenario, kind } = *new;
        let mut data = self.lock();
        for party in ["destination", "seller", "buyer"] {
            if let Some(other) = body.get(party).and_then(|p| p.get("id")).and_then(Value::as_str) {
                match data.users.get(&key(client_id, other)) {
                    Some(record) if record.status != "ACTIVE" => {
                        let message = format!("user {other} in the transaction is {}", record.status);
                        return Err(PtiError::new(PtiErrorKind::UserNotActive, message).into());
                    }
                    Some(_) => {}
                    None if kind != "assessment" => return Err(unknown_user(other).into()),
                    None => {}
                }
            }
        }
        let record = Self::active_user(&mut data, client_id, user_id)?.clone();
        self.check_tier(&record, scenario, usd)?;
        let amount = body.get("amount").and_then(Value::as_f64).unwrap_or_default();
        if kind != "assessment" {
            for wallet in [source_wallet(body), destination_wallet(body)].into_iter().flatten() {
                if !data.v1.wallets.contains_key(&key(client_id, &wallet)) {
                    return Err(V1Error::managed("MISSING_WALLET", 1004, format!("no wallet {wallet}")));
                }
            }
            if let Some(source) = source_wallet(body) {
                let available =
                    data.v1.wallets.get(&key(client_id, &source)).map_or(0.0, |w| w.wallet.available_balance);
                if available < amount {
                    return Err(V1Error::managed(
                        "NOT_ENOUGH_FUNDS",
                        3000,
                        format!("wallet {source} has {available}, the transaction needs {amount}"),
                    ));
                }
            }
        }
        Self::take_request_id(&mut data, client_id, request_id)?;
        let executed = kind != "assessment";
        data.transactions.insert(
            key(client_id, request_id),
            TransactionRecord {
                kind: kind.to_owned(),
                user_id: user_id.to_owned(),
                body: body.clone(),
                scenario: scenario.map(str::to_owned),
                usd,
                status: "PENDING".into(),
                detail: None,
                feedback: Vec::new(),
                api: Api::V1,
                monitoring: executed.then(|| "PENDING".to_owned()),
                payment_detail: None,
                created_at: Some(Utc::now()),
                updates: Vec::new(),
            },
        );
        let Some(record) = data.transactions.get(&key(client_id, request_id)) else { return Ok(Vec::new()) };
        let mut events = vec![v1_events::monitoring_event(client_id, request_id, record)];
        if executed {
            events.push(v1_events::status_event(client_id, request_id, record));
        }
        Ok(events)
    }

    /// The next step of an executed transaction: its monitoring outcome (an admin decision, the
    /// magic amounts 666 DENY and 777 MANUAL_REVIEW, a tier below the scenario's, else the
    /// config), then its payment (an admin decision, 402 REFUSED, else the config's, through
    /// AUTHORIZED to SETTLED). `None` when nothing is left to decide.
    pub fn advance_execution(&self, client_id: &str, request_id: &str) -> Option<V1Outcome> {
        let mut data = self.lock();
        let record = data.transactions.get(&key(client_id, request_id))?.clone();
        if record.api != Api::V1 || record.kind == "assessment" {
            return None;
        }
        match (record.monitoring.as_deref(), record.status.as_str()) {
            (Some("PENDING"), "PENDING") => {
                let decided = take_decision(
                    &mut data.decisions,
                    DecisionKind::Transaction,
                    client_id,
                    request_id,
                    &record.user_id,
                );
                let (status, detail) = match decided {
                    Some(decision) => (decision.status, decision.reason),
                    None if record.usd == 666.0 => ("DENY".to_owned(), Some("FRAUD_SUSPICION".to_owned())),
                    None if record.usd == 777.0 => ("MANUAL_REVIEW".to_owned(), None),
                    None => (self.config().outcomes.transaction.clone(), None),
                };
                let mut events = vec![apply_transaction(&mut data, client_id, request_id, &status, detail)];
                let more = match status.as_str() {
                    "ACCEPT" => true,
                    "DENY" => {
                        let reason = Some("FRAUD_SUSPICION".to_owned());
                        events.push(apply_v1_payment(&mut data, client_id, request_id, "REFUSED", reason));
                        false
                    }
                    // Waits for a person: an admin transaction decision moves it on.
                    _ => false,
                };
                Some(V1Outcome { events, more })
            }
            (Some("ACCEPT"), "PENDING") => {
                let decided =
                    take_decision(&mut data.decisions, DecisionKind::Payment, client_id, request_id, &record.user_id);
                let (status, detail) = match decided {
                    Some(decision) => (decision.status, decision.reason),
                    None if record.usd == 402.0 => ("REFUSED".to_owned(), Some("PAYMENT_PROVIDER_DECLINED".to_owned())),
                    None if self.config().outcomes.payment == "SETTLED" => ("AUTHORIZED".to_owned(), None),
                    None => (self.config().outcomes.payment.clone(), None),
                };
                let more = status == "AUTHORIZED";
                Some(V1Outcome {
                    events: vec![apply_v1_payment(&mut data, client_id, request_id, &status, detail)],
                    more,
                })
            }
            (Some("ACCEPT"), "AUTHORIZED") => Some(V1Outcome {
                events: vec![apply_v1_payment(&mut data, client_id, request_id, "SETTLED", None)],
                more: false,
            }),
            _ => None,
        }
    }

    /// `GET /transactions/{requestId}`.
    pub fn v1_transaction(&self, client_id: &str, request_id: &str) -> Result<TransactionStatus, V1Error> {
        let data = self.lock();
        let record = data
            .transactions
            .get(&key(client_id, request_id))
            .filter(|r| r.api == Api::V1 && r.kind != "assessment")
            .ok_or_else(|| V1Error::not_found(format!("no transaction {request_id}")))?;
        Ok(status_view(client_id, request_id, record))
    }

    /// `GET /transactions/assessments/{requestId}`.
    pub fn v1_transaction_assessment(
        &self,
        client_id: &str,
        request_id: &str,
    ) -> Result<TransactionAssessment, V1Error> {
        let data = self.lock();
        let record = data
            .transactions
            .get(&key(client_id, request_id))
            .filter(|r| r.api == Api::V1 && r.kind == "assessment")
            .ok_or_else(|| V1Error::not_found(format!("no transaction assessment {request_id}")))?;
        let (assessment, risk) = match record.status.as_str() {
            "ACCEPT" => ("PROCEED", Some("LOW")),
            "DENY" => ("STOP", Some("HIGH")),
            "MANUAL_REVIEW" => ("MANUAL_REVIEW", Some("MEDIUM")),
            "ERROR" => ("ERROR", None),
            _ => ("PENDING", None),
        };
        Ok(TransactionAssessment {
            resource_type: "TRANSACTION_ASSESSMENT".into(),
            request_id: request_id.to_owned(),
            client_id: client_id.to_owned(),
            user_id: record.user_id.clone(),
            date: record.created_at.map(v1_events::iso).unwrap_or_default(),
            assessment: assessment.into(),
            risk: risk.map(str::to_owned),
            amount: record.body.get("amount").and_then(Value::as_f64).unwrap_or_default(),
            transaction_type: v1_events::transaction_type(record),
            transaction_group_id: record.body.get("transactionGroupId").and_then(Value::as_str).map(str::to_owned),
            meta: record.body.get("clientMeta").and_then(Value::as_object).cloned(),
            transaction_monitoring_result_detail: record
                .detail
                .clone()
                .map(|code| MonitoringDetail { compliance_provider_response_code: code }),
        })
    }

    /// `DELETE /transactions/{requestId}`: a payment not yet settled is CANCELED.
    pub fn cancel_v1(&self, client_id: &str, request_id: &str) -> Result<Event, V1Error> {
        let mut data = self.lock();
        let record = data
            .transactions
            .get(&key(client_id, request_id))
            .filter(|r| r.api == Api::V1 && r.kind != "assessment")
            .ok_or_else(|| V1Error::not_found(format!("no transaction {request_id}")))?;
        if !matches!(record.status.as_str(), "PENDING" | "AUTHORIZED") {
            return Err(V1Error::managed(
                "TRANSACTION_CANNOT_BE_CANCELED",
                3021,
                format!("transaction {request_id} is {}", record.status),
            ));
        }
        Ok(apply_v1_payment(&mut data, client_id, request_id, "CANCELED", None))
    }

    /// `POST /transactions/{requestId}/updates`.
    pub fn update_v1(&self, client_id: &str, request_id: &str, update: TransactionUpdate) -> Result<(), V1Error> {
        let mut data = self.lock();
        let record = data
            .transactions
            .get_mut(&key(client_id, request_id))
            .filter(|r| r.api == Api::V1)
            .ok_or_else(|| V1Error::not_found(format!("no transaction {request_id}")))?;
        record.updates.push(serde_json::to_value(update).unwrap_or_default());
        Ok(())
    }

    /// `POST /transactions/validations`: what the user lacks for this transaction, as a 200
    /// (`MIN_INFO_MISSING` with the fields, `MIN_ASSESSMENT_MISSING`, or `NO_ERROR`).
    pub fn validate_v1(
        &self,
        client_id: &str,
        user_id: &str,
        scenario: Option<&str>,
        usd: f64,
    ) -> Result<Value, V1Error> {
        let record = self.lock().users.get(&key(client_id, user_id)).cloned().ok_or_else(|| unknown_user(user_id))?;
        let answer = match self.check_tier(&record, scenario, usd) {
            Ok(()) => serde_json::to_value(AssessmentError { kind: "NO_ERROR".into(), code: 0, assessment: None }),
            Err(V1Error::MissingInformation(mut fields)) => {
                fields.sort();
                fields.dedup();
                Ok(serde_json::json!({ "type": "MIN_INFO_MISSING", "code": 1001, "fields": fields }))
            }
            Err(V1Error::AssessmentMissing { required, reached }) => Ok(serde_json::json!({
                "type": "MIN_ASSESSMENT_MISSING", "code": 1002,
                "assessment": { "requiredTier": required, "tier": reached }
            })),
            Err(other) => return Err(other),
        };
        Ok(answer.unwrap_or_default())
    }
}

/// Sets a v1 payment status (moving the balances when it settles) and builds its webhook.
pub(super) fn apply_v1_payment(
    data: &mut PtiData,
    client_id: &str,
    request_id: &str,
    status: &str,
    detail: Option<String>,
) -> Event {
    let Some(record) = data.transactions.get_mut(&key(client_id, request_id)) else {
        return Event::v1(client_id, "", Value::Null);
    };
    let was_settled = record.status == "SETTLED";
    record.status = status.to_owned();
    record.payment_detail = detail;
    let record = record.clone();
    if status == "SETTLED" && !was_settled {
        settle(data, client_id, request_id, &record);
    }
    v1_events::status_event(client_id, request_id, &record)
}

/// Moves the balances of a settled transaction: the source wallet debited, the destination
/// credited (a trade at the twin's prices; a deposit with no destination goes to the user's
/// first wallet of its currency).
fn settle(data: &mut PtiData, client_id: &str, request_id: &str, record: &TransactionRecord) {
    let amount = record.body.get("amount").and_then(Value::as_f64).unwrap_or_default();
    let now = Utc::now();
    let source = source_wallet(&record.body);
    let mut source_currency = v1_events::currency(record);
    if let Some(wallet) = source.as_ref().and_then(|id| data.v1.wallets.get_mut(&key(client_id, id))) {
        source_currency = wallet.wallet.currency.clone();
        move_balance(wallet, -amount, Some(request_id), now);
    }
    let destination = destination_wallet(&record.body).or_else(|| {
        (record.kind == "DEPOSIT")
            .then(|| {
                data.v1
                    .wallets
                    .iter()
                    .find(|(k, w)| {
                        k.starts_with(&format!("{client_id}/"))
                            && w.user_id == record.user_id
                            && w.wallet.currency == source_currency
                    })
                    .map(|(_, w)| w.wallet.id.clone())
            })
            .flatten()
    });
    if let Some(wallet) = destination.as_ref().and_then(|id| data.v1.wallets.get_mut(&key(client_id, id))) {
        let credited = match (usd_price(&source_currency), usd_price(&wallet.wallet.currency)) {
            (Some(from), Some(to)) if to > 0.0 && source_currency != wallet.wallet.currency => {
                round(amount * from / to)
            }
            _ => amount,
        };
        move_balance(wallet, credited, Some(request_id), now);
    }
}

fn status_view(client_id: &str, request_id: &str, record: &TransactionRecord) -> TransactionStatus {
    let amount = record.body.get("amount").and_then(Value::as_f64).unwrap_or_default();
    let currency = v1_events::currency(record);
    let (method, source) = v1_events::payment_method(record);
    let information_type = match method.as_str() {
        "ACH" | "WIRE" => "BANK_ACCOUNT",
        "CREDIT_CARD" => "ENCRYPTED_CREDIT_CARD",
        "CRYPTO" => "CRYPTO",
        _ => "WALLET",
    };
    let cost = |amount: f64| Cost { amount, currency: currency.clone() };
    TransactionStatus {
        resource_type: "TRANSACTION_STATUS".into(),
        request_id: request_id.to_owned(),
        client_id: client_id.to_owned(),
        user_id: record.user_id.clone(),
        date: record.created_at.map(v1_events::iso).unwrap_or_default(),
        status: record.status.clone(),
        transaction_type: record.kind.clone(),
        payment_method: Some(information_type.to_owned()),
        payment_status_detail: record.payment_detail.clone().map(|code| PaymentStatusDetail {
            provider_response_code: code,
            provider_response_category: "HARD_DECLINE".into(),
        }),
        amount,
        transaction_group_id: record.body.get("transactionGroupId").and_then(Value::as_str).map(str::to_owned),
        billing_email: source.and_then(|s| s.get("billingEmail")).and_then(Value::as_str).map(str::to_owned),
        transaction_total: Total { fee: cost(0.0), total: cost(amount), subtotal: cost(amount) },
        currency,
    }
}
