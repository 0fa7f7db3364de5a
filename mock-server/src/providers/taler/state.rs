//! The merchant backend's state: instances, their tokens and accounts, and the KYC status of each
//! account at each exchange, behind one std `Mutex` (never held across an `.await`).
//!
//! Long-polls wait on a `watch` channel per instance: a status change bumps that instance's
//! counter and wakes exactly its waiters; a waiting request holds no thread and polls nothing.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256, Sha512};
use tokio::sync::watch;

use super::config::{TalerConfig, TokenSeed};
use super::model::{AccountEntry, AccountLimit, MerchantAccountKycRedirect, STATUSES};

/// Crockford base32 as GNUnet writes it (hand-written: eight lines, and the alphabet differs
/// from RFC 4648's).
pub fn crockford(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let (mut out, mut buffer, mut bits) = (String::with_capacity(bytes.len() * 8 / 5 + 1), 0u32, 0u32);
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
        buffer &= (1 << bits) - 1;
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

/// Whether `text` is a Crockford base32 64-byte hash (103 characters).
pub fn is_hash(text: &str) -> bool {
    text.len() == 103 && text.bytes().all(|b| b"0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains(&b.to_ascii_uppercase()))
}

/// `h_wire`: the hash of the salted payto URI (the salt is derived from the instance, so it is
/// stable across restarts).
pub fn h_wire(instance: &str, payto_uri: &str) -> String {
    let salt = Sha256::digest(format!("fintwin-salt:{instance}").as_bytes());
    let mut hasher = Sha512::new();
    hasher.update(payto_uri.as_bytes());
    hasher.update(salt);
    crockford(&hasher.finalize())
}

/// A strong ETag over a response body: equal bodies, equal tags.
pub fn etag(body: &[u8]) -> String {
    let digest = crockford(&Sha512::digest(body));
    format!("\"{}\"", &digest[..32])
}

/// All the backend knows.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TalerData {
    /// Instances by id.
    pub instances: BTreeMap<String, InstanceRecord>,
}

/// An instance.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InstanceRecord {
    /// Tokens and their permissions.
    pub tokens: Vec<TokenSeed>,
    /// Bank accounts.
    pub accounts: Vec<AccountEntry>,
    /// KYC status per `h_wire exchange_url`, in account then exchange order.
    pub kyc: BTreeMap<String, MerchantAccountKycRedirect>,
}

/// What a request selects.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only this account.
    pub h_wire: Option<String>,
    /// Only this exchange.
    pub exchange_url: Option<String>,
}

/// A change made through the admin API.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KycChange {
    /// The account.
    pub h_wire: String,
    /// The exchange.
    pub exchange_url: String,
    /// The new status.
    pub status: String,
    /// A new access token.
    #[serde(default)]
    pub access_token: Option<String>,
    /// New limits.
    #[serde(default)]
    pub limits: Option<Vec<AccountLimit>>,
    /// The exchange's HTTP status.
    #[serde(default)]
    pub exchange_http_status: Option<i64>,
    /// Apply it this many milliseconds later (so one scenario can long-poll for it).
    #[serde(default)]
    pub after_ms: Option<u64>,
}

/// A rendered answer: the entries, the JSON body and its ETag.
#[derive(Debug)]
pub struct Answer {
    /// The selected entries.
    pub entries: Vec<MerchantAccountKycRedirect>,
    /// `MerchantAccountKycRedirectsResponse` as JSON.
    pub body: bytes::Bytes,
    /// Its strong ETag.
    pub etag: String,
}

/// Answers built for (instance, filter) at an instance version.
type AnswerCache = std::collections::HashMap<(String, Option<String>, Option<String>), (u64, std::sync::Arc<Answer>)>;

/// The store.
pub struct TalerStore {
    config: TalerConfig,
    data: crate::durable::StateCell<TalerData>,
    waiters: BTreeMap<String, watch::Sender<u64>>,
    // Separate from `data` so building an answer never waits on it; bounded by distinct filters.
    answers: std::sync::Mutex<AnswerCache>,
}

impl TalerStore {
    /// The seeded state of `config`.
    pub fn new(config: TalerConfig) -> Self {
        let data = seed(&config);
        let waiters = config.instances.iter().map(|i| (i.id.clone(), watch::channel(0).0)).collect();
        Self { config, data: crate::durable::StateCell::new(data), waiters, answers: std::sync::Mutex::default() }
    }

    /// The settings in force.
    pub fn config(&self) -> &TalerConfig {
        &self.config
    }

