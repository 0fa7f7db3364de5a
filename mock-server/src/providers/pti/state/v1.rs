//! What only the v1 API has: users answered whole and paged, wallets with balances and history,
//! deposit instructions, payment information and digital items. Users, assessments and request
//! ids are v0's own records (one state behind both APIs).
//!
//! Over 400 lines: users, wallets (create, list, delete, instructions, simulated deposits, history)
//! and the two catalogues each need a few small methods over the same records; the transaction
//! side is `v1_transactions.rs`.

use super::*;
use crate::providers::pti::model::ObjectReference;
use crate::providers::pti::v1::error::V1Error;
use crate::providers::pti::v1::model::{User, UserAssessment, Wallet, WalletHistory};
use rand::RngExt;
use serde_json::Value;

/// What v1 keeps beside v0's records.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct V1Data {
    /// Wallets by `client/wallet`.
    pub wallets: BTreeMap<String, WalletRecord>,
    /// Payment information by `client/id`.
    pub payment_information: BTreeMap<String, OwnedValue>,
    /// Digital items by `client/id`.
    pub digital_items: BTreeMap<String, OwnedValue>,
}

/// A wallet and its balance changes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WalletRecord {
    /// Its user.
    pub user_id: String,
    /// As answered.
    pub wallet: Wallet,
    /// Every balance change, oldest first.
    pub history: Vec<WalletHistory>,
}

/// A user's JSON object (payment information, a digital item).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OwnedValue {
    /// Its user.
    pub user_id: String,
    /// As answered.
    pub value: Value,
}

/// The assets the twin trades, with their networks and a USD price per unit.
pub const ASSETS: &[(&str, &str, &[&str], f64)] = &[
    ("USD", "FIAT", &[], 1.0),
    ("USDC", "CRYPTO", &["ETHEREUM", "POLYGON", "SOLANA"], 1.0),
    ("BTC", "CRYPTO", &["BITCOIN"], 60_000.0),
    ("ETH", "CRYPTO", &["ETHEREUM"], 3_000.0),
    ("SOL", "CRYPTO", &["SOLANA"], 150.0),
    ("POL", "CRYPTO", &["POLYGON"], 0.5),
    ("LTC", "CRYPTO", &["LITECOIN"], 80.0),
    ("XRP", "CRYPTO", &["RIPPLE"], 0.6),
    ("XLM", "CRYPTO", &["STELLAR"], 0.1),
    ("ADA", "CRYPTO", &["CARDANO"], 0.4),
    ("DOGE", "CRYPTO", &["DOGECOIN"], 0.15),
    ("TRX", "CRYPTO", &["TRON"], 0.12),
    ("TON", "CRYPTO", &["TONCOIN"], 5.0),
    ("AVAX", "CRYPTO", &["AVALANCHE"], 30.0),
    ("HBAR", "CRYPTO", &["HEDERA"], 0.07),
];

/// The USD price of one unit of `currency`, if the twin trades it.
pub fn usd_price(currency: &str) -> Option<f64> {
    ASSETS.iter().find(|(c, ..)| *c == currency).map(|(_, _, _, price)| *price)
}

/// A wallet id of letters and underscores: the spec's `walletHistory.walletId` pattern
/// (`^[A-Za-z]+(?:_[A-Za-z]+)*$`) allows no digit, so ours have none.
fn wallet_id() -> String {
    let mut rng = rand::rng();
    let letters: String = (0..16).map(|_| char::from(b'a' + rng.random_range(0..26u8))).collect();
    format!("wallet_{letters}")
}

/// Money rounded to what a balance shows (8 decimals, enough for BTC).
pub(super) fn round(amount: f64) -> f64 {
    (amount * 1e8).round() / 1e8
}

impl PtiStore {
    /// A user as v1 answers it: the client's object, with status and creation date.
    pub fn v1_user(&self, client_id: &str, user_id: &str) -> Result<User, V1Error> {
        let data = self.lock();
        let record = data.users.get(&key(client_id, user_id)).ok_or_else(|| unknown_user(user_id))?;
        Ok(user_view(user_id, record))
    }

