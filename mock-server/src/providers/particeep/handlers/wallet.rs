//! The Wallet module's handlers (the rules are in `state/wallets.rs`): wallets, card and wire cash-ins, cash-outs, transfers and bank accounts.
//! Every movement is applied under the state lock, so concurrent transfers never lose, create or
//! overdraw money.

use std::collections::HashMap;
use std::sync::Arc;

use super::{Params, Segment};
use axum::body::Bytes;
use axum::extract::State;

use super::{body, changed, ok, Caller, Reply};
use crate::providers::particeep::config::Lineage;
use crate::providers::particeep::error::{code, ParticeepError};
use crate::providers::particeep::model::{
    BankAccount, BankAccountCreation, CashIn, CashOut, TransactionWallet, TransactionWalletFeesOpt, WalletCreation,
    WalletOperation, WalletTransfer, WireCashIn,
};
use crate::providers::particeep::query::{filter, Filter, How, Search};
use crate::providers::particeep::state::{check_amounts, timestamp, PendingCashIn};
use crate::providers::particeep::state::{check_bank_account, check_currency, check_custom, wire_details};
use crate::providers::particeep::Particeep;
use serde_json::Value;

/// `PUT /v1/wallet` (`wallet_created`): one wallet per owner (400 `error.wallet.exists`), `LIGHT`
/// with a balance of 0 until its owner's KYC is validated.
pub async fn create_wallet(State(particeep): State<Arc<Particeep>>, caller: Caller, bytes: Bytes) -> Reply {
    let creation: WalletCreation = body(&bytes)?;
    check_custom(creation.custom.as_ref())?;
    let currency = creation.currency.clone().unwrap_or_else(|| "EUR".into());
    check_currency(&currency)?;
    let now = timestamp(particeep.now());
    let wallet = particeep.store.with(&caller.key, |consumer| consumer.create_wallet(creation, currency, now))?;
    changed(&particeep, &caller, "wallet_created", &wallet)
}

/// `GET /v1/wallet/{id}`.
pub async fn get_wallet(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(id): Segment<String>,
) -> Reply {
    let wallet = particeep.store.with(&caller.key, |consumer| consumer.wallet(&id).map(|w| w.clone()))?;
    ok(&wallet)
}

/// `GET /v1/wallet/owner/{owner_id}/{owner_type}`.
pub async fn wallet_by_owner(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment((owner_id, owner_type)): Segment<(String, String)>,
) -> Reply {
    let wallet = particeep.store.with(&caller.key, |consumer| consumer.wallet_of(&owner_id, &owner_type).cloned());
    let wallet = wallet.ok_or_else(|| {
        ParticeepError::not_found(code::WALLET_NONE, format!("{owner_type} {owner_id} has no wallet"))
    })?;
    ok(&wallet)
}

/// `GET /v1/wallet/consumer`: the wallet of the consumer's own user (the user whose e-mail is the
/// consumer's, as Particeep's document requires for Wallet, KYC and Payment).
pub async fn consumer_wallet(State(particeep): State<Arc<Particeep>>, caller: Caller) -> Reply {
    let email = particeep.store.consumer(&caller.key).map(|c| c.email.clone()).unwrap_or_default();
    let wallet = particeep.store.with(&caller.key, |consumer| consumer.wallet_of_email(&email));
    let wallet = wallet.ok_or_else(|| {
        ParticeepError::not_found(
            code::WALLET_NONE,
            format!("the consumer has no wallet (create a user with the e-mail {email}, then its wallet)"),
        )
    })?;
    ok(&wallet)
}

/// `POST /v1/wallet/{id}/cashin`: a card cash-in. Records a `PENDING` `CASHIN_CB` movement
/// (`transaction_wallet_created`) and answers the payment page's URL as a JSON string. The
/// payment completes on that page, through `POST /__admin/particeep/payments/{id}/succeed|fail`,
/// by a magic amount, or by the configured outcome.
pub async fn cash_in(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(id): Segment<String>,
    bytes: Bytes,
) -> Reply {
    let cash_in: CashIn = body(&bytes)?;
    let fees = cash_in.fees.unwrap_or(0);
    check_amounts(cash_in.amount, fees)?;
    let now = timestamp(particeep.now());
    let pending_cash_in = PendingCashIn {
        amount: cash_in.amount,
        fees,
        operation: WalletOperation::CashinCb,
        accept_url: Some(cash_in.accept_url.clone()),
        decline_url: Some(cash_in.decline_url.clone()),
        tag: cash_in.tag.clone(),
    };
    let pending = particeep.store.with(&caller.key, |consumer| consumer.start_cash_in(&id, pending_cash_in, &now))?;
    particeep.emit(&caller.key, "transaction_wallet_created", &serde_json::to_value(&pending).unwrap_or_default());
    particeep.schedule_payment(&caller.key, &pending.id, cash_in.amount);
    ok(&format!("{}/pay/{}", caller.base_url, pending.id))
}

