//! Particeep wallets and their ledger: a money movement is applied whole or not at all (both
//! sides, one currency, never below zero), pending ones settled later.

use super::*;
use crate::providers::particeep::error::{code, ParticeepError};
use crate::providers::particeep::model::{
    CashInBankAccount, TransactionWallet, Wallet, WalletOperation, WalletTransactionStatus,
};

/// A money movement to apply: who is debited and credited, how much, and why.
#[derive(Debug, Clone)]
pub struct Movement {
    /// Debited wallet (none for a cash-in).
    pub debited: Option<String>,
    /// Credited wallet (none for a cash-out).
    pub credited: Option<String>,
    /// Cents leaving the debited wallet (or paid in).
    pub amount: i64,
    /// Cents kept by the platform: the credited side gets `amount - fees`.
    pub fees: i64,
    /// What it is.
    pub operation: WalletOperation,
    /// `VALIDATED` applies it now; `PENDING` records it without moving money.
    pub status: WalletTransactionStatus,
    /// The Transaction paid, if any.
    pub transaction_id: Option<String>,
    /// The bank account of a cash-out.
    pub bank_account_id: Option<String>,
    /// Free tag.
    pub tag: Option<String>,
}

/// Checks `amount` and `fees` (cents): amount above 0, fees from 0 to amount.
pub fn check_amounts(amount: i64, fees: i64) -> Result<(), ParticeepError> {
    if amount <= 0 {
        return Err(ParticeepError::bad_request(code::AMOUNT_INVALID, "`amount` must be a positive number of cents"));
    }
    if !(0..=amount).contains(&fees) {
        return Err(ParticeepError::bad_request(code::AMOUNT_INVALID, "`fees` must be from 0 to `amount` cents"));
    }
    Ok(())
}

impl ConsumerData {
    /// A wallet, or 404 `error.wallet.none`.
    pub fn wallet(&mut self, id: &str) -> Result<&mut Wallet, ParticeepError> {
        self.wallets.get_mut(id).ok_or_else(|| no_wallet(id))
    }

    /// The wallet of an owner, if any.
    pub fn wallet_of(&self, owner_id: &str, owner_type: &str) -> Option<&Wallet> {
        self.wallets.values().find(|w| w.owner_id == owner_id && w.owner_type.eq_ignore_ascii_case(owner_type))
    }

    /// Records a movement and, when it is `VALIDATED`, moves the money: both sides or neither. The
    /// debited wallet never goes below 0 (400 `error.wallet.balance.insufficient`), and both
    /// wallets must hold the same currency (400 `error.wallet.currency.mismatch`).
    pub fn apply(&mut self, movement: Movement, now: &str) -> Result<TransactionWallet, ParticeepError> {
        check_amounts(movement.amount, movement.fees)?;
        let credited_amount = movement.amount - movement.fees;
        let currency = match (&movement.debited, &movement.credited) {
            (Some(debited), Some(credited)) => {
                if debited == credited {
                    return Err(ParticeepError::bad_request(
                        code::WALLET_TRANSFER_SAME,
                        "the debited and credited wallets are the same",
                    ));
                }
                let debited = self.wallet(debited)?.currency.clone();
                let credited = self.wallet(credited)?.currency.clone();
                if debited != credited {
                    return Err(ParticeepError::bad_request(
                        code::WALLET_CURRENCY_MISMATCH,
                        format!("cannot move {debited} to a {credited} wallet"),
                    ));
                }
                debited
            }
            (Some(id), None) | (None, Some(id)) => self.wallet(id)?.currency.clone(),
            (None, None) => return Err(no_wallet("")),
        };
        if movement.status == WalletTransactionStatus::Validated {
            self.move_balances(
                movement.debited.as_deref(),
                movement.credited.as_deref(),
                movement.amount,
                credited_amount,
                now,
            )?;
        }
        let record = TransactionWallet {
            id: uuid::Uuid::new_v4().to_string(),
            created_at: now.to_owned(),
            debited_wallet_id: movement.debited,
            credited_wallet_id: movement.credited,
            debited_amount: movement.amount,
            credited_amount,
            fees: movement.fees,
            currency,
            status: movement.status,
            operation: movement.operation,
            transaction_id: movement.transaction_id,
            bank_account_id: movement.bank_account_id,
            tag: movement.tag,
        };
        self.wallet_transactions.push(record.clone());
        Ok(record)
    }