    /// `GET /users?page=&size=` (pages from 0).
    pub fn v1_users(&self, client_id: &str, page: u32, size: u32) -> (Vec<User>, u32) {
        let prefix = format!("{client_id}/");
        let data = self.lock();
        let all: Vec<(&str, &UserRecord)> =
            data.users.iter().filter_map(|(k, r)| k.strip_prefix(&prefix).map(|id| (id, r))).collect();
        let total = u32::try_from(all.len()).unwrap_or(u32::MAX);
        let start = usize::try_from(page.saturating_mul(size)).unwrap_or(usize::MAX);
        let users = all.into_iter().skip(start).take(size as usize).map(|(id, r)| user_view(id, r)).collect();
        (users, total)
    }

    /// `GET /users/{id}/assessments`: the latest assessment (v0 KYCs included), or the tier
    /// alone before the first.
    pub fn v1_assessment(&self, client_id: &str, user_id: &str) -> Result<UserAssessment, V1Error> {
        let data = self.lock();
        let record = data.users.get(&key(client_id, user_id)).ok_or_else(|| unknown_user(user_id))?;
        let mut answer = UserAssessment {
            resource_type: "USER_ASSESSMENT".into(),
            request_id: None,
            client_id: client_id.to_owned(),
            user_id: user_id.to_owned(),
            date: None,
            assessment: None,
            meta: None,
            tier: Some(record.kyc_tier),
            refusal_reason: None,
        };
        if let Some((request_id, kyc)) =
            record.latest_kyc.as_ref().and_then(|r| data.kycs.get(&key(client_id, r)).map(|k| (r, k)))
        {
            answer.request_id = Some(request_id.clone());
            answer.date = kyc.date.map(v1_events::iso);
            answer.assessment = Some(kyc.status.clone());
            answer.meta = kyc.client_meta.clone();
            answer.tier = kyc.tier.or(answer.tier);
            answer.refusal_reason = kyc.refusal_reason.clone();
        }
        Ok(answer)
    }

    /// What `tier` still needs of the user `body` describes, merged into the stored one.
    pub fn missing_for(&self, client_id: &str, body: &Value, tier: u32) -> Vec<String> {
        let id = body.get("id").and_then(Value::as_str).unwrap_or_default();
        let data = self.lock();
        let mut user = data.users.get(&key(client_id, id)).map(|r| r.user.clone()).unwrap_or(Value::Null);
        let mut patch = body.clone();
        if let Some(object) = patch.as_object_mut() {
            object.remove("ptiMeta");
            object.remove("clientMeta");
            object.remove("intendedTransactionUsdValue");
        }
        merge(&mut user, &patch);
        self.missing_fields(&user, tier)
    }

    /// A user's accepted tier and the fields each tier up to `tier` still needs.
    pub fn standing(&self, client_id: &str, user_id: &str, tier: u32) -> Result<(u32, Vec<String>), V1Error> {
        let data = self.lock();
        let record = data.users.get(&key(client_id, user_id)).ok_or_else(|| unknown_user(user_id))?;
        Ok((record.kyc_tier, self.missing_fields(&record.user, tier)))
    }

    /// `POST /users/{id}/wallets`.
    pub fn create_wallet(&self, client_id: &str, user_id: &str, mut wallet: Wallet) -> Result<Wallet, V1Error> {
        let mut data = self.lock();
        Self::active_user(&mut data, client_id, user_id)?;
        if wallet.id.is_empty() {
            wallet.id = wallet_id();
        }
        if data.v1.wallets.contains_key(&key(client_id, &wallet.id)) {
            return Err(V1Error::managed(
                "WALLET_REFERENCE_ALREADY_EXISTS",
                3014,
                format!("wallet {} exists", wallet.id),
            ));
        }
        let label_taken = wallet.label.as_ref().is_some_and(|label| {
            data.v1.wallets.values().any(|w| w.user_id == user_id && w.wallet.label.as_ref() == Some(label))
        });
        if label_taken {
            return Err(V1Error::managed("WALLET_LABEL_ALREADY_IN_USE", 3017, "this user has a wallet of that label"));
        }
        data.v1.wallets.insert(
            key(client_id, &wallet.id),
            WalletRecord { user_id: user_id.to_owned(), wallet: wallet.clone(), history: Vec::new() },
        );
        Ok(wallet)
    }

