//! v1 wallets: created per user and currency, listed, read, deleted when empty; deposit
//! instructions (a crypto address, a virtual bank account, wire instructions); a simulated
//! deposit that moves the balance at once; the balance history; every wallet of the client.

use std::sync::Arc;

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::{created, numbers, object, path, query, typed, Paging, V1Result};
use crate::providers::pti::state::{move_balance, ASSETS};
use crate::providers::pti::v1::auth::V1Auth;
use crate::providers::pti::v1::error::V1Error;
use crate::providers::pti::v1::model::{ObjectReferencePage, Wallet, WalletHistoryPage};
use crate::providers::pti::Pti;
use crate::respond::Json;

/// `walletCreation`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WalletCreation {
    id: Option<String>,
    currency: String,
    network: Option<String>,
    label: Option<String>,
    multi_wallet_address: Option<bool>,
    #[serde(rename = "type")]
    kind: String,
    #[allow(dead_code)]
    create_date_time: Option<String>,
}

/// `POST /users/{userId}/wallets`: 201 with the wallet, empty.
pub async fn create(
    State(pti): State<Arc<Pti>>,
    user_id: Result<Path<String>, PathRejection>,
    V1Auth(auth): V1Auth,
) -> V1Result<Response> {
    let user_id = path(user_id)?;
    let creation: WalletCreation = typed(&auth)?;
    if creation.kind != "WALLET" {
        return Err(V1Error::invalid(format!("Invalid field: 'type' must be WALLET, not {}", creation.kind)));
    }
    let Some((_, _, networks, _)) = ASSETS.iter().find(|(currency, ..)| *currency == creation.currency) else {
        return Err(V1Error::managed(
            "UNSUPPORTED_CURRENCY",
            2004,
            format!("the twin has no {} wallets", creation.currency),
        ));
    };
    let network = match (creation.network, networks.first()) {
        (Some(network), _) if networks.contains(&network.as_str()) => Some(network),
        (Some(network), _) => {
            return Err(V1Error::managed(
                "WALLET_MISSING_NETWORK",
                1013,
                format!("{} is not on {network}", creation.currency),
            ))
        }
        (None, first) => first.map(|n| (*n).to_owned()),
    };
    if let Some(id) = creation.id.as_deref().filter(|id| id.is_empty() || id.len() > 255) {
        return Err(V1Error::invalid(format!("Invalid field: 'id' `{id}` must be 1 to 255 characters")));
    }
    let wallet = Wallet {
        id: creation.id.unwrap_or_default(),
        label: creation.label,
        currency: creation.currency,
        network,
        available_balance: 0.0,
        locked_balance: 0.0,
        pending_balance: 0.0,
        total_balance: 0.0,
        deposit_instruction: None,
        create_date_time: crate::providers::pti::state::iso(chrono::Utc::now()),
        multi_wallet_address: creation.multi_wallet_address.unwrap_or(false),
        kind: "WALLET".into(),
    };
    Ok(created(pti.store.create_wallet(&auth.client_id, &user_id, wallet)?))
}

/// `GET /users/{userId}/wallets`.
pub async fn list(
    State(pti): State<Arc<Pti>>,
    user_id: Result<Path<String>, PathRejection>,
    V1Auth(auth): V1Auth,
) -> V1Result<Json<Vec<Wallet>>> {
    Ok(Json(pti.store.wallets(&auth.client_id, &path(user_id)?)?))
}

/// `GET /users/{userId}/wallets/{walletId}`.
pub async fn read(
    State(pti): State<Arc<Pti>>,
    ids: Result<Path<(String, String)>, PathRejection>,
    V1Auth(auth): V1Auth,
) -> V1Result<Json<Wallet>> {
    let (user_id, wallet_id) = path(ids)?;
    Ok(Json(pti.store.with_wallet(&auth.client_id, &user_id, &wallet_id, |w| Ok(w.wallet.clone()))?))
}

