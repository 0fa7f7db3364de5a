//! Particeep bank accounts of wallets: checked (IBAN checksum, BIC shape) and `VALIDATED` at once.

use super::*;
use crate::providers::particeep::config::Lineage;
use crate::providers::particeep::error::{code, ParticeepError};
use crate::providers::particeep::model::{
    BankAccount, BankAccountCreation, BankAccountStatus, SddMandate, SddMandateCreation,
};

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
        Ok(self.insert_bank_account(wallet_id.to_owned(), creation, (iban, bic), now))
    }

    /// A wallet's bank accounts.
    pub fn bank_accounts_of(&mut self, wallet_id: &str) -> Result<Vec<BankAccount>, ParticeepError> {
        self.wallet(wallet_id)?;
        Ok(self.bank_accounts.values().filter(|a| a.wallet_id == wallet_id).cloned().collect())
    }

    /// Stores a checked bank account of `wallet_id`, `VALIDATED` at once.
    fn insert_bank_account(
        &mut self,
        wallet_id: String,
        creation: BankAccountCreation,
        (iban, bic): (String, String),
        now: String,
    ) -> BankAccount {
        let account = BankAccount {
            id: uuid::Uuid::new_v4().to_string(),
            created_at: now,
            wallet_id,
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
        account
    }

    /// A bank account by id (404 `error.bankaccount.none`).
    fn bank_account_mut(&mut self, id: &str) -> Result<&mut BankAccount, ParticeepError> {
        self.bank_accounts
            .get_mut(id)
            .ok_or_else(|| ParticeepError::not_found(code::BANKACCOUNT_NONE, format!("no bank account with id {id}")))
    }

    /// `PUT /v1/wallet/bankaccount/{target_id}`: a (checked) bank account of a wallet, or of a user
    /// (kept on the user's wallet when it has one), `VALIDATED` at once.
    pub fn create_bank_account_for(
        &mut self,
        target_id: &str,
        creation: BankAccountCreation,
        checked: (String, String),
        now: String,
    ) -> Result<BankAccount, ParticeepError> {
        let wallet_id = if self.wallets.contains_key(target_id) {
            target_id.to_owned()
        } else {
            user(self, target_id)?;
            self.wallets
                .values()
                .find(|w| w.owner_id == target_id)
                .map_or_else(|| target_id.to_owned(), |w| w.id.clone())
        };
        Ok(self.insert_bank_account(wallet_id, creation, checked, now))
    }

    /// `POST /v1/wallet/bankaccount/{id}`: the (checked) fields replace the account's.
    pub fn update_bank_account(
        &mut self,
        id: &str,
        creation: BankAccountCreation,
        (iban, bic): (String, String),
    ) -> Result<BankAccount, ParticeepError> {
        let account = self.bank_account_mut(id)?;
        account.iban = iban;
        account.bic = bic;
        if let Some(name) = creation.bank_name {
            account.bank_name = name;
        }
        account.holder_name = creation.holder_name.or(account.holder_name.take());
        account.acct_num = creation.acct_num.or(account.acct_num.take());
        account.aba_num = creation.aba_num.or(account.aba_num.take());
        account.transit_num = creation.transit_num.or(account.transit_num.take());
        Ok(account.clone())
    }

    /// `DELETE /v1/wallet/bankaccount/{id}`: the account removed; the deleted count.
    pub fn delete_bank_account(&mut self, id: &str) -> Result<usize, ParticeepError> {
        self.bank_account_mut(id)?;
        self.bank_accounts.remove(id);
        Ok(1)
    }

    /// Every bank account, with its wallet's owner (`target_id`, `target_type`) for the search.
    pub fn bank_account_rows(&self) -> Vec<(BankAccount, serde_json::Value)> {
        self.bank_accounts
            .values()
            .map(|account| {
                let mut view = serde_json::to_value(account).unwrap_or_default();
                let owner = self.wallets.get(&account.wallet_id).map(|w| (w.owner_id.clone(), w.owner_type.clone()));
                if let (Some(object), Some((owner_id, owner_type))) = (view.as_object_mut(), owner) {
                    object.insert("target_id".into(), serde_json::Value::from(owner_id));
                    object.insert("target_type".into(), serde_json::to_value(owner_type).unwrap_or_default());
                }
                (account.clone(), view)
            })
            .collect()
    }

    /// A (checked) SEPA mandate of a wallet, `PENDING` until signed.
    pub fn create_mandate(
        &mut self,
        wallet_id: &str,
        creation: SddMandateCreation,
        (iban, bic): (String, String),
        now: String,
    ) -> Result<SddMandate, ParticeepError> {
        self.wallet(wallet_id)?;
        let mandate = SddMandate {
            id: uuid::Uuid::new_v4().to_string(),
            created_at: now,
            holder: creation.holder,
            bic,
            iban,
            street: creation.street,
            zip: creation.zip,
            city: creation.city,
            country: creation.country,
            wallet_id: wallet_id.to_owned(),
            status: "PENDING".into(),
            is_b2b: false,
            tag: creation.tag,
        };
        self.sdd_mandates.insert(mandate.id.clone(), mandate.clone());
        Ok(mandate)
    }

    /// A mandate by id, to read or change (404 `error.sepa.mandate.none`).
    pub fn mandate(&mut self, id: &str) -> Result<&mut SddMandate, ParticeepError> {
        self.sdd_mandates
            .get_mut(id)
            .ok_or_else(|| ParticeepError::not_found(code::SEPA_MANDATE_NONE, format!("no SEPA mandate with id {id}")))
    }

    /// A wallet's mandates.
    pub fn mandates_of(&mut self, wallet_id: &str) -> Result<Vec<SddMandate>, ParticeepError> {
        self.wallet(wallet_id)?;
        Ok(self.sdd_mandates.values().filter(|m| m.wallet_id == wallet_id).cloned().collect())
    }
}