    /// A user's wallets.
    pub fn wallets(&self, client_id: &str, user_id: &str) -> Result<Vec<Wallet>, V1Error> {
        let data = self.lock();
        data.users.get(&key(client_id, user_id)).ok_or_else(|| unknown_user(user_id))?;
        let prefix = format!("{client_id}/");
        Ok(data
            .v1
            .wallets
            .iter()
            .filter(|(k, w)| k.starts_with(&prefix) && w.user_id == user_id)
            .map(|(_, w)| w.wallet.clone())
            .take(100)
            .collect())
    }

    /// Every wallet of the client, as references (`GET /wallets/`), and how many there are.
    pub fn client_wallets(&self, client_id: &str, base: &str, page: u32, size: u32) -> (Vec<ObjectReference>, u32) {
        let prefix = format!("{client_id}/");
        let data = self.lock();
        let all: Vec<&WalletRecord> =
            data.v1.wallets.iter().filter(|(k, _)| k.starts_with(&prefix)).map(|(_, w)| w).collect();
        let total = u32::try_from(all.len()).unwrap_or(u32::MAX);
        let start = usize::try_from(page.saturating_mul(size)).unwrap_or(usize::MAX);
        let items = all
            .into_iter()
            .skip(start)
            .take(size as usize)
            .map(|w| reference(&w.wallet.id, format!("{base}/users/{}/wallets/{}", w.user_id, w.wallet.id)))
            .collect();
        (items, total)
    }

    /// Runs `change` on a wallet of the user (404 when there is none).
    pub fn with_wallet<T>(
        &self,
        client_id: &str,
        user_id: &str,
        wallet_id: &str,
        change: impl FnOnce(&mut WalletRecord) -> Result<T, V1Error>,
    ) -> Result<T, V1Error> {
        let mut data = self.lock();
        data.users.get(&key(client_id, user_id)).ok_or_else(|| unknown_user(user_id))?;
        let record = data
            .v1
            .wallets
            .get_mut(&key(client_id, wallet_id))
            .filter(|w| w.user_id == user_id)
            .ok_or_else(|| V1Error::not_found(format!("no wallet {wallet_id} for user {user_id}")))?;
        change(record)
    }

    /// `DELETE /users/{id}/wallets/{walletId}`: only an empty wallet.
    pub fn delete_wallet(&self, client_id: &str, user_id: &str, wallet_id: &str) -> Result<(), V1Error> {
        self.with_wallet(client_id, user_id, wallet_id, |record| {
            if record.wallet.total_balance != 0.0 {
                return Err(V1Error::managed(
                    "UNABLE_TO_DELETE_WALLET_WITH_NONZERO_BALANCE",
                    3015,
                    format!("wallet {wallet_id} holds {} {}", record.wallet.total_balance, record.wallet.currency),
                ));
            }
            Ok(())
        })?;
        self.lock().v1.wallets.remove(&key(client_id, wallet_id));
        Ok(())
    }

    /// Stores a payment information or digital item for a user, with a fresh id.
    pub fn add_owned(&self, client_id: &str, user_id: &str, mut value: Value, items: bool) -> Result<Value, V1Error> {
        let mut data = self.lock();
        Self::active_user(&mut data, client_id, user_id)?;
        let id = uuid::Uuid::new_v4().to_string();
        if let Some(object) = value.as_object_mut() {
            object.insert("id".into(), Value::from(id.clone()));
        }
        let map = if items { &mut data.v1.digital_items } else { &mut data.v1.payment_information };
        map.insert(key(client_id, &id), OwnedValue { user_id: user_id.to_owned(), value: value.clone() });
        Ok(value)
    }

