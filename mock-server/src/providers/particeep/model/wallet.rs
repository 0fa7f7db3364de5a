//! The Wallet module's wire types: wallets, their money movements (cash-in, cash-out, transfer),
//! wallet transactions and bank accounts.

use super::*;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `USER` or `ENTERPRISE` (Particeep's SDKs pass owner types through as free strings; the twin
/// knows users, and takes any other type on trust).
pub type OwnerType = String;

/// `NATURAL` or `LEGAL` (a wallet's kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum WalletType {
    /// A person.
    Natural,
    /// A company.
    Legal,
}

/// `LIGHT` until the owner's KYC is validated, then `CONFIRMED` (inferred from the SDKs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum WalletStatus {
    /// KYC not validated.
    Light,
    /// KYC validated.
    Confirmed,
}

/// A wallet. `amount` is its balance in minor units (cents), never negative.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Wallet {
    /// UUID.
    pub id: String,
    /// Creation time.
    pub created_at: String,
    /// Last change of status or balance.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_at: Option<String>,
    /// The owner's id.
    pub owner_id: String,
    /// `USER` or `ENTERPRISE`.
    pub owner_type: OwnerType,
    /// `NATURAL` or `LEGAL`.
    pub wallet_type: WalletType,
    /// `LIGHT` or `CONFIRMED`.
    pub status: WalletStatus,
    /// ISO 4217 (`EUR`).
    pub currency: String,
    /// Company name (LEGAL wallets).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
    /// Balance in cents.
    pub amount: i64,
    /// Free tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// The integrator's own JSON object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom: Option<Value>,
}

/// `PUT /v1/wallet` (WalletCreation; note the SDK's camelCase in some field names). The twin
/// requires the owner, the wallet type, and the holder's e-mail, first and last name.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct WalletCreation {
    /// The owner's id (a user of the consumer when `owner_type` is `USER`).
    pub owner_id: String,
    /// `USER` or `ENTERPRISE`.
    pub owner_type: OwnerType,
    /// `NATURAL` or `LEGAL`.
    pub wallet_type: WalletType,
    /// The holder's e-mail.
    pub email: String,
    /// The holder's first name.
    pub first_name: String,
    /// The holder's last name.
    pub last_name: String,
    /// The holder's address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    /// The caller's IP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_ip: Option<String>,
    /// `MAN` or `WOMAN`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<Gender>,
    /// Birthday.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birthday: Option<String>,
    /// Nationality.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nationality: Option<String>,
    /// Country of residence.
    #[serde(default, rename = "countryOfResidence", skip_serializing_if = "Option::is_none")]
    pub country_of_residence: Option<String>,
    /// Occupation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occupation: Option<String>,
    /// Income range.
    #[serde(default, rename = "incomeRange", skip_serializing_if = "Option::is_none")]
    pub income_range: Option<i64>,
    /// Business name (LEGAL); returned as `company_name`.
    #[serde(default, rename = "businessName", skip_serializing_if = "Option::is_none")]
    pub business_name: Option<String>,
    /// Business description.
    #[serde(default, rename = "businessDescription", skip_serializing_if = "Option::is_none")]
    pub business_description: Option<String>,
    /// Business website.
    #[serde(default, rename = "businessWebsite", skip_serializing_if = "Option::is_none")]
    pub business_website: Option<String>,
    /// Business address.
    #[serde(default, rename = "businessAddress", skip_serializing_if = "Option::is_none")]
    pub business_address: Option<Address>,
    /// ISO 4217 currency (default `EUR`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Free tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// The integrator's own JSON object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom: Option<Value>,
}

/// `POST /v1/wallet/{id}/cashin`: a card cash-in; the answer is the payment page's URL (a JSON
/// string). Amounts are in cents.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct CashIn {
    /// Cents, more than 0.
    pub amount: i64,
    /// Cents kept by the platform (default 0, at most `amount`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fees: Option<i64>,
    /// Free tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// Where the payment page sends the payer after paying.
    pub accept_url: String,
    /// ... after a refusal.
    pub decline_url: String,
    /// ... while the payment is pending.
    pub pending_url: String,
    /// The payer's IP.
    pub owner_ip: String,
    /// `fr_FR`, `en_GB`, `en_US`, `es_ES`, `de_DE`, `pt_PT`, `pt_BR`, `nl_NL`, `nl_BE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
}

/// `POST /v1/wallet/{id}/cashout`: to one of the wallet's bank accounts.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct CashOut {
    /// The bank account (default: the wallet's first validated one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_account_id: Option<String>,
    /// Cents, more than 0.
    pub amount: i64,
    /// Cents kept by the platform (default 0, at most `amount`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fees: Option<i64>,
    /// The caller's IP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_ip: Option<String>,
    /// Free tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
}

/// `POST /v1/wallet/transfer`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct WalletTransfer {
    /// The wallet debited `amount`.
    pub debited_wallet_id: String,
    /// The wallet credited `amount - fees`.
    pub credited_wallet_id: String,
    /// Cents, more than 0.
    pub amount: i64,
    /// Cents kept by the platform (default 0, at most `amount`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fees: Option<i64>,
    /// The caller's IP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_ip: Option<String>,
    /// Free tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
}

