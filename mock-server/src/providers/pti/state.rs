//! The PTI twin's state: clients, users, KYCs, logged transactions and fundings, the request-id
//! registry (409), user tokens, and decisions queued through the admin API.
//!
//! Plain serde data behind one std `Mutex`, never held across an `.await`: each check-and-write
//! (a request id taken, a token consumed) is one critical section, so races have one winner.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::config::PtiConfig;
use super::error::PtiError;
use super::model::{
    InputRequest, Kyc, KycEvent, KycStatus, MonitoringDetail, MonitoringEvent, ObjectReference, PaymentDetail,
    PaymentEvent, PaymentInfos, TransactionFeedback, KYC_EVENT_STATUSES, MONITORING_EVENT_STATUSES,
    PAYMENT_EVENT_STATUSES,
};

/// Everything the twin knows.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PtiData {
    /// Clients by id.
    pub clients: BTreeMap<String, ClientRecord>,
    /// Users by `client/user`.
    pub users: BTreeMap<String, UserRecord>,
    /// Request ids used, per client (KYC, transaction logs, fundings share one namespace).
    pub request_ids: BTreeMap<String, BTreeSet<String>>,
    /// KYCs by `client/request`.
    pub kycs: BTreeMap<String, KycRecord>,
    /// Logged transactions and fundings by `client/request`.
    pub transactions: BTreeMap<String, TransactionRecord>,
    /// User tokens by `jti`.
    pub tokens: BTreeMap<String, TokenRecord>,
    /// Outcomes decided ahead through the admin API, waiting for their request.
    pub decisions: Vec<Decision>,
    /// The HS512 key user tokens are signed with (base64), random per seeding. Kept in the data
    /// so a token issued before a restart on `--state-dir` still verifies after it; left out of
    /// `/__admin/state`.
    pub token_key: String,
}

/// A client.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ClientRecord {
    /// Its public JWKs (signatures are checked against them, webhooks encrypted to the first).
    pub public_jwks: Vec<Value>,
    /// Where its webhooks go.
    pub webhook_url: Option<String>,
}

/// A user.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UserRecord {
    /// The user as the client sent it (status fields removed: the API cannot set them).
    pub user: Value,
    /// `ACTIVE`, `INACTIVE` or `BLOCKED` (only the admin API changes it).
    pub status: String,
    /// The tier of the latest accepted KYC.
    pub kyc_tier: u32,
    /// The latest KYC's request id.
    pub latest_kyc: Option<String>,
    /// Accepted USD per scenario.
    pub cumulative_usd: BTreeMap<String, f64>,
}

/// A KYC.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KycRecord {
    /// Its user.
    pub user_id: String,
    /// `PENDING`, `ACCEPTED`, `REFUSED`, `UNDER_REVIEW`...
    pub status: String,
    /// The tier granted.
    pub tier: Option<u32>,
    /// Why it was refused.
    pub refusal_reason: Option<String>,
    /// `clientMeta` of the request.
    pub client_meta: Option<Map<String, Value>>,
}

/// A logged transaction or a funding.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TransactionRecord {
    /// `transactionLog` or `funding`.
    pub kind: String,
    /// The initiating user.
    pub user_id: String,
    /// The body as sent.
    pub body: Value,
    /// The scenario it counts towards.
    pub scenario: Option<String>,
    /// USD value (usdValue, else amount).
    pub usd: f64,
    /// Monitoring status (`PENDING`, `ACCEPT`, `DENY`, `MANUAL_REVIEW`) or payment status.
    pub status: String,
    /// The detail code that goes with DENY or REFUSED.
    pub detail: Option<String>,
    /// Feedback received.
    pub feedback: Vec<TransactionFeedback>,
}

/// An asynchronous result still to be decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unfinished {
    /// A KYC (`PENDING`).
    Kyc,
    /// A transaction log (`PENDING`).
    TransactionLog,
    /// A funding (`PENDING` or `AUTHORIZED`).
    Funding,
}