/// `DELETE /users/{userId}/wallets/{walletId}`: 204 (400 while it holds funds).
pub async fn delete(
    State(pti): State<Arc<Pti>>,
    ids: Result<Path<(String, String)>, PathRejection>,
    V1Auth(auth): V1Auth,
) -> V1Result<StatusCode> {
    let (user_id, wallet_id) = path(ids)?;
    pti.store.delete_wallet(&auth.client_id, &user_id, &wallet_id)?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST .../simulate-deposit` (`simulateDepositRequest`): credits the wallet now (a sandbox
/// helper of PTI's; `status` other than SETTLED credits nothing).
pub async fn simulate_deposit(
    State(pti): State<Arc<Pti>>,
    ids: Result<Path<(String, String)>, PathRejection>,
    V1Auth(auth): V1Auth,
) -> V1Result<StatusCode> {
    let (user_id, wallet_id) = path(ids)?;
    let mut body = object(&auth)?;
    numbers(&mut body, &["amount"])?;
    let amount = body
        .get("amount")
        .and_then(Value::as_f64)
        .ok_or_else(|| V1Error::invalid("Invalid field: 'amount' is required"))?;
    let status = body.get("status").and_then(Value::as_str).unwrap_or("SETTLED").to_owned();
    let request_id = body.get("requestId").and_then(Value::as_str).map(str::to_owned);
    pti.store.with_wallet(&auth.client_id, &user_id, &wallet_id, |record| {
        if record.wallet.total_balance + amount > 999_999.0 {
            return Err(V1Error::invalid("Invalid field: the balance would pass 999999"));
        }
        if status == "SETTLED" {
            move_balance(record, amount, request_id.as_deref(), chrono::Utc::now());
        }
        Ok(())
    })?;
    Ok(StatusCode::CREATED)
}

/// Sets a wallet's deposit instruction, made by `make`, for a wallet whose currency is fiat
/// (`fiat`) or crypto (else); the other kind is refused with `refusal`.
fn instruct(
    pti: &Pti,
    client_id: &str,
    (user_id, wallet_id): (String, String),
    (fiat, refusal): (bool, V1Error),
    make: impl FnOnce(&Wallet) -> Map<String, Value>,
) -> V1Result<Response> {
    let wallet = pti.store.with_wallet(client_id, &user_id, &wallet_id, |record| {
        if is_fiat(&record.wallet) != fiat {
            return Err(refusal);
        }
        let instruction = make(&record.wallet);
        record.wallet.deposit_instruction = Some(instruction);
        Ok(record.wallet.clone())
    })?;
    Ok(created(wallet))
}

fn digits(seed: &str, count: usize) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(seed.as_bytes()).iter().map(|b| char::from(b'0' + b % 10)).take(count).collect()
}

fn is_fiat(wallet: &Wallet) -> bool {
    ASSETS.iter().any(|(currency, kind, ..)| *currency == wallet.currency && *kind == "FIAT")
}

fn as_map(value: Value) -> Map<String, Value> {
    value.as_object().cloned().unwrap_or_default()
}

/// `POST .../deposit-address`: a crypto address to deposit to (crypto wallets only).
pub async fn deposit_address(
    State(pti): State<Arc<Pti>>,
    ids: Result<Path<(String, String)>, PathRejection>,
    V1Auth(auth): V1Auth,
) -> V1Result<Response> {
    let refusal = V1Error::managed("UNSUPPORTED_DEPOSIT_ADDRESS", 2006, "a fiat wallet has no deposit address");
    instruct(&pti, &auth.client_id, path(ids)?, (false, refusal), |wallet| {
        use sha2::Digest;
        let hash: String = sha2::Sha256::digest(wallet.id.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
        let address = format!("0x{}", &hash[..40]);
        as_map(json!({"type": "CRYPTO", "currency": wallet.currency, "network": wallet.network, "address": address}))
    })
}

/// `POST .../virtual-bank-account`: an account number to wire or ACH to (USD wallets only).
pub async fn virtual_bank_account(
    State(pti): State<Arc<Pti>>,
    ids: Result<Path<(String, String)>, PathRejection>,
    V1Auth(auth): V1Auth,
) -> V1Result<Response> {
    let refusal = V1Error::managed("FIAT_ONLY", 3007, "only a fiat wallet has a virtual bank account");
    instruct(&pti, &auth.client_id, path(ids)?, (true, refusal), |wallet| {
        as_map(json!({"type": "VIRTUAL_BANK_ACCOUNT", "bankName": "Twin Bank", "accountNumber": digits(&wallet.id, 12),
            "routingNumber": "021000021", "accountHolderName": "Fiant FBO"}))
    })
}

/// `POST .../wire-instructions`: the bank details and the memo that routes a wire (USD only).
pub async fn wire_instructions(
    State(pti): State<Arc<Pti>>,
    ids: Result<Path<(String, String)>, PathRejection>,
    V1Auth(auth): V1Auth,
) -> V1Result<Response> {
    let refusal = V1Error::managed("FIAT_ONLY", 3007, "only a fiat wallet takes wires");
    instruct(&pti, &auth.client_id, path(ids)?, (true, refusal), |wallet| {
        as_map(json!({"type": "WIRE", "bankName": "Twin Bank", "bankSwiftCode": "TWINUS33",
            "accountNumber": digits(&wallet.id, 12), "routingNumber": "021000021", "memo": format!("FIANT-{}", digits(&wallet.id, 8))}))
    })
}

/// `GET .../history?page=&size=`: the balance changes, newest first.
pub async fn history(
    State(pti): State<Arc<Pti>>,
    ids: Result<Path<(String, String)>, PathRejection>,
    paging: Result<Query<Paging>, QueryRejection>,
    V1Auth(auth): V1Auth,
) -> V1Result<Json<WalletHistoryPage>> {
    let (user_id, wallet_id) = path(ids)?;
    let (page, size) = query(paging)?.read()?;
    let (items, total) = pti.store.with_wallet(&auth.client_id, &user_id, &wallet_id, |record| {
        let total = u32::try_from(record.history.len()).unwrap_or(u32::MAX);
        let start = usize::try_from(page.saturating_mul(size)).unwrap_or(usize::MAX);
        Ok((record.history.iter().rev().skip(start).take(size as usize).cloned().collect(), total))
    })?;
    Ok(Json(WalletHistoryPage { page, page_size: size, total, items }))
}

/// `GET /wallets/?page=&size=`: every wallet of the client, as references.
pub async fn client_wallets(
    State(pti): State<Arc<Pti>>,
    paging: Result<Query<Paging>, QueryRejection>,
    V1Auth(auth): V1Auth,
) -> V1Result<Json<ObjectReferencePage>> {
    let (page, size) = query(paging)?.read()?;
    let (items, total) = pti.store.client_wallets(&auth.client_id, &auth.api_base, page, size);
    Ok(Json(ObjectReferencePage { page, page_size: size, total, items }))
}