    fn lock(&self) -> crate::durable::StateGuard<'_, TalerData> {
        self.data.lock()
    }

    /// The data as the `--state-dir` store saves and restores it.
    pub fn durable(&self) -> &dyn crate::durable::Durable {
        &self.data
    }

    /// A copy of everything.
    pub fn snapshot(&self) -> TalerData {
        self.lock().clone()
    }

    /// Back to the seed; every waiter re-checks.
    pub fn reset(&self) {
        *self.lock() = seed(&self.config);
        self.answers.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clear();
        for sender in self.waiters.values() {
            sender.send_modify(|version| *version += 1);
        }
    }

    /// Whether the instance exists.
    pub fn has_instance(&self, instance: &str) -> bool {
        self.lock().instances.contains_key(instance)
    }

    /// The permissions of `token` on `instance`, if it is one of its tokens.
    pub fn permissions(&self, instance: &str, token: &str) -> Option<Vec<String>> {
        let data = self.lock();
        let record = data.instances.get(instance)?;
        record.tokens.iter().find(|t| crate::secret::constant_time_eq(&t.token, token)).map(|t| t.permissions.clone())
    }

    /// A receiver woken by every change of the instance.
    pub fn subscribe(&self, instance: &str) -> Option<watch::Receiver<u64>> {
        self.waiters.get(instance).map(watch::Sender::subscribe)
    }

    /// How many requests wait on an instance (for the state view and benchmarks).
    pub fn waiting(&self, instance: &str) -> usize {
        self.waiters.get(instance).map_or(0, |s| s.receiver_count())
    }

    /// The entries a filter selects.
    pub fn entries(&self, instance: &str, filter: &Filter) -> Vec<MerchantAccountKycRedirect> {
        let data = self.lock();
        let Some(record) = data.instances.get(instance) else { return Vec::new() };
        record
            .kyc
            .values()
            .filter(|e| filter.h_wire.as_deref().is_none_or(|h| h.eq_ignore_ascii_case(&e.h_wire)))
            .filter(|e| filter.exchange_url.as_deref().is_none_or(|u| u == e.exchange_url))
            .cloned()
            .collect()
    }

    /// The answer for a filter at `version` of the instance, built once and shared by every
    /// request that asks for it (a change wakes thousands of long-polls with the same question).
    pub fn answer(&self, instance: &str, filter: &Filter, version: u64) -> std::sync::Arc<Answer> {
        let key = (instance.to_owned(), filter.h_wire.clone(), filter.exchange_url.clone());
        let mut answers = self.answers.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((built, answer)) = answers.get(&key) {
            if *built == version {
                return answer.clone();
            }
        }
        let entries = self.entries(instance, filter);
        let body =
            serde_json::to_vec(&super::model::KycRedirectsResponse { kyc_data: entries.clone() }).unwrap_or_default();
        let answer = std::sync::Arc::new(Answer { etag: etag(&body), entries, body: body.into() });
        if answers.len() > 1024 {
            answers.clear();
        }
        answers.insert(key, (version, answer.clone()));
        answer
    }

    /// The instance's accounts.
    pub fn accounts(&self, instance: &str) -> Vec<AccountEntry> {
        self.lock().instances.get(instance).map(|i| i.accounts.clone()).unwrap_or_default()
    }

    /// Applies an admin change and wakes the instance's waiters.
    pub fn change(&self, instance: &str, change: &KycChange) -> Result<MerchantAccountKycRedirect, String> {
        if !STATUSES.contains(&change.status.as_str()) {
            return Err(format!("`{}` is not a KYC status ({})", change.status, STATUSES.join(", ")));
        }
        let updated = {
            let mut data = self.lock();
            let record = data.instances.get_mut(instance).ok_or_else(|| format!("no instance {instance}"))?;
            let entry = record
                .kyc
                .values_mut()
                .find(|e| e.h_wire.eq_ignore_ascii_case(&change.h_wire) && e.exchange_url == change.exchange_url)
                .ok_or_else(|| {
                    format!("instance {instance} has no account {} at {}", change.h_wire, change.exchange_url)
                })?;
            entry.status = change.status.clone();
            if let Some(token) = &change.access_token {
                entry.access_token = Some(token.clone());
            }
            if let Some(limits) = &change.limits {
                entry.limits = Some(limits.clone()).filter(|l| !l.is_empty());
            }
            if let Some(status) = change.exchange_http_status {
                entry.exchange_http_status = status;
            }
            entry.clone()
        };
        if let Some(sender) = self.waiters.get(instance) {
            sender.send_modify(|version| *version += 1);
        }
        Ok(updated)
    }
}

fn seed(config: &TalerConfig) -> TalerData {
    let mut data = TalerData::default();
    for instance in &config.instances {
        let accounts: Vec<AccountEntry> = instance
            .accounts
            .iter()
            .map(|payto| AccountEntry { payto_uri: payto.clone(), h_wire: h_wire(&instance.id, payto), active: true })
            .collect();
        let mut kyc = BTreeMap::new();
        for (index, account) in accounts.iter().enumerate() {
            for exchange in &config.exchanges {
                let seed = config.kyc.iter().find(|k| {
                    k.instance == instance.id && k.payto_uri == account.payto_uri && k.exchange_url == exchange.url
                });
                let entry = MerchantAccountKycRedirect {
                    status: seed.map_or_else(|| "kyc-required".to_owned(), |s| s.status.clone()),
                    payto_uri: account.payto_uri.clone(),
                    exchange_currency: exchange.currency.clone(),
                    h_wire: account.h_wire.clone(),
                    exchange_url: exchange.url.clone(),
                    exchange_http_status: 200,
                    no_keys: false,
                    auth_conflict: false,
                    exchange_code: None,
                    access_token: seed.and_then(|s| s.access_token.clone()),
                    limits: seed.and_then(|s| s.limits.clone()),
                    payto_kycauths: None,
                    kyc_swap_tos_acceptance: None,
                    tos_accepted_early: None,
                };
                // Keyed so the list keeps account, then exchange, order.
                kyc.insert(format!("{index:04} {}", exchange.url), entry);
            }
        }
        data.instances.insert(instance.id.clone(), InstanceRecord { tokens: instance.tokens.clone(), accounts, kyc });
    }
    data
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn h_wire_is_a_103_character_crockford_hash_and_stable() {
        let a = h_wire("default", "payto://iban/DE89370400440532013000");
        assert_eq!(a.len(), 103);
        assert!(is_hash(&a));
        assert_eq!(a, h_wire("default", "payto://iban/DE89370400440532013000"));
        assert_ne!(a, h_wire("shop-1", "payto://iban/DE89370400440532013000"));
        assert_eq!(crockford(b"f"), "CR");
        assert_eq!(crockford(b"foobar"), "CSQPYRK1E8");
    }
}
