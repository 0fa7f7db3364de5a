//! Particeep's wire types, field names as Particeep's SDKs spell them (snake_case), and the schemas
//! generated from them. Optional fields are left out when absent.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Event names the twin records (`<entity>_<past participle>`). Only `user_deleted` is published
/// by Particeep; the others follow its pattern and are the twin's (the README lists them).
pub const EVENTS: &[&str] = &[
    "user_created",
    "user_updated",
    "user_deleted",
    "user_password_changed",
    "webhook_created",
    "webhook_updated",
    "webhook_deleted",
    "wallet_created",
    "bank_account_created",
    "transaction_wallet_created",
    "transaction_wallet_validated",
    "transaction_wallet_failed",
    "kyc_created",
    "kyc_updated",
    "kyc_ask_validation",
    "kyc_validated",
    "kyc_refused",
    "kyc_cancelled",
    "wallet_confirmed",
    "transaction_created",
    "transaction_updated",
    "transaction_cancelled",
    "transaction_deleted",
    "transaction_succeeded",
    "transaction_payment_failed",
    "transaction_refunded",
    "document_created",
    "document_updated",
    "document_deleted",
    "role_added",
    "role_removed",
    "user_email_changed",
    "transaction_paid",
    "transaction_payment_started",
];

/// The error body: `{hasError, errors}` (bare, or under `error` in the envelope).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    /// Whether an error is present.
    pub has_error: bool,
    /// The errors.
    pub errors: Vec<ErrorItem>,
}

/// One error.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ErrorItem {
    /// `error.<entity>.<reason>`: `error.user.none` is Particeep's; the rest of the catalogue is the
    /// twin's own (`error.api.authentication`, `error.user.email.exists`, `error.custom.not.object`...).
    pub technical_code: String,
    /// A human-readable message.
    pub message: String,
}

/// `meta` of the envelope.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Meta {
    /// The API version (`"1"`).
    pub version: String,
}

/// The documented envelope `{error, result, meta}` (consumers with `envelope: true`). On an error
/// `result` is `null` and `error` holds the error body (the document shows no enveloped error:
/// this is the twin's reading).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Envelope {
    /// `{hasError, errors}`.
    pub error: ErrorBody,
    /// The entity, list or page; `null` on an error.
    pub result: Value,
    /// `{version}`.
    pub meta: Meta,
}

/// `GET /v1/info`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Info {
    /// API version.
    pub version: String,
    /// Whether the `debug-*` headers are on for this consumer.
    pub debug_enable: bool,
    /// Whether the envelope (`meta`) is on for this consumer.
    pub meta_enable: bool,
}

/// A postal address.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct Address {
    /// Street number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// Street.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    /// Postal code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zip: Option<String>,
    /// City.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// Country.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Free tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
}

/// `MAN` or `WOMAN`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum Gender {
    /// Man.
    Man,
    /// Woman.
    Woman,
}

/// `NATURAL` or `LEGAL`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum InvestorType {
    /// A person.
    Natural,
    /// A company.
    Legal,
}

/// The profile fields a user has and an update may change (UserEdition).
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct UserProfile {
    /// First name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// `MAN` or `WOMAN`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<Gender>,
    /// Avatar URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar_url: Option<String>,
    /// Birthday (ISO 8601 date-time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birthday: Option<String>,
    /// Birth place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_place: Option<String>,
    /// Birth country.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_country: Option<String>,
    /// Phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Nationality.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nationality: Option<String>,
    /// Biography.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bio: Option<String>,
    /// Business sector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sector: Option<String>,
    /// `NATURAL` or `LEGAL`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub investor_type: Option<InvestorType>,
    /// LinkedIn URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub linkedin_url: Option<String>,
    /// Viadeo URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub viadeo_url: Option<String>,
    /// Whether the user accepts e-mails.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_mail_notifications: Option<bool>,
    /// Whether the user pays taxes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub does_pay_taxes: Option<bool>,
    /// Addresses (the SDKs' `addresses`; old payloads had a single `address`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub addresses: Option<Vec<Address>>,
    /// Free tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// The integrator's own data: a JSON object stored and returned unchanged (an update replaces
    /// it); anything but an object is refused with `error.custom.not.object`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom: Option<Value>,
}