/// `POST /v1/wallet/{id}/cashin/bankAccount`: a wire cash-in. Records a `PENDING`
/// `CASHIN_TRANSFER` movement and answers where to wire, with the movement's id as the reference;
/// the wire "arrives" through the admin API (or the configured or magic outcome).
pub async fn wire_cash_in(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(id): Segment<String>,
    bytes: Bytes,
) -> Reply {
    let wire: WireCashIn = body(&bytes)?;
    let fees = wire.fees.unwrap_or(0);
    let now = timestamp(particeep.now());
    let pending_cash_in = PendingCashIn {
        amount: wire.amount,
        fees,
        operation: WalletOperation::CashinTransfer,
        accept_url: None,
        decline_url: None,
        tag: None,
    };
    let pending = particeep.store.with(&caller.key, |consumer| consumer.start_cash_in(&id, pending_cash_in, &now))?;
    particeep.emit(&caller.key, "transaction_wallet_created", &serde_json::to_value(&pending).unwrap_or_default());
    particeep.schedule_payment(&caller.key, &pending.id, wire.amount);
    ok(&wire_details(&pending.id))
}

/// `POST /v1/wallet/{id}/cashout`: to a bank account of the wallet (`bank_account_id`, else its
/// first validated one); `VALIDATED` at once (`transaction_wallet_created`). A `LIGHT` wallet is
/// refused (400 `error.wallet.not.confirmed`) unless `light_wallet_cashout` is set.
pub async fn cash_out(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(id): Segment<String>,
    bytes: Bytes,
) -> Reply {
    let cash_out: CashOut = body(&bytes)?;
    let allow_light = particeep.store.config().light_wallet_cashout;
    let now = timestamp(particeep.now());
    let record = particeep.store.with(&caller.key, |consumer| consumer.cash_out(&id, &cash_out, allow_light, &now))?;
    changed(&particeep, &caller, "transaction_wallet_created", &record)
}

/// `POST /v1/wallet/transfer`: `amount` leaves the debited wallet, `amount - fees` reaches the
/// credited one, at once (`transaction_wallet_created`); short balance → 400
/// `error.wallet.balance.insufficient` and nothing moves.
pub async fn transfer(State(particeep): State<Arc<Particeep>>, caller: Caller, bytes: Bytes) -> Reply {
    let transfer: WalletTransfer = body(&bytes)?;
    let now = timestamp(particeep.now());
    let record = particeep.store.with(&caller.key, |consumer| consumer.transfer(&transfer, &now))?;
    match caller.models {
        Lineage::V2022 => changed(&particeep, &caller, "transaction_wallet_created", &record),
        // The 2025 SDK reads `TransactionWalletFeesOpt`: the movement, and its fees movement if any.
        Lineage::V2025 => {
            particeep.emit(
                &caller.key,
                "transaction_wallet_created",
                &serde_json::to_value(&record).unwrap_or_default(),
            );
            ok(&TransactionWalletFeesOpt { transaction_wallet: record, transaction_wallet_fees_opt: None })
        }
    }
}

/// `GET /v1/wallet/{id}/transactions`: the movements that debited or credited the wallet, newest
/// first, paginated.
pub async fn wallet_transactions(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(id): Segment<String>,
    Params(query): Params<HashMap<String, String>>,
) -> Reply {
    let rows = particeep.store.with(&caller.key, |consumer| consumer.wallet_movements(&id))?;
    ok(&Search::new(&query).page(rows)?)
}

/// The filters of `GET /v1/wallet/search`: the 2025 SDK's `TransactionWalletSearch` (comma
/// lists; `wallet_ids` matches a movement either side).
const WALLET_TRANSACTION_FILTERS: &[Filter] = &[
    filter("statuses", "/status", How::OneOf),
    filter("debited_wallet_ids", "/debited_wallet_id", How::OneOf),
    filter("credited_wallet_ids", "/credited_wallet_id", How::OneOf),
    filter("transactions_ids", "/transaction_id", How::OneOf),
    filter("operations", "/operation", How::OneOf),
    filter("fundraise_ids", "/fundraise_id", How::OneOf),
    filter("fundraise_names", "/fundraise_name", How::OneOf),
    filter("wallet_ids", "/wallet_ids", How::Has),
];

