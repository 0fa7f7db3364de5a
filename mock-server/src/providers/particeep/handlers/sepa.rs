//! Particeep's SEPA direct debit (the 2025 SDK's `WalletSepaClient`): a wallet's mandates, created
//! `PENDING` (IBAN and BIC checked), signed (then `VALIDATED`: the twin has no signing page, so the
//! signature completes at once and answers the `return_url`), removed, and cash-ins debited from a
//! signed mandate, credited at once.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;

use super::{body, changed, ok, Caller, Reply, Segment};
use crate::providers::particeep::error::{code, ParticeepError};
use crate::providers::particeep::model::{
    BankAccountCreation, SddMandateCreation, WalletOperation, WalletTransactionStatus,
};
use crate::providers::particeep::state::{check_bank_account, timestamp, Movement};
use crate::providers::particeep::Particeep;

/// `GET /v1/wallet/{id}/sepa`: the wallet's mandates.
pub async fn mandates(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(wallet_id): Segment<String>,
) -> Reply {
    let mandates = particeep.store.with(&caller.key, |consumer| consumer.mandates_of(&wallet_id))?;
    ok(&mandates)
}

/// `PUT /v1/wallet/{id}/sepa` (`SddMandateCreation`): a `PENDING` mandate.
pub async fn create_mandate(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(wallet_id): Segment<String>,
    bytes: Bytes,
) -> Reply {
    let creation: SddMandateCreation = body(&bytes)?;
    let as_account = BankAccountCreation {
        bank_name: None,
        iban: creation.iban.clone(),
        bic: Some(creation.bic.clone()),
        holder_name: Some(creation.holder.clone()),
        number: None,
        street: None,
        zip: None,
        city: None,
        country: None,
        acct_num: None,
        aba_num: None,
        transit_num: None,
        owner_ip: None,
    };
    let checked = check_bank_account(&as_account, crate::providers::particeep::config::Lineage::V2025)?;
    let now = timestamp(particeep.now());
    let mandate =
        particeep.store.with(&caller.key, |consumer| consumer.create_mandate(&wallet_id, creation, checked, now))?;
    ok(&mandate)
}

/// `DELETE /v1/wallet/sepa/{id}` (`{owner_ip}`): the mandate removed; answered `REFUSED`.
pub async fn remove_mandate(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(id): Segment<String>,
) -> Reply {
    let removed = particeep.store.with(&caller.key, |consumer| {
        let mut mandate = consumer.mandate(&id)?.clone();
        consumer.sdd_mandates.remove(&id);
        mandate.status = "REFUSED".into();
        Ok::<_, ParticeepError>(mandate)
    })?;
    ok(&removed)
}

/// `POST /v1/wallet/sepa/{id}/sign` (`SepaSddSignature {owner_ip, mobile_number, return_url,
/// error_url}`): the mandate `VALIDATED`; answers where the signer goes next (`return_url`).
pub async fn sign_mandate(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(id): Segment<String>,
    bytes: Bytes,
) -> Reply {
    #[derive(serde::Deserialize)]
    struct SepaSddSignature {
        #[allow(dead_code)]
        owner_ip: String,
        #[allow(dead_code)]
        mobile_number: String,
        return_url: String,
        #[allow(dead_code)]
        error_url: String,
    }
    let signature: SepaSddSignature = body(&bytes)?;
    particeep.store.with(&caller.key, |consumer| {
        consumer.mandate(&id)?.status = "VALIDATED".into();
        Ok::<_, ParticeepError>(())
    })?;
    ok(&signature.return_url)
}

/// `POST /v1/wallet/sepa/{id}/cashin` (`SddCashIn {amount, fees?, owner_ip, tag?}`,
/// `transaction_wallet_created`): from a signed mandate into its wallet, at once.
pub async fn cash_in(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(id): Segment<String>,
    bytes: Bytes,
) -> Reply {
    #[derive(serde::Deserialize)]
    struct SddCashIn {
        amount: i64,
        fees: Option<i64>,
        #[allow(dead_code)]
        owner_ip: String,
        tag: Option<String>,
    }
    let cash_in: SddCashIn = body(&bytes)?;
    let now = timestamp(particeep.now());
    let movement = particeep.store.with(&caller.key, |consumer| {
        let mandate = consumer.mandate(&id)?.clone();
        if mandate.status != "VALIDATED" {
            return Err(ParticeepError::bad_request(
                code::SEPA_MANDATE_NOT_VALIDATED,
                format!("mandate {id} is {}: sign it first", mandate.status),
            ));
        }
        consumer.apply(
            Movement {
                debited: None,
                credited: Some(mandate.wallet_id),
                amount: cash_in.amount,
                fees: cash_in.fees.unwrap_or(0),
                operation: WalletOperation::CashinTransfer,
                status: WalletTransactionStatus::Validated,
                transaction_id: None,
                bank_account_id: None,
                tag: cash_in.tag,
            },
            &now,
        )
    })?;
    changed(&particeep, &caller, "transaction_wallet_created", &movement)
}