/// `PUT /v1/user` (UserCreation). `email` and `password` are required (Particeep's tutorial).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct UserCreation {
    /// E-mail, unique per consumer.
    pub email: String,
    /// Password (never returned).
    pub password: String,
    /// Whether the user has claimed the account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_been_claimed: Option<bool>,
    /// The profile.
    #[serde(flatten)]
    pub profile: UserProfile,
}

/// A user as Particeep returns it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct User {
    /// UUID.
    pub id: String,
    /// Creation time (UTC, ISO 8601).
    pub created_at: String,
    /// E-mail.
    pub email: String,
    /// Whether the user has claimed the account.
    pub has_been_claimed: bool,
    /// The profile.
    #[serde(flatten)]
    pub profile: UserProfile,
}

/// A search page: `{total_size, data}`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Page<T> {
    /// How many match in all.
    pub total_size: usize,
    /// This page (`limit` from `offset`).
    pub data: Vec<T>,
}

/// `POST /v1/user/authenticate`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Credentials {
    /// E-mail.
    pub email: String,
    /// Password.
    pub password: String,
}

/// `POST /v1/user/{id}/changePassword`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct PasswordChange {
    /// The current password; when sent it must match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_password: Option<String>,
    /// The new password.
    pub new_password: String,
}

/// A registered webhook.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct WebHook {
    /// UUID.
    pub id: String,
    /// Creation time.
    pub created_at: String,
    /// The event name (`user_deleted`...): one URL per name.
    pub name: String,
    /// Where the event is POSTed.
    pub url: String,
}

/// `PUT /v1/webhook`, `POST /v1/webhook/{id}`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct WebHookCreation {
    /// The event name.
    pub name: String,
    /// Where to POST it.
    pub url: String,
}

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

/// `PUT /v1/wallet/{id}/bankaccount`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct BankAccountCreation {
    /// The bank's name.
    pub bank_name: String,
    /// IBAN (checked: country, length and mod-97 checksum; spaces allowed).
    pub iban: String,
    /// BIC (8 or 11 characters).
    pub bic: String,
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
    /// The bank's name.
    pub bank_name: String,
    /// IBAN, without spaces, upper case.
    pub iban: String,
    /// BIC.
    pub bic: String,
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

/// KYC group status, in lifecycle order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum KycStatus {
    /// Documents being attached.
    Created,
    /// Sent for validation.
    AskValidation,
    /// Accepted.
    Validated,
    /// Refused (see each document's `refusal_reason`).
    Refused,
    /// Withdrawn by the owner.
    Cancelled,
}

/// Who a KYC is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum KycUserType {
    /// A person.
    Natural,
    /// A company.
    Legal,
    /// A sole trader.
    SelfEmployed,
    /// An association.
    Association,
}

/// `PUT /v1/kycs`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct KycCreation {
    /// The owner (it must have a wallet: the Kyc module depends on Wallet).
    pub owner_id: String,
    /// `USER` or `ENTERPRISE`.
    pub owner_type: OwnerType,
    /// Which documents are required.
    pub user_type: KycUserType,
    /// The caller's IP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_ip: Option<String>,
}

/// One document type's files, as attached by `POST /v1/kycs`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct KycDocInput {
    /// `ID_CARD`, `ADDRESS_PROOF`, ... (see `KycType`).
    pub doc_type: String,
    /// Files by URL (2022 SDKs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urls: Option<Vec<String>>,
    /// Ids of uploaded Documents of the owner (2025 SDKs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs_ids: Option<Vec<String>>,
}

/// `POST /v1/kycs` (KycsEdition): attach documents while the group is `CREATED` (or `REFUSED`,
/// to resubmit).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct KycsEdition {
    /// The owner.
    pub owner_id: String,
    /// `USER` or `ENTERPRISE`.
    pub owner_type: OwnerType,
    /// The caller's IP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_ip: Option<String>,
    /// Documents per type; a type sent again replaces its files.
    pub docs: Vec<KycDocInput>,
}

/// One document of a KYC group.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Kyc {
    /// `ID_CARD`, `ADDRESS_PROOF`, ...
    pub doc_type: String,
    /// The document's own status (2025 SDKs).
    pub status: KycStatus,
    /// When first attached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// When last changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_at: Option<String>,
    /// Why it was refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal_reason: Option<String>,
    /// The refusal, for a person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal_message: Option<String>,
    /// Files by URL.
    pub urls: Vec<String>,
    /// Uploaded Documents.
    pub docs_ids: Vec<String>,
}

