//! Particeep bank accounts of wallets: checked (IBAN checksum, BIC shape) and `VALIDATED` at once.

use super::*;
use crate::providers::particeep::config::Lineage;
use crate::providers::particeep::error::{code, ParticeepError};
use crate::providers::particeep::model::{BankAccount, BankAccountCreation, BankAccountStatus};

/// A checked bank account's IBAN (country, length, checksum; 400 `error.bankaccount.iban.invalid`)
/// and BIC (shape; 400 `error.bankaccount.bic.invalid`), normalised. The 2022 lineage requires
/// `bank_name` and `bic`; the 2025 one only the IBAN.
pub fn check_bank_account(creation: &BankAccountCreation, models: Lineage) -> Result<(String, String), ParticeepError> {
    if models == Lineage::V2022 {
        for (field, value) in [("bank_name", &creation.bank_name), ("bic", &creation.bic)] {
            if value.is_none() {
                return Err(ParticeepError::bad_request(code::JSON_INVALID, format!("missing field `{field}`")));
            }
        }
    }
    let iban = creation.iban.trim().to_uppercase();
    let iban: iban::Iban = iban.parse().map_err(|err| {
        ParticeepError::bad_request(
            code::BANKACCOUNT_IBAN_INVALID,
            format!("`{}` is not a valid IBAN: {err}", creation.iban),
        )
    })?;
    let Some(bic) = creation.bic.as_deref().map(|bic| bic.trim().to_uppercase()) else {
        return Ok((iban::IbanLike::electronic_str(&iban).to_owned(), String::new()));
    };
    let bic_ok = matches!(bic.len(), 8 | 11)
        && bic[..6].bytes().all(|b| b.is_ascii_uppercase())
        && bic[6..].bytes().all(|b| b.is_ascii_alphanumeric());
    if !bic_ok {
        return Err(ParticeepError::bad_request(
            code::BANKACCOUNT_BIC_INVALID,
            format!("`{bic}` is not a BIC (8 or 11 characters)"),
        ));
    }
    if creation.bank_name.as_deref().is_some_and(|name| name.trim().is_empty()) {
        return Err(ParticeepError::bad_request(code::JSON_INVALID, "`bank_name` must not be empty"));
    }
    Ok((iban::IbanLike::electronic_str(&iban).to_owned(), bic))
}

impl ConsumerData {
    /// A (checked) bank account of a wallet, `VALIDATED` at once.
    pub fn create_bank_account(
        &mut self,
        wallet_id: &str,
        creation: BankAccountCreation,
        (iban, bic): (String, String),
        now: String,
    ) -> Result<BankAccount, ParticeepError> {
        self.wallet(wallet_id)?;
        let account = BankAccount {
            id: uuid::Uuid::new_v4().to_string(),
            created_at: now,
            wallet_id: wallet_id.to_owned(),
            status: BankAccountStatus::Validated,
            bank_name: creation.bank_name.unwrap_or_default(),
            iban,
            bic,
            holder_name: creation.holder_name,
            acct_num: creation.acct_num,
            aba_num: creation.aba_num,
            transit_num: creation.transit_num,
        };
        self.bank_accounts.insert(account.id.clone(), account.clone());
        Ok(account)
    }

    /// A wallet's bank accounts.
    pub fn bank_accounts_of(&mut self, wallet_id: &str) -> Result<Vec<BankAccount>, ParticeepError> {
        self.wallet(wallet_id)?;
        Ok(self.bank_accounts.values().filter(|a| a.wallet_id == wallet_id).cloned().collect())
    }
}
