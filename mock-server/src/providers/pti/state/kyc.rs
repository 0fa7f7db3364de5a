//! PTI KYC: which tier a user needs for an amount, what a tier asks of the user, and a KYC started,
//! read and finished.

use super::*;
use crate::providers::pti::error::{PtiError, PtiErrorKind};
use crate::providers::pti::model::{Kyc, KycStatus};
use serde_json::Value;

impl PtiStore {
    /// The tier a scenario requires for a cumulative USD amount (400 for an unknown scenario).
    pub fn required_tier(&self, scenario: &str, usd: f64) -> Result<u32, PtiError> {
        let config = self.config();
        let brackets = config.scenarios.get(scenario).ok_or_else(|| {
            PtiError::new(PtiErrorKind::UnknownScenario, format!("unknown x-pti-scenario-id `{scenario}`"))
        })?;
        Ok(brackets
            .iter()
            .filter_map(|(bound, tier)| bound.parse::<f64>().ok().map(|b| (b, *tier)))
            .filter(|(bound, _)| *bound <= usd)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map_or(0, |(_, tier)| tier))
    }

    /// User fields missing for every tier up to `tier`.
    pub(super) fn missing_fields(&self, user: &Value, tier: u32) -> Vec<String> {
        self.config()
            .tier_requirements
            .range(..=tier)
            .flat_map(|(_, fields)| fields)
            .filter(|pointer| user.pointer(pointer).is_none_or(|v| v.is_null() || v.as_str() == Some("")))
            .cloned()
            .collect()
    }

    /// The highest tier whose requirements (and all below) the user meets.
    pub(super) fn tier_met(&self, user: &Value) -> u32 {
        let mut reached = 0;
        for tier in self.config().tier_requirements.keys() {
            if self.missing_fields(user, *tier).is_empty() {
                reached = *tier;
            } else {
                break;
            }
        }
        reached
    }

    /// What `tier` (and every tier below it) still needs of a user, for the twin's KYC form.
    pub fn missing_for_tier(&self, client_id: &str, user_id: &str, tier: u32) -> Result<Vec<String>, String> {
        let data = self.lock();
        let record = data.users.get(&key(client_id, user_id)).ok_or_else(|| format!("no user {user_id}"))?;
        Ok(self.missing_fields(&record.user, tier))
    }

    /// Sets user fields given through the twin's KYC form (`(JSON pointer, value)`, blanks left
    /// out); only the pointers some tier asks for are taken. Returns how many were set.
    pub fn fill_user_fields(
        &self,
        client_id: &str,
        user_id: &str,
        fields: &[(String, String)],
    ) -> Result<usize, String> {
        let config = self.config();
        let asked: BTreeSet<&String> = config.tier_requirements.values().flatten().collect();
        let mut data = self.lock();
        let record = data.users.get_mut(&key(client_id, user_id)).ok_or_else(|| format!("no user {user_id}"))?;
        let mut user = record.user.clone();
        let mut count = 0;
        for (pointer, value) in fields.iter().filter(|(_, value)| !value.trim().is_empty()) {
            if !asked.contains(pointer) {
                return Err(format!("`{pointer}` is not a field the KYC form asks for"));
            }
            set_pointer(&mut user, pointer, Value::from(value.trim()));
            count += 1;
        }
        record.user = check_user(user, "form").map_err(|_| "the user would no longer be valid".to_owned())?;
        Ok(count)
    }

    /// `GET /users/{id}/kyc-needed`.
    pub fn kyc_needed(&self, client_id: &str, user_id: &str, scenario: &str, amount: f64) -> Result<bool, PtiError> {
        let data = self.lock();
        let record = data.users.get(&key(client_id, user_id)).ok_or_else(|| unknown_user(user_id))?;
        let total = record.cumulative_usd.get(scenario).copied().unwrap_or(0.0) + amount;
        let required = self.required_tier(scenario, total)?;
        Ok(record.kyc_tier < required)
    }

    /// `GET /users/{id}/kyc`.
    pub fn latest_kyc(&self, client_id: &str, user_id: &str) -> Result<Kyc, PtiError> {
        let data = self.lock();
        let record = data.users.get(&key(client_id, user_id)).ok_or_else(|| unknown_user(user_id))?;
        let Some(request_id) = &record.latest_kyc else {
            return Ok(Kyc {
                status: None,
                tier: Some(i64::from(record.kyc_tier)),
                client_meta: None,
                request_id: None,
            });
        };
        let kyc = data.kycs.get(&key(client_id, request_id));
        let status = kyc.and_then(|k| match k.status.as_str() {
            "ACCEPTED" => Some(KycStatus::Accepted),
            "REFUSED" => Some(KycStatus::Refused),
            "UNDER_REVIEW" => Some(KycStatus::ManualReview),
            "REQUESTED_MORE_INFORMATION" => Some(KycStatus::RequestedMoreInformation),
            _ => None,
        });
        Ok(Kyc {
            status,
            tier: kyc.and_then(|k| k.tier).map(i64::from),
            client_meta: kyc.and_then(|k| k.client_meta.clone()),
            request_id: Some(request_id.clone()),
        })
    }