/// A KYC group: one owner's documents and the group's status.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct KycGroup {
    /// The owner.
    pub owner_id: String,
    /// `USER` or `ENTERPRISE`.
    pub owner_type: OwnerType,
    /// Which documents are required.
    pub user_type: KycUserType,
    /// Where the group stands.
    pub status: KycStatus,
    /// Every required document type (empty `urls` and `docs_ids` until attached), then any extra.
    pub docs: Vec<Kyc>,
}

/// `PENDING`, `SUCCEEDED`, `REFUNDED`, `CANCELLED` or `FROZEN`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum TransactionStatus {
    /// Not paid yet (or a card payment in progress).
    Pending,
    /// Paid.
    Succeeded,
    /// Paid, then refunded.
    Refunded,
    /// Cancelled before payment.
    Cancelled,
    /// Blocked (never set by the twin; listed for the 2025 SDKs).
    Frozen,
}

/// How a transaction was paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PaymentMethod {
    /// From the issuer's wallet.
    Wallet,
    /// By card, on the payment page.
    CreditCard,
    /// By wire.
    DirectCashin,
}

/// The fields of a transaction a creation sets and an edition may change.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct TransactionFields {
    /// Fundraise id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fundraise_id: Option<String>,
    /// Fundraise type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fundraise_type: Option<String>,
    /// Item id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_id: Option<String>,
    /// Item type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_type: Option<String>,
    /// Comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Free tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// The integrator's own JSON object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom: Option<Value>,
}

/// A transaction: money owed by an issuer to a recipient, paid through `/v1/payment`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Transaction {
    /// UUID.
    pub id: String,
    /// Creation time.
    pub created_at: String,
    /// Who pays.
    pub issuer_id: String,
    /// `USER` or `ENTERPRISE`.
    pub issuer_type: OwnerType,
    /// Who is paid.
    pub recipient_id: String,
    /// `USER` or `ENTERPRISE`.
    pub recipient_type: OwnerType,
    /// Cents.
    pub amount: i64,
    /// Cents kept by the platform.
    pub fees: i64,
    /// ISO 4217.
    pub currency: String,
    /// Where it stands.
    pub status: TransactionStatus,
    /// How it was paid (once a payment started).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_method: Option<PaymentMethod>,
    /// Paid outside Particeep.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handled_offline: Option<bool>,
    /// The rest.
    #[serde(flatten)]
    pub fields: TransactionFields,
}

/// `PUT /v1/transaction`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct TransactionCreation {
    /// Who pays.
    pub issuer_id: String,
    /// `USER` or `ENTERPRISE`.
    pub issuer_type: OwnerType,
    /// Who is paid.
    pub recipient_id: String,
    /// `USER` or `ENTERPRISE`.
    pub recipient_type: OwnerType,
    /// Cents, more than 0.
    pub amount: i64,
    /// Cents kept by the platform (default 0, at most `amount`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fees: Option<i64>,
    /// ISO 4217 (default `EUR`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// The creation time to record (default now).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// The rest.
    #[serde(flatten)]
    pub fields: TransactionFields,
}

/// `POST /v1/payment/{id}`, `/credit-card/{id}`, `/cash-in/direct/{id}` (PaymentCbCreation).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct PaymentCbCreation {
    /// Where the payment page sends the payer after paying.
    pub accept_url: String,
    /// ... after a refusal.
    pub decline_url: String,
    /// ... while pending.
    pub pending_url: String,
    /// The payer's IP.
    pub owner_ip: String,
    /// Page language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
}

/// What a payment call answers.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct PayResult {
    /// The transaction after the call.
    pub transaction: Transaction,
    /// The payment page (card payments).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_url: Option<String>,
    /// Where to wire the money (direct cash-in).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_account: Option<CashInBankAccount>,
}

/// An uploaded file (`FILE`) or a folder (`FOLDER`).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Document {
    /// UUID.
    pub id: String,
    /// Creation time.
    pub created_at: String,
    /// The user who owns it.
    pub owner_id: String,
    /// What it is attached to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_id: Option<String>,
    /// `USER`, `ENTERPRISE`, `FUNDRAISE`...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_type: Option<String>,
    /// File name.
    pub name: String,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// MIME type of the upload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// Folder path (`/` by default).
    pub path: String,
    /// `FILE` or `FOLDER`.
    pub doc_type: String,
    /// Size in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// Whether it is locked.
    pub locked: bool,
    /// Free tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// The integrator's own JSON object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom: Option<Value>,
}

