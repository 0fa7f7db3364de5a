//! The PTI twin's state: clients, users, KYCs, logged transactions and fundings, the request-id
//! registry (409), user tokens, and decisions queued through the admin API.
//!
//! Plain serde data behind one std `Mutex`, never held across an `.await`: each check-and-write
//! (a request id taken, a token consumed) is one critical section, so races have one winner.

mod clients;
mod decisions;
mod events;
mod kyc;
mod transactions;
mod users;
mod v1;
mod v1_events;
mod v1_transactions;

pub use v1::{move_balance, usd_price, OwnedValue, V1Data, WalletRecord, ASSETS};
pub use v1_events::iso;
pub use v1_transactions::{usd_value, NewExecution, V1Outcome};

// The children share their helpers through this module (each starts with `use super::*`).
use decisions::{apply_kyc, apply_payment, apply_transaction, take_decision};
use events::{kyc_event, monitoring_event, payment_event, user_status_event};
use std::sync::Arc;
pub use transactions::{check_request_id, check_transaction, reference, NewTransaction};
pub use users::check_user;
use users::{merge, unknown_user};

use super::config::PtiConfig;
use super::model::TransactionFeedback;
use super::seed::seed_data;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

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
    /// What only v1 has: wallets, payment information, digital items.
    #[serde(default)]
    pub v1: V1Data,
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
    /// How they are sent; unset, by the API of each event (v1 `ed25519`, v0 `jwe`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_transport: Option<WebhookTransport>,
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
    /// The API it was created through (its status webhooks go in that API's transport).
    #[serde(default)]
    pub api: Api,
    /// When it was created (v1's `userCreationDate`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
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
    /// The API it was started through (a v1 user assessment answers and notifies in v1's shape).
    #[serde(default)]
    pub api: Api,
    /// When it was started or last decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<DateTime<Utc>>,
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
    /// The API it came through. For a v1 transaction `kind` is `assessment` (monitoring only) or
    /// the transaction type (`DEPOSIT`...), whose `status` is then the payment status.
    #[serde(default)]
    pub api: Api,
    /// A v1 executed transaction's monitoring status (`PENDING`, `ACCEPT`, `DENY`, `MANUAL_REVIEW`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monitoring: Option<String>,
    /// A v1 executed transaction's payment refusal code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_detail: Option<String>,
    /// When it was received.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    /// v1 `transactionUpdate`s received (v1's feedback values differ from v0's).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub updates: Vec<Value>,
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
    /// A v1 executed transaction: monitoring, then payment (`PENDING`, `AUTHORIZED`).
    Execution,
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

/// A webhook event to send: the user it concerns (ordering), its JSON, and the API it belongs to
/// (which picks the transport when the client has not chosen one).
#[derive(Debug, Clone)]
pub struct Event {
    /// Client it goes to.
    pub client_id: String,
    /// User it concerns.
    pub user_id: String,
    /// The event JSON (notes §5.4, or the v1 guide's webhook definitions).
    pub body: Value,
    /// v0 or v1.
    pub api: Api,
}

impl Event {
    /// An event of the v0 API.
    pub fn v0(client_id: &str, user_id: &str, body: Value) -> Self {
        Self { client_id: client_id.to_owned(), user_id: user_id.to_owned(), body, api: Api::V0 }
    }

    /// An event of the v1 API.
    pub fn v1(client_id: &str, user_id: &str, body: Value) -> Self {
        Self { api: Api::V1, ..Self::v0(client_id, user_id, body) }
    }
}

/// Which PTI API a user or a request came through.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Api {
    /// The v0 public API (`/pti/v0`).
    #[default]
    V0,
    /// The v1 Fiant institutional API (`/pti/v1`).
    V1,
}

/// How a client's webhooks are sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum WebhookTransport {
    /// RS512 JWS (PTI's key) inside an RSA-OAEP-256 + A256CBC-HS512 JWE (the client's key): v0's.
    Jwe,
    /// The plain JSON body, Ed25519-signed in a `v1=<base64>` header: PTI's since 2026-04.
    Ed25519,
}

fn key(client: &str, id: &str) -> String {
    format!("{client}/{id}")
}

/// The twin's store.
pub struct PtiStore {
    // Swapped whole by a `--watch` reload; each read takes the settings in force at that moment.
    config: arc_swap::ArcSwap<PtiConfig>,
    data: crate::durable::StateCell<PtiData>,
}

impl PtiStore {
    /// The seeded state of `config`; `demo_public_jwk` is the demo client's key.
    pub fn new(config: PtiConfig, demo_public_jwk: Value) -> Self {
        let data = seed_data(&config, &demo_public_jwk);
        Self { config: arc_swap::ArcSwap::from_pointee(config), data: crate::durable::StateCell::new(data) }
    }

    /// The settings in force.
    pub fn config(&self) -> Arc<PtiConfig> {
        self.config.load_full()
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
                ("transactionLog" | "assessment", "PENDING") => Unfinished::TransactionLog,
                ("funding", "PENDING" | "AUTHORIZED") => Unfinished::Funding,
                (_, "PENDING" | "AUTHORIZED") if t.api == Api::V1 => Unfinished::Execution,
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

    /// Puts a reloaded config in force: outcomes, scenarios, delays and the rest at once. A client
    /// the config adds or changes is registered as written; one it no longer lists is removed.
    /// Clients registered at run time and every user, KYC and transaction stay.
    pub fn reconfigure(&self, config: PtiConfig, demo_public_jwk: &Value) {
        let previous = self.config.swap(Arc::new(config));
        let config = self.config();
        let mut data = self.lock();
        for gone in previous.clients.iter().filter(|old| !config.clients.iter().any(|new| new.id == old.id)) {
            data.clients.remove(&gone.id);
        }
        // An unchanged client keeps what the admin API set for it since.
        for client in config.clients.iter().filter(|new| !previous.clients.contains(new)) {
            data.clients.insert(client.id.clone(), super::seed::client_record(client, demo_public_jwk));
        }
    }

    /// Back to the seeded state (clients registered at run time are forgotten too).
    pub fn reset(&self, demo_public_jwk: &Value) {
        *self.lock() = seed_data(&self.config(), demo_public_jwk);
    }
}
