//! PTI transaction monitoring: transaction logs and fiat fundings recorded under a request id used
//! once (409 on a reuse), their outcome and feedback.

use super::*;
use crate::providers::pti::error::{PtiError, PtiErrorKind};
use crate::providers::pti::model::{InputRequest, ObjectReference, TransactionFeedback};
use serde_json::Value;

pub(super) fn is_id(text: &str, max: usize) -> bool {
    (3..=max).contains(&text.len())
        && text.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

/// Checks a request id (`uuidLikeStr`).
pub fn check_request_id(id: Option<&str>) -> Result<String, PtiError> {
    let id = id
        .ok_or_else(|| PtiError::new(PtiErrorKind::InvalidRequest, "the x-pti-request-id header is required".into()))?;
    if !is_id(id, 64) {
        return Err(PtiError::new(
            PtiErrorKind::InvalidRequest,
            format!("x-pti-request-id `{id}` must match ^[a-z0-9_-]{{3,64}}$"),
        ));
    }
    Ok(id.to_owned())
}

/// What the published `transaction` schema (checked first, by the handler) cannot say: a
/// transaction log is one of seven `type`s, and its initiator is the path's user. Returns the
/// USD value the tiers count (`usdValue`, else `amount`).
pub fn check_transaction(body: &Value, user_id: &str, needs_type: bool) -> Result<f64, PtiError> {
    let bad = |message: String| PtiError::new(PtiErrorKind::InvalidRequest, message);
    if needs_type {
        let kind = body.get("type").and_then(Value::as_str).unwrap_or_default();
        const KINDS: [&str; 7] = ["FUNDING", "WITHDRAWAL", "TRANSFER", "SELL", "BUY", "MINT", "SWAP"];
        if !KINDS.contains(&kind) {
            return Err(bad(format!("body.type `{kind}` must be one of {}", KINDS.join(", "))));
        }
    }
    let initiator_id = body.pointer("/initiator/id").and_then(Value::as_str).unwrap_or_default();
    if initiator_id != user_id {
        return Err(bad(format!("body.initiator.id `{initiator_id}` must be the path's userId `{user_id}`")));
    }
    let amount = |field: &str| body.get(field).and_then(Value::as_f64);
    Ok(amount("usdValue").or_else(|| amount("amount")).unwrap_or_default())
}

/// A transaction log or funding about to be recorded.
#[derive(Debug, Clone, Copy)]
pub struct NewTransaction<'a> {
    /// The initiating user (the path's).
    pub user_id: &'a str,
    /// `x-pti-request-id`.
    pub request_id: &'a str,
    /// The body as sent.
    pub body: &'a Value,
    /// Its USD value.
    pub usd: f64,
    /// `x-pti-scenario-id`, if sent.
    pub scenario: Option<&'a str>,
    /// `transactionLog` or `funding`.
    pub kind: &'a str,
    /// The form a 406 points to.
    pub form_url: &'a str,
}

impl PtiStore {
    pub(super) fn take_request_id(data: &mut PtiData, client_id: &str, request_id: &str) -> Result<(), PtiError> {
        if !data.request_ids.entry(client_id.to_owned()).or_default().insert(request_id.to_owned()) {
            return Err(PtiError::new(
                PtiErrorKind::RequestIdUsed,
                format!("x-pti-request-id {request_id} was already used"),
            ));
        }
        Ok(())
    }