    /// A user's payment information (`kind` filters on `type`) or digital items.
    pub fn owned(
        &self,
        client_id: &str,
        user_id: &str,
        kind: Option<&str>,
        items: bool,
    ) -> Result<Vec<Value>, V1Error> {
        let data = self.lock();
        data.users.get(&key(client_id, user_id)).ok_or_else(|| unknown_user(user_id))?;
        let prefix = format!("{client_id}/");
        let map = if items { &data.v1.digital_items } else { &data.v1.payment_information };
        Ok(map
            .iter()
            .filter(|(k, o)| k.starts_with(&prefix) && o.user_id == user_id)
            .map(|(_, o)| o.value.clone())
            .filter(|v| kind.is_none_or(|kind| v.get("type").and_then(Value::as_str) == Some(kind)))
            .take(100)
            .collect())
    }

    /// One payment information or digital item; `user_id` `None` for a digital item read by
    /// its id alone. `change` may edit it; returning `false` removes it.
    pub fn with_owned(
        &self,
        client_id: &str,
        user_id: Option<&str>,
        id: &str,
        items: bool,
        change: impl FnOnce(&mut Value) -> Result<bool, V1Error>,
    ) -> Result<Value, V1Error> {
        let mut data = self.lock();
        if let Some(user_id) = user_id {
            data.users.get(&key(client_id, user_id)).ok_or_else(|| unknown_user(user_id))?;
        }
        let map = if items { &mut data.v1.digital_items } else { &mut data.v1.payment_information };
        let what = if items { "digital item" } else { "payment information" };
        let owned = map
            .get_mut(&key(client_id, id))
            .filter(|o| user_id.is_none_or(|u| o.user_id == u))
            .ok_or_else(|| V1Error::not_found(format!("no {what} {id}")))?;
        let keep = change(&mut owned.value)?;
        let value = owned.value.clone();
        if !keep {
            map.remove(&key(client_id, id));
        }
        Ok(value)
    }

    /// A user's digital item references and their total.
    pub fn digital_item_ids(&self, client_id: &str, user_id: &str) -> Result<Vec<String>, V1Error> {
        Ok(self
            .owned(client_id, user_id, None, true)?
            .iter()
            .filter_map(|item| item.get("id").and_then(Value::as_str).map(str::to_owned))
            .collect())
    }
}

/// Applies a balance change to a wallet and records it in its history.
pub fn move_balance(record: &mut WalletRecord, change: f64, request_id: Option<&str>, at: DateTime<Utc>) {
    let wallet = &mut record.wallet;
    record.history.push(WalletHistory {
        wallet_id: wallet.id.clone(),
        pending_balance_before: wallet.pending_balance,
        total_balance_before: wallet.total_balance,
        locked_balance_before: wallet.locked_balance,
        create_date_time: v1_events::iso(at),
        change: change.abs(),
        operation_target: "TOTAL_BALANCE".into(),
        request_id: request_id.map(str::to_owned),
    });
    wallet.total_balance = round((wallet.total_balance + change).max(0.0));
    wallet.available_balance = round((wallet.available_balance + change).max(0.0));
}

fn user_view(user_id: &str, record: &UserRecord) -> User {
    let mut rest = record.user.as_object().cloned().unwrap_or_default();
    let kind = rest.remove("type").and_then(|t| t.as_str().map(str::to_owned)).unwrap_or_else(|| "PERSON".into());
    rest.remove("id");
    rest.remove("status");
    rest.remove("userCreationDate");
    User {
        id: user_id.to_owned(),
        kind,
        status: record.status.clone(),
        user_creation_date: record.created_at.map(v1_events::iso),
        rest,
    }
}