/// A user token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TokenRecord {
    /// Its client.
    pub client_id: String,
    /// Bound to this normalised path.
    pub path: String,
    /// And this method.
    pub method: String,
    /// Expiry.
    pub expires_at: DateTime<Utc>,
    /// Used already.
    pub consumed: bool,
}

/// What a decision is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionKind {
    /// A KYC result.
    Kyc,
    /// A transaction-monitoring result.
    Transaction,
    /// A payment (funding) result.
    Payment,
}

/// An outcome decided through `POST /__admin/pti/decisions`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// What it decides.
    pub kind: DecisionKind,
    /// The client (the demo client when absent).
    #[serde(default)]
    pub client_id: Option<String>,
    /// Applies to this request (now if it exists, else when it arrives).
    #[serde(default)]
    pub request_id: Option<String>,
    /// Or to the next request of this user.
    #[serde(default)]
    pub user_id: Option<String>,
    /// The status to send (`ACCEPTED`, `REFUSED`, `UNDER_REVIEW` / `ACCEPT`, `DENY`,
    /// `MANUAL_REVIEW` / `SETTLED`, `REFUSED`...).
    pub status: String,
    /// KYC tier (KYC decisions).
    #[serde(default)]
    pub tier: Option<u32>,
    /// Refusal reason or detail code.
    #[serde(default)]
    pub reason: Option<String>,
}

/// A webhook event to send: the user it concerns (ordering) and its JSON.
#[derive(Debug, Clone)]
pub struct Event {
    /// Client it goes to.
    pub client_id: String,
    /// User it concerns.
    pub user_id: String,
    /// The event JSON (notes §5.4).
    pub body: Value,
}

fn key(client: &str, id: &str) -> String {
    format!("{client}/{id}")
}