    /// Debits `debit_amount` from `debited` and credits `credit_amount` to `credited` (either may be
    /// absent), refusing before any change when the debited balance is short.
    pub(super) fn move_balances(
        &mut self,
        debited: Option<&str>,
        credited: Option<&str>,
        debit_amount: i64,
        credit_amount: i64,
        now: &str,
    ) -> Result<(), ParticeepError> {
        if let Some(id) = debited {
            let wallet = self.wallet(id)?;
            if wallet.amount < debit_amount {
                return Err(ParticeepError::bad_request(
                    code::WALLET_BALANCE_INSUFFICIENT,
                    format!("wallet {id} holds {} cents, {debit_amount} are needed", wallet.amount),
                ));
            }
        }
        if let Some(id) = credited {
            // Checked before the debit, so a missing credited wallet leaves the debited one intact.
            self.wallet(id)?;
        }
        if let Some(id) = debited {
            let wallet = self.wallet(id)?;
            wallet.amount -= debit_amount;
            wallet.update_at = Some(now.to_owned());
        }
        if let Some(id) = credited {
            let wallet = self.wallet(id)?;
            wallet.amount = wallet.amount.saturating_add(credit_amount);
            wallet.update_at = Some(now.to_owned());
        }
        Ok(())
    }

    /// Settles a `PENDING` wallet movement: `VALIDATED` moves the money, `FAILED` moves none.
    pub fn settle(&mut self, id: &str, succeeded: bool, now: &str) -> Result<TransactionWallet, ParticeepError> {
        let index =
            self.wallet_transactions.iter().position(|t| t.id == id).ok_or_else(|| {
                ParticeepError::not_found(code::TRANSACTION_NONE, format!("no wallet transaction {id}"))
            })?;
        let pending = self.wallet_transactions[index].clone();
        if pending.status != WalletTransactionStatus::Pending {
            return Err(ParticeepError::bad_request(
                code::TRANSACTION_STATUS_INVALID,
                format!("wallet transaction {id} is not pending"),
            ));
        }
        let status = if succeeded {
            self.move_balances(
                pending.debited_wallet_id.as_deref(),
                pending.credited_wallet_id.as_deref(),
                pending.debited_amount,
                pending.credited_amount,
                now,
            )?;
            WalletTransactionStatus::Validated
        } else {
            WalletTransactionStatus::Failed
        };
        let record = &mut self.wallet_transactions[index];
        record.status = status;
        Ok(record.clone())
    }
}

/// 404 `error.wallet.none`.
pub fn no_wallet(id: &str) -> ParticeepError {
    ParticeepError::not_found(code::WALLET_NONE, format!("no wallet with id {id}"))
}

/// An ISO 4217 code: three capital letters.
pub fn check_currency(currency: &str) -> Result<(), ParticeepError> {
    if currency.len() == 3 && currency.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(ParticeepError::bad_request(code::CURRENCY_INVALID, format!("`{currency}` is not an ISO 4217 code")))
    }
}

/// The twin's fictitious receiving account.
pub fn wire_details(reference: &str) -> CashInBankAccount {
    CashInBankAccount {
        bank_name: "Fintwin Sandbox Bank".into(),
        iban: "FR7630006000011234567890189".into(),
        bic: "AGRIFRPPXXX".into(),
        country: "FR".into(),
        owner_name: "Particeep twin escrow".into(),
        wire_reference: reference.to_owned(),
    }
}