    /// `POST /users/{id}/transactionLogs` and `/transactions/fiat/funding`: checks the user, the
    /// tier the scenario needs (406 when the user lacks the information), and the request id.
    pub fn record_transaction(&self, client_id: &str, new: &NewTransaction<'_>) -> Result<Event, PtiError> {
        let NewTransaction { user_id, request_id, body, usd, scenario, kind, form_url } = *new;
        let mut data = self.lock();
        for party in ["destination", "seller", "buyer"] {
            if let Some(other) = body.get(party).and_then(|p| p.get("id")).and_then(Value::as_str) {
                if let Some(record) = data.users.get(&key(client_id, other)) {
                    if record.status != "ACTIVE" {
                        return Err(PtiError::new(
                            PtiErrorKind::UserNotActive,
                            format!("user {other} in the transaction is {}", record.status),
                        ));
                    }
                }
            }
        }
        let record = Self::active_user(&mut data, client_id, user_id)?;
        // The tier the scenario needs once this amount counts: read under the same lock as the
        // rest of the checks, so it cannot change in between.
        let required = scenario
            .map(|s| self.required_tier(s, record.cumulative_usd.get(s).copied().unwrap_or(0.0) + usd))
            .transpose()?;
        if let Some(required) = required {
            if record.kyc_tier < required {
                let fields = self.missing_fields(&record.user, required);
                if !fields.is_empty() {
                    return Err(PtiError::MoreInformation(InputRequest {
                        url: format!("{form_url}&tier={required}"),
                        fields,
                    }));
                }
            }
        }
        Self::take_request_id(&mut data, client_id, request_id)?;
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
                api: Api::V0,
                monitoring: None,
                payment_detail: None,
                created_at: Some(chrono::Utc::now()),
                updates: Vec::new(),
            },
        );
        let record = data
            .transactions
            .get(&key(client_id, request_id))
            .ok_or_else(|| PtiError::new(PtiErrorKind::UnknownRequest, format!("no transaction {request_id}")))?;
        Ok(if kind == "funding" {
            payment_event(client_id, request_id, record)
        } else {
            monitoring_event(client_id, request_id, record)
        })
    }

    /// Decides a logged transaction: an admin decision, else magic amounts (666 DENY, 777
    /// MANUAL_REVIEW), else MANUAL_REVIEW when the user's tier is below the scenario's, else ACCEPT.
    pub fn finish_transaction(&self, client_id: &str, request_id: &str) -> Option<Event> {
        let mut data = self.lock();
        let record = data.transactions.get(&key(client_id, request_id))?.clone();
        if record.status != "PENDING" || !matches!(record.kind.as_str(), "transactionLog" | "assessment") {
            return None;
        }
        let user = data.users.get(&key(client_id, &record.user_id))?.clone();
        let decided =
            take_decision(&mut data.decisions, DecisionKind::Transaction, client_id, request_id, &record.user_id);
        let below_tier = record.scenario.as_deref().is_some_and(|s| {
            let before = user.cumulative_usd.get(s).copied().unwrap_or(0.0);
            self.required_tier(s, before + record.usd).is_ok_and(|required| user.kyc_tier < required)
        });
        let (status, detail) = match decided {
            Some(decision) => (decision.status, decision.reason),
            None if record.usd == 666.0 => ("DENY".to_owned(), Some("FRAUD_SUSPICION".to_owned())),
            None if record.usd == 777.0 || below_tier => ("MANUAL_REVIEW".to_owned(), None),
            None => (self.config().outcomes.transaction.clone(), None),
        };
        Some(apply_transaction(&mut data, client_id, request_id, &status, detail))
    }

    /// The next payment status of a funding: PENDING → AUTHORIZED → SETTLED, or REFUSED for
    /// the magic amount 402 or an admin decision; `None` when it is final.
    pub fn advance_funding(&self, client_id: &str, request_id: &str) -> Option<Event> {
        let mut data = self.lock();
        let record = data.transactions.get(&key(client_id, request_id))?.clone();
        if record.kind != "funding" {
            return None;
        }
        let next = match record.status.as_str() {
            "PENDING" => {
                let decided =
                    take_decision(&mut data.decisions, DecisionKind::Payment, client_id, request_id, &record.user_id);
                match decided {
                    Some(decision) => (decision.status, decision.reason),
                    None if record.usd == 402.0 => ("REFUSED".to_owned(), Some("PAYMENT_PROVIDER_DECLINED".to_owned())),
                    None if self.config().outcomes.payment == "SETTLED" => ("AUTHORIZED".to_owned(), None),
                    None => (self.config().outcomes.payment.clone(), None),
                }
            }
            "AUTHORIZED" => ("SETTLED".to_owned(), None),
            _ => return None,
        };
        Some(apply_payment(&mut data, client_id, request_id, &next.0, next.1))
    }

    /// `GET /users/{id}/transactionLogs/{requestId}` (`kind` `transactionLog`) and
    /// `GET /users/{id}/transactions/{requestId}` (`funding`, the link a funding answers).
    pub fn transaction(&self, client_id: &str, user_id: &str, request_id: &str, kind: &str) -> Result<Value, PtiError> {
        let data = self.lock();
        data.users.get(&key(client_id, user_id)).ok_or_else(|| unknown_user(user_id))?;
        data.transactions
            .get(&key(client_id, request_id))
            .filter(|t| t.user_id == user_id && t.kind == kind)
            .map(|t| t.body.clone())
            .ok_or_else(|| {
                let what = if kind == "funding" { "funding" } else { "transaction log" };
                PtiError::new(PtiErrorKind::UnknownRequest, format!("no {what} {request_id} for user {user_id}"))
            })
    }

    /// `POST /transactions/{requestId}/feedback`.
    pub fn feedback(&self, client_id: &str, request_id: &str, feedback: TransactionFeedback) -> Result<(), PtiError> {
        let mut data = self.lock();
        let record = data.transactions.get_mut(&key(client_id, request_id)).ok_or_else(|| {
            PtiError::new(PtiErrorKind::UnknownRequest, format!("no transaction with request id {request_id}"))
        })?;
        record.feedback.push(feedback);
        Ok(())
    }
}

/// The reference a create answers.
pub fn reference(id: &str, link: String) -> ObjectReference {
    ObjectReference { id: id.to_owned(), link }
}
