//! Particeep wallets and their ledger: a money movement is applied whole or not at all (both
//! sides, one currency, never below zero), pending ones settled later.

use super::*;
use crate::providers::particeep::error::{code, ParticeepError};
use crate::providers::particeep::model::{
    BankAccountStatus, CashInBankAccount, CashOut, TransactionWallet, Wallet, WalletCreation, WalletOperation,
    WalletStatus, WalletTransactionStatus, WalletTransfer,
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
            // Checked before the debit, so a missing credited wallet, or a balance that would
            // overflow, leaves the debited one intact: money is refused, never clipped.
            let wallet = self.wallet(id)?;
            let same = debited == Some(id);
            let after = if same { wallet.amount.checked_sub(debit_amount) } else { Some(wallet.amount) }
                .and_then(|amount| amount.checked_add(credit_amount));
            if after.is_none() {
                return Err(ParticeepError::bad_request(
                    code::AMOUNT_INVALID,
                    format!("wallet {id} cannot hold {credit_amount} more cents (its balance would overflow)"),
                ));
            }
        }
        if let Some(id) = debited {
            let wallet = self.wallet(id)?;
            wallet.amount -= debit_amount;
            wallet.update_at = Some(now.to_owned());
        }
        if let Some(id) = credited {
            let wallet = self.wallet(id)?;
            // Checked above: this cannot overflow.
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

/// A card or wire cash-in about to start.
#[derive(Debug, Clone)]
pub struct PendingCashIn {
    /// Cents paid in.
    pub amount: i64,
    /// Cents kept by the platform.
    pub fees: i64,
    /// `CASHIN_CB` (card) or `CASHIN_TRANSFER` (wire).
    pub operation: WalletOperation,
    /// Where the payment page sends the payer after paying (cards).
    pub accept_url: Option<String>,
    /// ... after a refusal.
    pub decline_url: Option<String>,
    /// Free tag.
    pub tag: Option<String>,
}

impl ConsumerData {
    /// A wallet for an owner (a `USER` must exist), one per owner (400 `error.wallet.exists`),
    /// `LIGHT` with a balance of 0 until its owner's KYC is validated.
    pub fn create_wallet(
        &mut self,
        creation: WalletCreation,
        currency: String,
        now: String,
    ) -> Result<Wallet, ParticeepError> {
        self.check_owner(&creation.owner_id, &creation.owner_type)?;
        if self.wallet_of(&creation.owner_id, &creation.owner_type).is_some() {
            return Err(ParticeepError::bad_request(
                code::WALLET_EXISTS,
                format!("{} {} already has a wallet", creation.owner_type, creation.owner_id),
            ));
        }
        let wallet = Wallet {
            id: uuid::Uuid::new_v4().to_string(),
            created_at: now,
            update_at: None,
            owner_id: creation.owner_id,
            owner_type: creation.owner_type.to_uppercase(),
            wallet_type: creation.wallet_type,
            status: WalletStatus::Light,
            currency,
            company_name: creation.business_name,
            amount: 0,
            tag: creation.tag,
            custom: creation.custom,
        };
        self.wallets.insert(wallet.id.clone(), wallet.clone());
        Ok(wallet)
    }

    /// The wallet of the user whose e-mail is `email` (the consumer's own), if any.
    pub fn wallet_of_email(&self, email: &str) -> Option<Wallet> {
        let owner = self.users.values().find(|u| u.user.email.eq_ignore_ascii_case(email))?;
        self.wallet_of(&owner.user.id, "USER").cloned()
    }

    /// Records a `PENDING` cash-in (card or wire) to a wallet and the payment that waits for its
    /// outcome; answers the movement.
    pub fn start_cash_in(
        &mut self,
        wallet_id: &str,
        cash_in: PendingCashIn,
        now: &str,
    ) -> Result<TransactionWallet, ParticeepError> {
        let PendingCashIn { amount, fees, operation, accept_url, decline_url, tag } = cash_in;
        let record = self.apply(
            Movement {
                debited: None,
                credited: Some(wallet_id.to_owned()),
                amount,
                fees,
                operation,
                status: WalletTransactionStatus::Pending,
                transaction_id: None,
                bank_account_id: None,
                tag,
            },
            now,
        )?;
        self.pending_payments.insert(
            record.id.clone(),
            PendingPayment {
                kind: PendingKind::CashIn,
                amount,
                accept_url,
                decline_url,
                attempt: uuid::Uuid::new_v4().to_string(),
            },
        );
        Ok(record)
    }

    /// Cashes out to a validated bank account of the wallet (`bank_account_id`, else its first);
    /// a `LIGHT` wallet is refused (400 `error.wallet.not.confirmed`) unless `allow_light`.
    pub fn cash_out(
        &mut self,
        wallet_id: &str,
        cash_out: &CashOut,
        allow_light: bool,
        now: &str,
    ) -> Result<TransactionWallet, ParticeepError> {
        let wallet = self.wallet(wallet_id)?;
        if wallet.status == WalletStatus::Light && !allow_light {
            return Err(ParticeepError::bad_request(
                code::WALLET_NOT_CONFIRMED,
                "a LIGHT wallet cannot cash out: its owner's KYC must be validated first",
            ));
        }
        let account = self
            .bank_accounts
            .values()
            .filter(|a| a.wallet_id == wallet_id && a.status == BankAccountStatus::Validated)
            .find(|a| cash_out.bank_account_id.as_ref().is_none_or(|wanted| *wanted == a.id))
            .map(|a| a.id.clone())
            .ok_or_else(|| {
                ParticeepError::not_found(
                    code::BANKACCOUNT_NONE,
                    match &cash_out.bank_account_id {
                        Some(wanted) => format!("wallet {wallet_id} has no validated bank account {wanted}"),
                        None => format!("wallet {wallet_id} has no validated bank account"),
                    },
                )
            })?;
        self.apply(
            Movement {
                debited: Some(wallet_id.to_owned()),
                credited: None,
                amount: cash_out.amount,
                fees: cash_out.fees.unwrap_or(0),
                operation: WalletOperation::Cashout,
                status: WalletTransactionStatus::Validated,
                transaction_id: None,
                bank_account_id: Some(account),
                tag: cash_out.tag.clone(),
            },
            now,
        )
    }

    /// Moves `amount` from one wallet to another at once (`amount - fees` arrives).
    pub fn transfer(&mut self, transfer: &WalletTransfer, now: &str) -> Result<TransactionWallet, ParticeepError> {
        self.apply(
            Movement {
                debited: Some(transfer.debited_wallet_id.clone()),
                credited: Some(transfer.credited_wallet_id.clone()),
                amount: transfer.amount,
                fees: transfer.fees.unwrap_or(0),
                operation: WalletOperation::WalletPayment,
                status: WalletTransactionStatus::Validated,
                transaction_id: None,
                bank_account_id: None,
                tag: transfer.tag.clone(),
            },
            now,
        )
    }

    /// The movements that debited or credited a wallet, newest first.
    pub fn wallet_movements(&mut self, wallet_id: &str) -> Result<Vec<TransactionWallet>, ParticeepError> {
        self.wallet(wallet_id)?;
        let involved = |t: &&TransactionWallet| {
            t.debited_wallet_id.as_deref() == Some(wallet_id) || t.credited_wallet_id.as_deref() == Some(wallet_id)
        };
        Ok(self.wallet_transactions.iter().rev().filter(involved).cloned().collect())
    }
}