    /// `POST /users/{id}/kyc` (v0) and `POST /users/assessments` (v1): records the KYC (the
    /// body's user data merged into the user).
    pub fn start_kyc(
        &self,
        client_id: &str,
        user_id: &str,
        request_id: &str,
        body: &Value,
        api: Api,
    ) -> Result<Event, PtiError> {
        let mut data = self.lock();
        let record = Self::active_user(&mut data, client_id, user_id)?;
        let mut merged = record.user.clone();
        let mut patch = body.clone();
        let client_meta = patch.as_object_mut().and_then(|o| {
            o.remove("ptiMeta");
            o.remove("clientMeta")
        });
        merge(&mut merged, &patch);
        let merged = check_user(merged, "body")?;
        Self::take_request_id(&mut data, client_id, request_id)?;
        if let Some(record) = data.users.get_mut(&key(client_id, user_id)) {
            record.user = merged;
            record.latest_kyc = Some(request_id.to_owned());
        }
        data.kycs.insert(
            key(client_id, request_id),
            KycRecord {
                user_id: user_id.to_owned(),
                status: "PENDING".into(),
                tier: None,
                refusal_reason: None,
                client_meta: client_meta.and_then(|m| m.as_object().cloned()),
                api,
                date: Some(chrono::Utc::now()),
            },
        );
        let pending = data.kycs.get(&key(client_id, request_id)).filter(|_| api == Api::V1);
        Ok(match pending {
            Some(kyc) => v1_events::assessment_event(client_id, request_id, user_id, kyc),
            None => kyc_event(client_id, request_id, user_id, "PENDING", None, None),
        })
    }

    /// Decides a KYC: an admin decision, else the magic last names, else ACCEPTED at the tier
    /// the user's data meets.
    pub fn finish_kyc(&self, client_id: &str, request_id: &str) -> Option<Event> {
        let mut data = self.lock();
        let kyc = data.kycs.get(&key(client_id, request_id))?.clone();
        if kyc.status != "PENDING" {
            return None;
        }
        let user = data.users.get(&key(client_id, &kyc.user_id))?.user.clone();
        let decided = take_decision(&mut data.decisions, DecisionKind::Kyc, client_id, request_id, &kyc.user_id);
        let last_name = user.pointer("/name/lastName").and_then(Value::as_str).unwrap_or_default();
        let (status, tier, reason) = match decided {
            Some(decision) => (decision.status, decision.tier.or(Some(self.tier_met(&user))), decision.reason),
            None if last_name.eq_ignore_ascii_case("refused") => {
                ("REFUSED".to_owned(), None, Some("IDENTITY_NOT_VERIFIED".to_owned()))
            }
            None if last_name.eq_ignore_ascii_case("review") => ("UNDER_REVIEW".to_owned(), None, None),
            None if self.config().outcomes.kyc == "ACCEPTED" => {
                ("ACCEPTED".to_owned(), Some(self.tier_met(&user)), None)
            }
            None => (self.config().outcomes.kyc.clone(), None, None),
        };
        Some(apply_kyc(&mut data, client_id, request_id, &kyc.user_id, &status, tier, reason))
    }
}

/// Sets `value` at a JSON `pointer` inside `target`, making the objects (and, for a numeric
/// segment, arrays) on the way.
fn set_pointer(target: &mut Value, pointer: &str, value: Value) {
    let mut slot = target;
    for segment in pointer.split('/').skip(1) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        slot = match segment.parse::<usize>() {
            Ok(index) => {
                if !slot.is_array() {
                    *slot = Value::Array(Vec::new());
                }
                let Value::Array(items) = slot else { return };
                // Bounded by the configured pointers: an index past the end grows the list to it.
                while items.len() <= index.min(100) {
                    items.push(Value::Object(Map::new()));
                }
                let Some(item) = items.get_mut(index) else { return };
                item
            }
            Err(_) => {
                if !slot.is_object() {
                    *slot = Value::Object(Map::new());
                }
                let Value::Object(members) = slot else { return };
                members.entry(segment).or_insert(Value::Null)
            }
        };
    }
    *slot = value;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pointer_makes_the_objects_and_arrays_on_its_way_and_keeps_what_is_there() {
        let mut user = serde_json::json!({"id": "u-1", "name": {"firstName": "Jane"}});
        set_pointer(&mut user, "/name/lastName", Value::from("Doe"));
        set_pointer(&mut user, "/emails/0/address", Value::from("jane@example.com"));
        set_pointer(&mut user, "/dateOfBirth", Value::from("1990-01-31"));
        assert_eq!(
            user,
            serde_json::json!({"id": "u-1", "name": {"firstName": "Jane", "lastName": "Doe"},
                "emails": [{"address": "jane@example.com"}], "dateOfBirth": "1990-01-31"})
        );
    }
}