/// `POST /v1/document/{id}`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct DocumentEdition {
    /// New name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// New description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// New tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// New `custom` (replaces the old one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom: Option<Value>,
}

/// One role a user holds.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Role {
    /// UUID.
    pub id: String,
    /// Creation time.
    pub created_at: String,
    /// One of `GET /v1/role/all`.
    pub role_name: String,
    /// What the role is on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_id: Option<String>,
    /// Its type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_type: Option<String>,
    /// Free tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
}

/// A user's roles.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Roles {
    /// The user.
    pub user_id: String,
    /// Its roles.
    pub roles: Vec<Role>,
}

/// `PUT /v1/role/{user_id}/add/{role}` (the body may be empty).
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct RoleTarget {
    /// What the role is on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_id: Option<String>,
    /// Its type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_type: Option<String>,
}

/// One item of `PUT /v1/role`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct RoleAssignment {
    /// Ignored (the twin assigns ids).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The user.
    pub user_id: String,
    /// One of `GET /v1/role/all`.
    pub role_name: String,
    /// What the role is on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_id: Option<String>,
    /// Its type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_type: Option<String>,
    /// Free tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
}

/// `POST /v1/user/{id}/email`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct EmailChange {
    /// The new e-mail, unique per consumer.
    pub email: String,
}

/// Every schema file of `schemas/particeep/`.
pub fn schemas(generator: &mut schemars::SchemaGenerator) -> Vec<(&'static str, schemars::Schema)> {
    use crate::schemas::root;
    vec![
        ("ErrorBody", root::<ErrorBody>(generator)),
        ("Envelope", root::<Envelope>(generator)),
        ("Info", root::<Info>(generator)),
        ("UserCreation", root::<UserCreation>(generator)),
        ("User", root::<User>(generator)),
        ("UserPage", root::<Page<User>>(generator)),
        ("Credentials", root::<Credentials>(generator)),
        ("PasswordChange", root::<PasswordChange>(generator)),
        ("WebHook", root::<WebHook>(generator)),
        ("WebHookCreation", root::<WebHookCreation>(generator)),
        ("EmailChange", root::<EmailChange>(generator)),
        ("WalletCreation", root::<WalletCreation>(generator)),
        ("Wallet", root::<Wallet>(generator)),
        ("CashIn", root::<CashIn>(generator)),
        ("CashOut", root::<CashOut>(generator)),
        ("WalletTransfer", root::<WalletTransfer>(generator)),
        ("TransactionWallet", root::<TransactionWallet>(generator)),
        ("TransactionWalletPage", root::<Page<TransactionWallet>>(generator)),
        ("BankAccountCreation", root::<BankAccountCreation>(generator)),
        ("BankAccount", root::<BankAccount>(generator)),
        ("WireCashIn", root::<WireCashIn>(generator)),
        ("CashInBankAccount", root::<CashInBankAccount>(generator)),
        ("KycCreation", root::<KycCreation>(generator)),
        ("KycsEdition", root::<KycsEdition>(generator)),
        ("KycGroups", root::<Vec<KycGroup>>(generator)),
        ("TransactionCreation", root::<TransactionCreation>(generator)),
        ("Transaction", root::<Transaction>(generator)),
        ("TransactionPage", root::<Page<Transaction>>(generator)),
        ("PaymentCbCreation", root::<PaymentCbCreation>(generator)),
        ("PayResult", root::<PayResult>(generator)),
        ("Document", root::<Document>(generator)),
        ("DocumentPage", root::<Page<Document>>(generator)),
        ("DocumentEdition", root::<DocumentEdition>(generator)),
        ("Roles", root::<Roles>(generator)),
        ("RolesPage", root::<Page<Roles>>(generator)),
        ("RoleTarget", root::<RoleTarget>(generator)),
        ("RoleAssignment", root::<RoleAssignment>(generator)),
    ]
}

/// Whether `custom` (when present) is a JSON object.
pub fn custom_is_object(custom: Option<&Value>) -> bool {
    custom.is_none_or(Value::is_object)
}
