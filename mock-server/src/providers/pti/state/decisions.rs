//! Outcomes decided by the admin API (as PTI staff or the config would): applied now to a request
//! that exists, or kept for the next one of a user or request id.

use super::*;
use crate::providers::pti::model::{KYC_EVENT_STATUSES, MONITORING_EVENT_STATUSES, PAYMENT_EVENT_STATUSES};

impl PtiStore {
    /// Applies an admin decision: at once when its request exists (returning the webhook to
    /// send), else kept for the next matching request.
    pub fn decide(&self, mut decision: Decision) -> Result<Option<Event>, String> {
        let client_id =
            decision.client_id.clone().unwrap_or_else(|| crate::providers::pti::seed::DEMO_CLIENT_ID.to_owned());
        decision.client_id = Some(client_id.clone());
        if decision.request_id.is_none() && decision.user_id.is_none() {
            return Err("a decision needs request_id or user_id".into());
        }
        let allowed = match decision.kind {
            DecisionKind::Kyc => KYC_EVENT_STATUSES,
            DecisionKind::Transaction => MONITORING_EVENT_STATUSES,
            DecisionKind::Payment => PAYMENT_EVENT_STATUSES,
        };
        if !allowed.contains(&decision.status.as_str()) || decision.status == "PENDING" {
            return Err(format!(
                "status `{}` is not a final {:?} status ({})",
                decision.status,
                decision.kind,
                allowed.join(", ")
            ));
        }
        let mut data = self.lock();
        if let Some(request_id) = decision.request_id.clone() {
            let request_key = key(&client_id, &request_id);
            let event = match decision.kind {
                DecisionKind::Kyc if data.kycs.contains_key(&request_key) => {
                    let user_id = data.kycs.get(&request_key).map(|k| k.user_id.clone()).unwrap_or_default();
                    Some(apply_kyc(
                        &mut data,
                        &client_id,
                        &request_id,
                        &user_id,
                        &decision.status,
                        decision.tier,
                        decision.reason.clone(),
                    ))
                }
                DecisionKind::Transaction if data.transactions.contains_key(&request_key) => Some(apply_transaction(
                    &mut data,
                    &client_id,
                    &request_id,
                    &decision.status,
                    decision.reason.clone(),
                )),
                DecisionKind::Payment if data.transactions.contains_key(&request_key) => {
                    Some(apply_payment(&mut data, &client_id, &request_id, &decision.status, decision.reason.clone()))
                }
                _ => None,
            };
            if event.is_some() {
                return Ok(event);
            }
        }
        data.decisions.push(decision);
        Ok(None)
    }
}

pub(super) fn take_decision(
    decisions: &mut Vec<Decision>,
    kind: DecisionKind,
    client_id: &str,
    request_id: &str,
    user_id: &str,
) -> Option<Decision> {
    let position = decisions.iter().position(|d| {
        d.kind == kind
            && d.client_id.as_deref() == Some(client_id)
            && (d.request_id.as_deref() == Some(request_id)
                || (d.request_id.is_none() && d.user_id.as_deref() == Some(user_id)))
    })?;
    Some(decisions.remove(position))
}

pub(super) fn apply_kyc(
    data: &mut PtiData,
    client_id: &str,
    request_id: &str,
    user_id: &str,
    status: &str,
    tier: Option<u32>,
    reason: Option<String>,
) -> Event {
    if let Some(kyc) = data.kycs.get_mut(&key(client_id, request_id)) {
        kyc.status = status.to_owned();
        kyc.tier = tier;
        kyc.refusal_reason = reason.clone();
    }
    if status == "ACCEPTED" {
        if let (Some(user), Some(tier)) = (data.users.get_mut(&key(client_id, user_id)), tier) {
            user.kyc_tier = tier;
        }
    }
    match data.kycs.get(&key(client_id, request_id)) {
        Some(kyc) if kyc.api == Api::V1 => v1_events::assessment_event(client_id, request_id, user_id, kyc),
        _ => kyc_event(client_id, request_id, user_id, status, tier, reason),
    }
}

pub(super) fn apply_transaction(
    data: &mut PtiData,
    client_id: &str,
    request_id: &str,
    status: &str,
    detail: Option<String>,
) -> Event {
    let mut user_id = String::new();
    let mut counted = None;
    if let Some(record) = data.transactions.get_mut(&key(client_id, request_id)) {
        // A v1 executed transaction keeps its monitoring outcome beside its payment status.
        let executed = record.api == Api::V1 && record.kind != "assessment";
        let slot = if executed { record.monitoring.get_or_insert_with(String::new) } else { &mut record.status };
        let was_accepted = slot == "ACCEPT";
        *slot = status.to_owned();
        record.detail = detail;
        user_id = record.user_id.clone();
        if status == "ACCEPT" && !was_accepted {
            counted = record.scenario.clone().map(|s| (s, record.usd));
        }
    }
    if let (Some((scenario, usd)), Some(user)) = (counted, data.users.get_mut(&key(client_id, &user_id))) {
        *user.cumulative_usd.entry(scenario).or_insert(0.0) += usd;
    }
    let record = data.transactions.get(&key(client_id, request_id));
    match record {
        Some(r) if r.api == Api::V1 => v1_events::monitoring_event(client_id, request_id, r),
        Some(r) => monitoring_event(client_id, request_id, r),
        None => kyc_event(client_id, request_id, &user_id, status, None, None),
    }
}

pub(super) fn apply_payment(
    data: &mut PtiData,
    client_id: &str,
    request_id: &str,
    status: &str,
    detail: Option<String>,
) -> Event {
    let v1 = data.transactions.get(&key(client_id, request_id)).is_some_and(|r| r.api == Api::V1);
    if v1 {
        return v1_transactions::apply_v1_payment(data, client_id, request_id, status, detail);
    }
    if let Some(record) = data.transactions.get_mut(&key(client_id, request_id)) {
        record.status = status.to_owned();
        record.detail = detail;
    }
    match data.transactions.get(&key(client_id, request_id)) {
        Some(record) => payment_event(client_id, request_id, record),
        None => kyc_event(client_id, request_id, "", status, None, None),
    }
}