fn is_id(text: &str, max: usize) -> bool {
    (3..=max).contains(&text.len())
        && text.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

/// Checks a request id (`uuidLikeStr`).
pub fn check_request_id(id: Option<&str>) -> Result<String, PtiError> {
    let id = id.ok_or_else(|| PtiError::BadRequest(4000, "the x-pti-request-id header is required".into()))?;
    if !is_id(id, 64) {
        return Err(PtiError::BadRequest(4000, format!("x-pti-request-id `{id}` must match ^[a-z0-9_-]{{3,64}}$")));
    }
    Ok(id.to_owned())
}

/// What the published `user` schema (checked first, by the handler) cannot say: a BUSINESS needs
/// its main representative. Also drops `status` and `statusReason`, which the API ignores.
pub fn check_user(mut user: Value, path: &str) -> Result<Value, PtiError> {
    let object =
        user.as_object_mut().ok_or_else(|| PtiError::BadRequest(4000, format!("{path}: a user is a JSON object")))?;
    if object.get("type").and_then(Value::as_str) == Some("BUSINESS") && object.get("mainRepresentative").is_none() {
        return Err(PtiError::BadRequest(4000, format!("{path}.mainRepresentative is required for a BUSINESS")));
    }
    // "The status cannot be set via API calls that create or update users ... silently ignored."
    object.remove("status");
    object.remove("statusReason");
    Ok(user)
}

/// What the published `transaction` schema (checked first, by the handler) cannot say: a
/// transaction log is one of seven `type`s, and its initiator is the path's user. Returns the
/// USD value the tiers count (`usdValue`, else `amount`).
pub fn check_transaction(body: &Value, user_id: &str, needs_type: bool) -> Result<f64, PtiError> {
    let bad = |message: String| PtiError::BadRequest(4000, message);
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

/// Merges `patch` into `target` (RFC 7396).
fn merge(target: &mut Value, patch: &Value) {
    match (target, patch) {
        (Value::Object(target), Value::Object(patch)) => {
            for (key, value) in patch {
                if value.is_null() {
                    target.remove(key);
                } else {
                    merge(target.entry(key.clone()).or_insert(Value::Null), value);
                }
            }
        }
        (target, patch) => *target = patch.clone(),
    }
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

/// The twin's store.
pub struct PtiStore {
    config: PtiConfig,
    data: crate::durable::StateCell<PtiData>,
}

impl PtiStore {
    /// The seeded state of `config`; `demo_public_jwk` is the demo client's key.
    pub fn new(config: PtiConfig, demo_public_jwk: Value) -> Self {
        let data = seed(&config, &demo_public_jwk);
        Self { config, data: crate::durable::StateCell::new(data) }
    }

    /// The settings in force.
    pub fn config(&self) -> &PtiConfig {
        &self.config
    }

    fn lock(&self) -> crate::durable::StateGuard<'_, PtiData> {
        self.data.lock()
    }

    /// The data as the `--state-dir` store saves and restores it.
    pub fn durable(&self) -> &dyn crate::durable::Durable {
        &self.data
    }

    /// The asynchronous results not yet decided: `(kind, client, request id)`.
    pub fn unfinished(&self) -> Vec<(Unfinished, String, String)> {
        let data = self.lock();
        let split = |key: &String| key.split_once('/').map(|(c, r)| (c.to_owned(), r.to_owned()));
        let kycs = data.kycs.iter().filter(|(_, k)| k.status == "PENDING").filter_map(|(key, _)| split(key));
        let kycs = kycs.map(|(client, request)| (Unfinished::Kyc, client, request));
        let transactions = data.transactions.iter().filter_map(|(key, t)| {
            let kind = match (t.kind.as_str(), t.status.as_str()) {
                ("transactionLog", "PENDING") => Unfinished::TransactionLog,
                ("funding", "PENDING" | "AUTHORIZED") => Unfinished::Funding,
                _ => return None,
            };
            split(key).map(|(client, request)| (kind, client, request))
        });
        kycs.chain(transactions).collect()
    }

    /// The key user tokens are signed with.
    pub fn token_key(&self) -> Vec<u8> {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.decode(&self.lock().token_key).unwrap_or_default()
    }

    /// A copy of everything.
    pub fn snapshot(&self) -> PtiData {
        self.lock().clone()
    }

    /// Back to the seeded state (clients registered at run time are forgotten too).
    pub fn reset(&self, demo_public_jwk: &Value) {
        *self.lock() = seed(&self.config, demo_public_jwk);
    }

    /// A client's keys and webhook URL.
    pub fn client(&self, client_id: &str) -> Option<ClientRecord> {
        self.lock().clients.get(client_id).cloned()
    }

    /// Registers or updates a client (`PUT /__admin/pti/clients/{id}`).
    pub fn upsert_client(
        &self,
        client_id: &str,
        public_jwk: Option<Value>,
        webhook_url: Option<String>,
    ) -> Result<ClientRecord, String> {
        let mut data = self.lock();
        let existing = data.clients.get(client_id).cloned();
        let public_jwks = match (public_jwk, &existing) {
            (Some(jwk), _) => vec![jwk],
            (None, Some(record)) => record.public_jwks.clone(),
            (None, None) => return Err("a new client needs public_jwk".into()),
        };
        let webhook_url = webhook_url.or_else(|| existing.and_then(|e| e.webhook_url));
        let record = ClientRecord { public_jwks, webhook_url };
        data.clients.insert(client_id.to_owned(), record.clone());
        Ok(record)
    }

    /// Records an issued user token.
    pub fn remember_token(&self, jti: &str, record: TokenRecord) {
        let mut data = self.lock();
        let now = Utc::now();
        if data.tokens.len() > 10_000 {
            data.tokens.retain(|_, t| t.expires_at > now && !t.consumed);
        }
        data.tokens.insert(jti.to_owned(), record);
    }

    /// Uses a token once: 401 when unknown, expired or used, 403 for another URL or method.
    pub fn consume_token(
        &self,
        jti: &str,
        client_id: &str,
        method: &str,
        path: &str,
        now: DateTime<Utc>,
    ) -> Result<(), PtiError> {
        let mut data = self.lock();
        let token =
            data.tokens.get_mut(jti).ok_or_else(|| PtiError::Unauthorized(4012, "unknown x-pti-token".into()))?;
        if token.client_id != client_id {
            return Err(PtiError::Unauthorized(4012, "the x-pti-token belongs to another client".into()));
        }
        if token.expires_at <= now {
            return Err(PtiError::Unauthorized(4012, "the x-pti-token has expired".into()));
        }
        if token.consumed {
            return Err(PtiError::Unauthorized(
                4013,
                "the x-pti-token was already used (user tokens are single-use)".into(),
            ));
        }
        if !token.method.eq_ignore_ascii_case(method) || token.path != path {
            return Err(PtiError::Forbidden(
                4030,
                format!("the x-pti-token allows {} {}, not {method} {path}", token.method, token.path),
            ));
        }
        token.consumed = true;
        Ok(())
    }

    /// `POST /users`: 409 when the id exists.
    pub fn create_user(&self, client_id: &str, user: Value) -> Result<String, PtiError> {
        let id = user.get("id").and_then(Value::as_str).unwrap_or_default().to_owned();
        let mut data = self.lock();
        let user_key = key(client_id, &id);
        if data.users.contains_key(&user_key) {
            return Err(PtiError::Conflict(4091, format!("User already exist: {id}")));
        }
        data.users.insert(
            user_key,
            UserRecord {
                user,
                status: "ACTIVE".into(),
                kyc_tier: 0,
                latest_kyc: None,
                cumulative_usd: BTreeMap::new(),
            },
        );
        Ok(id)
    }

    /// `GET /users`.
    pub fn user_ids(&self, client_id: &str) -> Vec<String> {
        let prefix = format!("{client_id}/");
        self.lock().users.keys().filter_map(|k| k.strip_prefix(&prefix).map(str::to_owned)).take(1000).collect()
    }

    /// `GET /users/{id}`.
    pub fn user(&self, client_id: &str, user_id: &str) -> Result<Value, PtiError> {
        let data = self.lock();
        let record = data.users.get(&key(client_id, user_id)).ok_or_else(|| unknown_user(user_id))?;
        let mut user = record.user.clone();
        if let Some(object) = user.as_object_mut() {
            object.insert("status".into(), Value::from(record.status.clone()));
        }
        Ok(user)
    }

    /// `PUT /users` (replace) or `PATCH /users` (merge), by the body's id.
    pub fn update_user(&self, client_id: &str, user: Value, replace: bool) -> Result<String, PtiError> {
        let id = user.get("id").and_then(Value::as_str).unwrap_or_default().to_owned();
        let mut data = self.lock();
        let record = data.users.get_mut(&key(client_id, &id)).ok_or_else(|| unknown_user(&id))?;
        if replace {
            record.user = user;
        } else {
            let mut merged = record.user.clone();
            merge(&mut merged, &user);
            record.user = check_user(merged, "user")?;
        }
        Ok(id)
    }

    /// Changes a user's status (admin only, as with PTI staff).
    pub fn set_user_status(&self, client_id: &str, user_id: &str, status: &str) -> Result<(), String> {
        let mut data = self.lock();
        let record = data.users.get_mut(&key(client_id, user_id)).ok_or_else(|| format!("no user {user_id}"))?;
        record.status = status.to_owned();
        Ok(())
    }

    fn active_user<'a>(data: &'a mut PtiData, client_id: &str, user_id: &str) -> Result<&'a mut UserRecord, PtiError> {
        let record = data.users.get_mut(&key(client_id, user_id)).ok_or_else(|| unknown_user(user_id))?;
        if record.status != "ACTIVE" {
            return Err(PtiError::Forbidden(4031, format!("user {user_id} is {}", record.status)));
        }
        Ok(record)
    }

    fn take_request_id(data: &mut PtiData, client_id: &str, request_id: &str) -> Result<(), PtiError> {
        if !data.request_ids.entry(client_id.to_owned()).or_default().insert(request_id.to_owned()) {
            return Err(PtiError::Conflict(4090, format!("x-pti-request-id {request_id} was already used")));
        }
        Ok(())
    }

    /// The tier a scenario requires for a cumulative USD amount (400 for an unknown scenario).
    pub fn required_tier(&self, scenario: &str, usd: f64) -> Result<u32, PtiError> {
        let brackets = self
            .config
            .scenarios
            .get(scenario)
            .ok_or_else(|| PtiError::BadRequest(4001, format!("unknown x-pti-scenario-id `{scenario}`")))?;
        Ok(brackets
            .iter()
            .filter_map(|(bound, tier)| bound.parse::<f64>().ok().map(|b| (b, *tier)))
            .filter(|(bound, _)| *bound <= usd)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map_or(0, |(_, tier)| tier))
    }

    /// User fields missing for every tier up to `tier`.
    fn missing_fields(&self, user: &Value, tier: u32) -> Vec<String> {
        self.config
            .tier_requirements
            .range(..=tier)
            .flat_map(|(_, fields)| fields)
            .filter(|pointer| user.pointer(pointer).is_none_or(|v| v.is_null() || v.as_str() == Some("")))
            .cloned()
            .collect()
    }

    /// The highest tier whose requirements (and all below) the user meets.
    fn tier_met(&self, user: &Value) -> u32 {
        let mut reached = 0;
        for tier in self.config.tier_requirements.keys() {
            if self.missing_fields(user, *tier).is_empty() {
                reached = *tier;
            } else {
                break;
            }
        }
        reached
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

    /// `POST /users/{id}/kyc`: records the KYC (the body's user data merged into the user).
    pub fn start_kyc(&self, client_id: &str, user_id: &str, request_id: &str, body: &Value) -> Result<Event, PtiError> {
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
            },
        );
        Ok(kyc_event(client_id, request_id, user_id, "PENDING", None, None))
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
            None if self.config.outcomes.kyc == "ACCEPTED" => ("ACCEPTED".to_owned(), Some(self.tier_met(&user)), None),
            None => (self.config.outcomes.kyc.clone(), None, None),
        };
        Some(apply_kyc(&mut data, client_id, request_id, &kyc.user_id, &status, tier, reason))
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
                        return Err(PtiError::Forbidden(
                            4031,
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
                        url: format!("{form_url}?tier={required}"),
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
            },
        );
        let record = data
            .transactions
            .get(&key(client_id, request_id))
            .ok_or_else(|| PtiError::NotFound(4041, format!("no transaction {request_id}")))?;
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
        if record.status != "PENDING" || record.kind != "transactionLog" {
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
            None => (self.config.outcomes.transaction.clone(), None),
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
                    None if self.config.outcomes.payment == "SETTLED" => ("AUTHORIZED".to_owned(), None),
                    None => (self.config.outcomes.payment.clone(), None),
                }
            }
            "AUTHORIZED" => ("SETTLED".to_owned(), None),
            _ => return None,
        };
        Some(apply_payment(&mut data, client_id, request_id, &next.0, next.1))
    }

    /// `GET /users/{id}/transactionLogs/{requestId}`.
    pub fn transaction(&self, client_id: &str, user_id: &str, request_id: &str) -> Result<Value, PtiError> {
        let data = self.lock();
        data.users.get(&key(client_id, user_id)).ok_or_else(|| unknown_user(user_id))?;
        data.transactions
            .get(&key(client_id, request_id))
            .filter(|t| t.user_id == user_id && t.kind == "transactionLog")
            .map(|t| t.body.clone())
            .ok_or_else(|| PtiError::NotFound(4041, format!("no transaction log {request_id} for user {user_id}")))
    }

    /// `POST /transactions/{requestId}/feedback`.
    pub fn feedback(&self, client_id: &str, request_id: &str, feedback: TransactionFeedback) -> Result<(), PtiError> {
        let mut data = self.lock();
        let record = data
            .transactions
            .get_mut(&key(client_id, request_id))
            .ok_or_else(|| PtiError::NotFound(4041, format!("no transaction with request id {request_id}")))?;
        record.feedback.push(feedback);
        Ok(())
    }

    /// Applies an admin decision: at once when its request exists (returning the webhook to
    /// send), else kept for the next matching request.
    pub fn decide(&self, mut decision: Decision) -> Result<Option<Event>, String> {
        let client_id = decision.client_id.clone().unwrap_or_else(|| super::seed::DEMO_CLIENT_ID.to_owned());
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

fn unknown_user(user_id: &str) -> PtiError {
    PtiError::NotFound(4040, format!("User not found: {user_id}"))
}

fn take_decision(
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

fn apply_kyc(
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
    kyc_event(client_id, request_id, user_id, status, tier, reason)
}

fn apply_transaction(
    data: &mut PtiData,
    client_id: &str,
    request_id: &str,
    status: &str,
    detail: Option<String>,
) -> Event {
    let mut user_id = String::new();
    let mut counted = None;
    if let Some(record) = data.transactions.get_mut(&key(client_id, request_id)) {
        let was_accepted = record.status == "ACCEPT";
        record.status = status.to_owned();
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
    record
        .map(|r| monitoring_event(client_id, request_id, r))
        .unwrap_or_else(|| kyc_event(client_id, request_id, &user_id, status, None, None))
}

fn apply_payment(data: &mut PtiData, client_id: &str, request_id: &str, status: &str, detail: Option<String>) -> Event {
    if let Some(record) = data.transactions.get_mut(&key(client_id, request_id)) {
        record.status = status.to_owned();
        record.detail = detail;
    }
    match data.transactions.get(&key(client_id, request_id)) {
        Some(record) => payment_event(client_id, request_id, record),
        None => kyc_event(client_id, request_id, "", status, None, None),
    }
}

fn kyc_event(
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
    Event {
        client_id: client_id.to_owned(),
        user_id: user_id.to_owned(),
        body: serde_json::to_value(event).unwrap_or_default(),
    }
}

fn monitoring_event(client_id: &str, request_id: &str, record: &TransactionRecord) -> Event {
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
    Event {
        client_id: client_id.to_owned(),
        user_id: record.user_id.clone(),
        body: serde_json::to_value(event).unwrap_or_default(),
    }
}

fn payment_event(client_id: &str, request_id: &str, record: &TransactionRecord) -> Event {
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
            credit_card_last4_digits: text(information.and_then(|i| i.get("creditCardLast4")), "0000"),
            payment_provider_transaction_id: format!("psp-{request_id}"),
        },
        transaction_status_detail: record.detail.clone().map(|code| PaymentDetail {
            provider_response_code: code,
            provider_response_category: "HARD_DECLINE".into(),
        }),
    };
    Event {
        client_id: client_id.to_owned(),
        user_id: record.user_id.clone(),
        body: serde_json::to_value(event).unwrap_or_default(),
    }
}

fn seed(config: &PtiConfig, demo_public_jwk: &Value) -> PtiData {
    use base64::Engine;
    use rand::RngExt;
    let key: Vec<u8> = (0..64).map(|_| rand::rng().random::<u8>()).collect();
    let mut data = PtiData { token_key: base64::engine::general_purpose::STANDARD.encode(key), ..PtiData::default() };
    for client in &config.clients {
        let public = client.public_jwk.clone().unwrap_or_else(|| demo_public_jwk.clone());
        data.clients.insert(
            client.id.clone(),
            ClientRecord { public_jwks: vec![public], webhook_url: client.webhook_url.clone() },
        );
    }
    data
}

/// The reference a create answers.
pub fn reference(id: &str, link: String) -> ObjectReference {
    ObjectReference { id: id.to_owned(), link }
}