/// `PENDING`, `FAILED` or `VALIDATED`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum WalletTransactionStatus {
    /// Waiting for the payer (card) or the bank (wire).
    Pending,
    /// Refused or abandoned: no money moved.
    Failed,
    /// Done: the balances moved.
    Validated,
}

/// What moved money in or out of a wallet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum WalletOperation {
    /// A transfer between wallets, or a transaction paid by wallet.
    WalletPayment,
    /// A card cash-in (or a transaction paid by card).
    CashinCb,
    /// A wire cash-in.
    CashinTransfer,
    /// A payout to a bank account.
    Cashout,
    /// A refund of a wallet or card payment.
    RefundWalletPayment,
}

/// A money movement on wallets (TransactionWallet, with the search rows' `transaction_id` and
/// `operation`). Amounts in cents: `debited_amount` leaves the debited wallet,
/// `credited_amount` (= debited - fees) reaches the credited one.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct TransactionWallet {
    /// UUID.
    pub id: String,
    /// Creation time.
    pub created_at: String,
    /// The wallet debited (absent for a cash-in).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub debited_wallet_id: Option<String>,
    /// The wallet credited (absent for a cash-out).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credited_wallet_id: Option<String>,
    /// Cents taken.
    pub debited_amount: i64,
    /// Cents given.
    pub credited_amount: i64,
    /// Cents kept by the platform.
    pub fees: i64,
    /// ISO 4217.
    pub currency: String,
    /// `PENDING`, `FAILED` or `VALIDATED`.
    pub status: WalletTransactionStatus,
    /// What it was.
    pub operation: WalletOperation,
    /// The Transaction it pays or refunds, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_id: Option<String>,
    /// The bank account of a cash-out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_account_id: Option<String>,
    /// Free tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
}

/// `PUT /v1/wallet/{id}/bankaccount`. The 2022 lineage requires `bank_name` and `bic`; the 2025
/// SDK's `BankAccountCreation` only `iban`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct BankAccountCreation {
    /// The bank's name (required in the 2022 lineage).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_name: Option<String>,
    /// IBAN (checked: country, length and mod-97 checksum; spaces allowed).
    pub iban: String,
    /// BIC (8 or 11 characters; required in the 2022 lineage).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bic: Option<String>,
    /// The account holder's name (2025).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holder_name: Option<String>,
    /// The holder's street number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// The holder's street.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    /// The holder's postal code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zip: Option<String>,
    /// The holder's city.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// The holder's country.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// US account number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acct_num: Option<String>,
    /// US ABA routing number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aba_num: Option<String>,
    /// Canadian transit number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transit_num: Option<String>,
    /// The caller's IP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_ip: Option<String>,
}

/// `PENDING`, `VALIDATED` or `REFUSED`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum BankAccountStatus {
    /// Being checked.
    Pending,
    /// Usable for cash-outs.
    Validated,
    /// Not usable.
    Refused,
}

/// A wallet's bank account.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct BankAccount {
    /// UUID.
    pub id: String,
    /// Creation time.
    pub created_at: String,
    /// Its wallet.
    pub wallet_id: String,
    /// `VALIDATED` at once in the twin (an IBAN that fails its checksum is refused at creation).
    pub status: BankAccountStatus,
    /// The bank's name (empty when a 2025 consumer gave none).
    pub bank_name: String,
    /// IBAN, without spaces, upper case.
    pub iban: String,
    /// BIC (empty when a 2025 consumer gave none).
    pub bic: String,
    /// The account holder's name, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holder_name: Option<String>,
    /// US account number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acct_num: Option<String>,
    /// US ABA routing number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aba_num: Option<String>,
    /// Canadian transit number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transit_num: Option<String>,
}

/// `POST /v1/wallet/{id}/cashin/bankAccount`: a wire cash-in.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct WireCashIn {
    /// Cents, more than 0.
    pub amount: i64,
    /// Cents kept by the platform (default 0, at most `amount`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fees: Option<i64>,
}

/// Where to wire money (CashInBankAccount): the twin's own fictitious account, with the reference
/// that ties the wire to the pending transaction.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct CashInBankAccount {
    /// Bank name.
    pub bank_name: String,
    /// IBAN to wire to.
    pub iban: String,
    /// BIC.
    pub bic: String,
    /// Country.
    pub country: String,
    /// Account holder.
    pub owner_name: String,
    /// The reference the wire must carry: the pending wallet transaction's id.
    pub wire_reference: String,
}

/// `POST /v1/wallet/transfer` as the 2025 SDK reads it (`TransactionWalletFeesOpt`): the movement,
/// and the fees' movement when there are fees (the 2022 lineage answers the bare movement).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct TransactionWalletFeesOpt {
    /// The transfer.
    pub transaction_wallet: TransactionWallet,
    /// Its fees, moved apart (the twin charges none on transfers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_wallet_fees_opt: Option<TransactionWallet>,
}