/// `GET /v1/wallet/search`: every movement, filtered by [`WALLET_TRANSACTION_FILTERS`] (another
/// parameter is 400 naming it); sorted and paginated like every search.
pub async fn search_wallet_transactions(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Params(query): Params<HashMap<String, String>>,
) -> Reply {
    let search = Search::strict(&query, WALLET_TRANSACTION_FILTERS, &["/label"])?;
    let rows: Vec<TransactionWallet> = particeep.store.with(&caller.key, |consumer| {
        consumer
            .wallet_transactions
            .iter()
            .filter(|t| {
                let mut view = serde_json::to_value(t).unwrap_or_default();
                let sides: Vec<Value> = [&t.debited_wallet_id, &t.credited_wallet_id]
                    .into_iter()
                    .flatten()
                    .cloned()
                    .map(Value::from)
                    .collect();
                if let Some(object) = view.as_object_mut() {
                    object.insert("wallet_ids".into(), Value::Array(sides));
                }
                search.keeps(&view)
            })
            .cloned()
            .collect()
    });
    ok(&search.sorted_page(rows)?)
}

/// `PUT /v1/wallet/{id}/bankaccount` (`bank_account_created`): the IBAN is checked (country,
/// length, checksum; 400 `error.bankaccount.iban.invalid`) and the BIC's shape (400
/// `error.bankaccount.bic.invalid`); a valid account is `VALIDATED` at once.
pub async fn create_bank_account(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(id): Segment<String>,
    bytes: Bytes,
) -> Reply {
    let creation: BankAccountCreation = body(&bytes)?;
    let checked = check_bank_account(&creation, caller.models)?;
    let now = timestamp(particeep.now());
    let account =
        particeep.store.with(&caller.key, |consumer| consumer.create_bank_account(&id, creation, checked, now))?;
    changed(&particeep, &caller, "bank_account_created", &account)
}

/// `GET /v1/wallet/{id}/bankaccount`: the wallet's bank accounts.
pub async fn bank_accounts(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(id): Segment<String>,
) -> Reply {
    let accounts: Vec<BankAccount> = particeep.store.with(&caller.key, |consumer| consumer.bank_accounts_of(&id))?;
    ok(&accounts)
}

/// `PUT /v1/wallet/bankaccount/{target_id}` (`bank_account_created`): a bank account for a wallet
/// or a user (the 2025 SDK's `addBankAccountOffline`), checked as the wallet's own are.
pub async fn create_bank_account_for(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(target_id): Segment<String>,
    bytes: Bytes,
) -> Reply {
    let creation: BankAccountCreation = body(&bytes)?;
    let checked = check_bank_account(&creation, caller.models)?;
    let now = timestamp(particeep.now());
    let account = particeep
        .store
        .with(&caller.key, |consumer| consumer.create_bank_account_for(&target_id, creation, checked, now))?;
    changed(&particeep, &caller, "bank_account_created", &account)
}

/// `POST /v1/wallet/bankaccount/{id}` (`bank_account_updated`): checked again, then replaced.
pub async fn update_bank_account(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(id): Segment<String>,
    bytes: Bytes,
) -> Reply {
    let creation: BankAccountCreation = body(&bytes)?;
    let checked = check_bank_account(&creation, caller.models)?;
    let account = particeep.store.with(&caller.key, |consumer| consumer.update_bank_account(&id, creation, checked))?;
    changed(&particeep, &caller, "bank_account_updated", &account)
}

/// `DELETE /v1/wallet/bankaccount/{id}`: the number deleted (1), as the 2025 SDK reads it.
pub async fn delete_bank_account(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(id): Segment<String>,
) -> Reply {
    let deleted = particeep.store.with(&caller.key, |consumer| consumer.delete_bank_account(&id))?;
    ok(&deleted)
}

/// The filters of `GET /v1/wallet/bankaccount/search`: the 2025 SDK's `BankAccountSearch`.
const BANK_ACCOUNT_FILTERS: &[Filter] = &[
    filter("id", "/id", How::Exact),
    filter("target_id", "/target_id", How::Exact),
    filter("target_type", "/target_type", How::Exact),
    filter("wallet_id", "/wallet_id", How::Exact),
    filter("status", "/status", How::OneOf),
    filter("bank_name", "/bank_name", How::Contains),
    filter("iban", "/iban", How::Exact),
    filter("bic", "/bic", How::Exact),
    filter("acct_num", "/acct_num", How::Exact),
    filter("aba_num", "/aba_num", How::Exact),
    filter("transit_num", "/transit_num", How::Exact),
];

/// `GET /v1/wallet/bankaccount/search`: [`BANK_ACCOUNT_FILTERS`] (another parameter is 400 naming
/// it); sorted and paginated.
pub async fn search_bank_accounts(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Params(query): Params<HashMap<String, String>>,
) -> Reply {
    let search = Search::strict(&query, BANK_ACCOUNT_FILTERS, &["/bank_name", "/holder_name", "/iban"])?;
    let rows: Vec<BankAccount> = particeep.store.with(&caller.key, |consumer| {
        consumer.bank_account_rows().into_iter().filter(|(_, view)| search.keeps(view)).map(|(a, _)| a).collect()
    });
    ok(&search.sorted_page(rows)?)
}
