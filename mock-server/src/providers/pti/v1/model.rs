//! PTI v1 (Fiant institutional API 1.0.196) wire format: what the twin answers and sends, as the
//! spec's components name them. Users and payment information are the client's own JSON plus the
//! fields PTI adds, so their types carry the rest of the object as it was sent.
//!
//! Over 400 lines: one type per component the twin answers or sends (errors, users, assessments,
//! transactions, wallets, catalogue, four webhooks), each small; splitting them would scatter the
//! one list the published schemas come from ([`schemas`]).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The spec's ISO-8601 date-time pattern (the same as v0's).
const DATE_TIME_PATTERN: &str = r"^(?:[1-9]\d{3}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)|(?:[1-9]\d(?:0[48]|[2468][048]|[13579][26])|(?:[2468][048]|[13579][26])00)-02-29)T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?(?:Z|[+-][01]\d:[0-5]\d)";

/// `managedError` with its `errors` (`invalidRequestError`): a 400.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "invalidRequestError")]
pub struct InvalidRequestError {
    /// `INVALID_REQUEST`, or the managed error type (`NOT_ENOUGH_FUNDS`...).
    #[serde(rename = "type")]
    pub kind: String,
    /// The type's number (INVALID_REQUEST 1000, NOT_ENOUGH_FUNDS 3000...).
    #[schemars(range(min = 0, max = 9999))]
    pub code: u16,
    /// What is wrong, one line each.
    #[schemars(length(max = 50))]
    pub errors: Vec<String>,
}

/// `missingInformationError` (422, `MIN_INFO_MISSING` 1001): what to collect from the user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "missingInformationError")]
pub struct MissingInformationError {
    /// `MIN_INFO_MISSING`.
    #[serde(rename = "type")]
    pub kind: String,
    /// 1001.
    pub code: u16,
    /// The `informationFields` missing.
    #[schemars(length(max = 20))]
    pub fields: Vec<InformationField>,
}

/// `invalidUserAssessmentError` / `noAssessmentError`: a validation answer naming an assessment
/// (`MIN_ASSESSMENT_MISSING` 1002, or `NO_ERROR` 0 when nothing is missing).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "assessmentError")]
pub struct AssessmentError {
    /// `MIN_ASSESSMENT_MISSING` or `NO_ERROR`.
    #[serde(rename = "type")]
    pub kind: String,
    /// 1002 or 0.
    pub code: u16,
    /// The tier the operation needs and the one reached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assessment: Option<Map<String, Value>>,
}

/// `unmanagedError`: 401, 403, 404, 409, 429.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "unmanagedError")]
pub struct UnmanagedError {
    /// Printable ASCII, at most 100 characters.
    #[schemars(regex(pattern = r"^[ -~]*$"), length(max = 100))]
    pub error: String,
    /// The twin's code (the README's table, as v0's).
    #[schemars(range(min = 0, max = 9999))]
    pub code: u16,
}

/// `informationFields`: what a tier asks of a user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[allow(missing_docs)]
pub enum InformationField {
    FullName,
    EmailAddress,
    PhysicalAddress,
    BirthDate,
    PhoneNumber,
    TokenAddress,
    UsCitizenship,
    IdDocument,
    SourceOfFunds,
}

impl InformationField {
    /// The field a tier requirement (a JSON pointer into the user) stands for.
    pub fn of_pointer(pointer: &str) -> Self {
        let first = pointer.trim_start_matches('/').split('/').next().unwrap_or_default();
        match first {
            "name" => Self::FullName,
            "emails" => Self::EmailAddress,
            "addresses" => Self::PhysicalAddress,
            "dateOfBirth" => Self::BirthDate,
            "phones" => Self::PhoneNumber,
            "piis" | "countryOfCitizenship" => Self::UsCitizenship,
            "sourceOfFunds" => Self::SourceOfFunds,
            "paymentInformation" => Self::TokenAddress,
            _ => Self::IdDocument,
        }
    }
}

/// A v1 user (`oneOfUserSubTypes`: `person` or `business`): what the client sent, with the
/// fields PTI sets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "user")]
pub struct User {
    /// The client's id for the user.
    #[schemars(regex(pattern = r"^[a-z0-9_-]{3,255}$"), length(max = 255))]
    pub id: String,
    /// PERSON or BUSINESS.
    #[serde(rename = "type")]
    #[schemars(extend("enum" = ["PERSON", "BUSINESS"]))]
    pub kind: String,
    /// ACTIVE, INACTIVE or BLOCKED (only PTI staff change it).
    #[schemars(extend("enum" = ["ACTIVE", "INACTIVE", "BLOCKED"]))]
    pub status: String,
    /// When the twin first saw the user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = DATE_TIME_PATTERN), length(max = 40))]
    pub user_creation_date: Option<String>,
    /// Everything else, as sent (names, emails, addresses, piis...).
    #[serde(flatten)]
    pub rest: Map<String, Value>,
}

/// `pageable` of a Spring page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(missing_docs)]
pub struct Pageable {
    pub page_number: u32,
    #[schemars(range(min = 1, max = 100))]
    pub page_size: u32,
    pub offset: u32,
    pub paged: bool,
    pub unpaged: bool,
}

/// `page_sort`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct PageSort {
    pub sorted: bool,
    pub unsorted: bool,
    pub empty: bool,
}

/// `userPage`: `GET /users`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(rename = "userPage")]
#[allow(missing_docs)]
pub struct UserPage {
    #[schemars(length(max = 100))]
    pub content: Vec<User>,
    pub total_pages: u32,
    #[schemars(range(min = 1, max = 100))]
    pub size: u32,
    pub total_elements: u32,
    pub last: bool,
    pub number_of_elements: u32,
    pub pageable: Pageable,
    pub sort: PageSort,
    pub first: bool,
    pub empty: bool,
}

/// `objectReferencePage`: wallets and digital items, paged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(rename = "objectReferencePage")]
#[allow(missing_docs)]
pub struct ObjectReferencePage {
    pub page: u32,
    #[schemars(range(min = 1, max = 100))]
    pub page_size: u32,
    pub total: u32,
    pub items: Vec<crate::providers::pti::model::ObjectReference>,
}

/// `userAssessStatusObject`: `GET /users/{id}/assessments`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(rename = "userAssessStatusObject")]
pub struct UserAssessment {
    /// `USER_ASSESSMENT`.
    pub resource_type: String,
    /// The assessment's `x-pti-request-id` (none before the first assessment).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// The client.
    pub client_id: String,
    /// The user.
    pub user_id: String,
    /// When it was decided or started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = DATE_TIME_PATTERN), length(max = 40))]
    pub date: Option<String>,
    /// PENDING, ACCEPTED, REFUSED, UNDER_REVIEW...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("enum" = ["PENDING", "ERROR", "UNDER_REVIEW", "REQUESTED_MORE_INFORMATION", "ACCEPTED", "REFUSED", "INVALID"]))]
    pub assessment: Option<String>,
    /// The assessment's `clientMeta`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Map<String, Value>>,
    /// The tier reached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<u32>,
    /// Why it was refused (`kycProviderResponseCode`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal_reason: Option<String>,
}

/// `transactionMonitoringResultDetail`: the same in v1 as in v0.
pub use crate::providers::pti::model::MonitoringDetail;

/// `transactionAssessStatusObject`: `GET /transactions/assessments/{requestId}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(rename = "transactionAssessStatusObject")]
#[allow(missing_docs)]
pub struct TransactionAssessment {
    /// `TRANSACTION_ASSESSMENT`.
    pub resource_type: String,
    pub request_id: String,
    pub client_id: String,
    pub user_id: String,
    #[schemars(regex(pattern = DATE_TIME_PATTERN), length(max = 40))]
    pub date: String,
    /// PENDING, PROCEED, STOP, MANUAL_REVIEW or ERROR.
    #[schemars(extend("enum" = ["PENDING", "ERROR", "MANUAL_REVIEW", "PROCEED", "STOP"]))]
    pub assessment: String,
    /// LOW, MEDIUM or HIGH (absent while PENDING).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("enum" = ["LOW", "MEDIUM", "HIGH"]))]
    pub risk: Option<String>,
    #[schemars(range(min = 0, max = 999_999))]
    pub amount: f64,
    /// DEPOSIT, WITHDRAWAL, PAYMENT, TRANSFER, SELL, BUY, MINT or TRADE.
    pub transaction_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_group_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Map<String, Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_monitoring_result_detail: Option<MonitoringDetail>,
}

/// `cost`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct Cost {
    #[schemars(range(min = 0, max = 999_999))]
    pub amount: f64,
    pub currency: String,
}

/// `total` (of a transaction status).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct Total {
    pub fee: Cost,
    pub total: Cost,
    pub subtotal: Cost,
}

/// `paymentStatusDetail`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(missing_docs)]
pub struct PaymentStatusDetail {
    pub provider_response_code: String,
    #[schemars(extend("enum" = ["ERROR", "SOFT_DECLINE", "HARD_DECLINE"]))]
    pub provider_response_category: String,
}

/// `transactionStatusObject`: `GET /transactions/{requestId}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(rename = "transactionStatusObject")]
#[allow(missing_docs)]
pub struct TransactionStatus {
    /// `TRANSACTION_STATUS`.
    pub resource_type: String,
    pub request_id: String,
    pub client_id: String,
    pub user_id: String,
    #[schemars(regex(pattern = DATE_TIME_PATTERN), length(max = 40))]
    pub date: String,
    #[schemars(extend("enum" = ["PENDING", "ERROR", "MANUAL_REVIEW", "REFUSED", "AWAITING_PAYMENT", "AUTHORIZED", "ACCEPTED", "BAD_REQUEST", "SETTLED", "CAPTURED", "CHARGED_BACK", "CHARGED_BACK_REVERSED", "CANCELED", "REFUNDED"]))]
    pub status: String,
    pub transaction_type: String,
    /// BANK_ACCOUNT, ENCRYPTED_CREDIT_CARD, CRYPTO or WALLET.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_method: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_status_detail: Option<PaymentStatusDetail>,
    #[schemars(range(min = 0, max = 999_999))]
    pub amount: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_group_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_email: Option<String>,
    pub transaction_total: Total,
    pub currency: String,
}

/// `wallet`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(rename = "wallet")]
#[allow(missing_docs)]
pub struct Wallet {
    #[schemars(length(max = 255))]
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    pub currency: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network: Option<String>,
    #[schemars(range(min = 0, max = 999_999))]
    pub available_balance: f64,
    #[schemars(range(min = 0, max = 999_999))]
    pub locked_balance: f64,
    #[schemars(range(min = 0, max = 999_999))]
    pub pending_balance: f64,
    #[schemars(range(min = 0, max = 999_999))]
    pub total_balance: f64,
    /// A deposit address, virtual bank account or wire instructions, once asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deposit_instruction: Option<Map<String, Value>>,
    #[schemars(regex(pattern = DATE_TIME_PATTERN), length(max = 40))]
    pub create_date_time: String,
    pub multi_wallet_address: bool,
    /// `WALLET`.
    #[serde(rename = "type")]
    pub kind: String,
}

/// `walletHistory`: one balance change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(rename = "walletHistory")]
#[allow(missing_docs)]
pub struct WalletHistory {
    pub wallet_id: String,
    pub pending_balance_before: f64,
    pub total_balance_before: f64,
    pub locked_balance_before: f64,
    #[schemars(regex(pattern = DATE_TIME_PATTERN), length(max = 40))]
    pub create_date_time: String,
    pub change: f64,
    #[schemars(extend("enum" = ["LOCKED_BALANCE", "PENDING_BALANCE", "TOTAL_BALANCE"]))]
    pub operation_target: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// `walletHistoryPage`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(rename = "walletHistoryPage")]
#[allow(missing_docs)]
pub struct WalletHistoryPage {
    pub page: u32,
    pub page_size: u32,
    pub total: u32,
    pub items: Vec<WalletHistory>,
}

/// `currencyAsset`: `GET /assets`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "currencyAsset")]
#[allow(missing_docs)]
pub struct CurrencyAsset {
    #[serde(rename = "type")]
    #[schemars(extend("enum" = ["CRYPTO", "FIAT"]))]
    pub kind: String,
    pub currency: String,
    pub networks: Vec<String>,
}

/// `tradeQuote`: a trade's price estimate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(rename = "tradeQuote")]
#[allow(missing_docs)]
pub struct TradeQuote {
    pub estimated_fill_price_per_unit: f64,
    pub source_currency: String,
    pub destination_currency: String,
    pub amount: f64,
}

/// `digitalItem` (an NFT or other item a user sells).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(rename = "digitalItem")]
#[allow(missing_docs)]
pub struct DigitalItem {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[a-z0-9_-]{3,64}$"))]
    pub id: Option<String>,
    #[schemars(length(max = 128))]
    pub item_reference: String,
    #[schemars(length(max = 1024))]
    pub item_title: String,
    #[schemars(length(max = 1024))]
    pub item_description: String,
    #[serde(rename = "itemUSDValue", default, skip_serializing_if = "Option::is_none")]
    pub item_usd_value: Option<f64>,
    #[schemars(extend("enum" = ["NFT", "OTHER"]))]
    pub digital_item_type: String,
}

/// `transactionUpdate`: feedback on a transaction (`POST /transactions/{id}/updates`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(rename = "transactionUpdate")]
#[allow(missing_docs)]
pub struct TransactionUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_name: Option<String>,
    #[schemars(extend("enum" = ["SETTLED", "ACCEPTED", "CANCELLED", "REJECTED", "REFUNDED", "CHARGED_BACK", "ERROR"]))]
    pub feedback: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 256))]
    pub transaction_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

/// Webhook `USER_ASSESSMENT` (the v1 guide's "User assessment Result").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "userAssessmentWebhook")]
#[allow(missing_docs)]
pub struct UserAssessmentEvent {
    /// `USER_ASSESSMENT`.
    #[schemars(regex(pattern = r"^USER_ASSESSMENT$"))]
    pub resource_type: String,
    pub request_id: String,
    pub client_id: String,
    pub user_id: String,
    #[schemars(extend("enum" = ["ACCEPTED", "REFUSED", "UNDER_REVIEW", "ERROR", "PENDING", "REQUESTED_MORE_INFORMATION"]))]
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Map<String, Value>>,
    pub date: String,
}

/// Webhook `TRANSACTION_MONITORING` (v1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "transactionMonitoringWebhookV1")]
#[allow(missing_docs)]
pub struct MonitoringEvent {
    /// `TRANSACTION_MONITORING`.
    #[schemars(regex(pattern = r"^TRANSACTION_MONITORING$"))]
    pub resource_type: String,
    pub request_id: String,
    pub client_id: String,
    pub user_id: String,
    #[schemars(extend("enum" = ["ACCEPT", "MANUAL_REVIEW", "DENY", "ERROR", "PENDING"]))]
    pub status: String,
    /// The transaction's `date`.
    pub date: String,
    pub amount: f64,
    /// LOW, MEDIUM or HIGH (absent while PENDING).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_group_id: Option<String>,
    /// DEPOSIT, WITHDRAWAL, TRANSFER, MINT, BUY, SELL, PAYMENT or TRADE.
    pub transaction_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_monitoring_result_detail: Option<MonitoringDetail>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meta: Option<Map<String, Value>>,
}

/// `paymentStatusDetail` as the webhook spells it (`responseCode`, `responseCategory`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct WebhookPaymentDetail {
    pub response_code: String,
    pub response_category: String,
}

/// `total` as the webhook spells it (`subTotal`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct WebhookTotal {
    pub sub_total: Cost,
    pub fee: Cost,
    pub total: Cost,
}

/// Webhook `TRANSACTION_STATUS` (the v1 guide's "Payment processing update").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "transactionStatusWebhook")]
#[allow(missing_docs)]
pub struct TransactionStatusEvent {
    /// `TRANSACTION_STATUS`.
    #[schemars(regex(pattern = r"^TRANSACTION_STATUS$"))]
    pub resource_type: String,
    pub request_id: String,
    pub client_id: String,
    pub user_id: String,
    #[schemars(extend("enum" = ["AUTHORIZED", "REFUSED", "ERROR", "PENDING", "CHARGED_BACK", "CANCELED", "REFUNDED", "CAPTURED", "SETTLED"]))]
    pub status: String,
    pub date: String,
    pub amount: f64,
    pub fees: f64,
    pub currency: String,
    pub transaction_type: String,
    /// CRYPTO, BANK_ACCOUNT, CREDIT_CARD or WALLET.
    pub payment_method: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_group_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_email: Option<String>,
    pub additional_infos: crate::providers::pti::model::PaymentInfos,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_status_detail: Option<WebhookPaymentDetail>,
    pub total: WebhookTotal,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario_id: Option<String>,
}

/// Every v1 schema, by its file name under `schemas/pti/v1/`.
pub fn schemas(generator: &mut schemars::SchemaGenerator) -> Vec<(&'static str, schemars::Schema)> {
    use crate::schemas::root;
    let mut assets = generator.clone().into_root_schema_for::<Vec<CurrencyAsset>>();
    assets.insert("title".into(), "currencyAssets".into());
    let mut wallets = generator.clone().into_root_schema_for::<Vec<Wallet>>();
    wallets.insert("title".into(), "wallets".into());
    let mut references = generator.clone().into_root_schema_for::<Vec<crate::providers::pti::model::ObjectReference>>();
    references.insert("title".into(), "objectReferences".into());
    vec![
        ("v1/invalidRequestError", root::<InvalidRequestError>(generator)),
        ("v1/missingInformationError", root::<MissingInformationError>(generator)),
        ("v1/assessmentError", root::<AssessmentError>(generator)),
        ("v1/unmanagedError", root::<UnmanagedError>(generator)),
        ("v1/user", root::<User>(generator)),
        ("v1/userPage", root::<UserPage>(generator)),
        ("v1/objectReference", root::<crate::providers::pti::model::ObjectReference>(generator)),
        ("v1/objectReferences", references),
        ("v1/objectReferencePage", root::<ObjectReferencePage>(generator)),
        ("v1/userToken", root::<crate::providers::pti::model::UserToken>(generator)),
        ("v1/userAssessStatusObject", root::<UserAssessment>(generator)),
        ("v1/transactionAssessStatusObject", root::<TransactionAssessment>(generator)),
        ("v1/transactionStatusObject", root::<TransactionStatus>(generator)),
        ("v1/wallet", root::<Wallet>(generator)),
        ("v1/wallets", wallets),
        ("v1/walletHistoryPage", root::<WalletHistoryPage>(generator)),
        ("v1/currencyAssets", assets),
        ("v1/tradeQuote", root::<TradeQuote>(generator)),
        ("v1/digitalItem", root::<DigitalItem>(generator)),
        ("v1/transactionUpdate", root::<TransactionUpdate>(generator)),
        ("v1/userWebhook", root::<crate::providers::pti::model::UserStatusEvent>(generator)),
        ("v1/userAssessmentWebhook", root::<UserAssessmentEvent>(generator)),
        ("v1/transactionMonitoringWebhook", root::<MonitoringEvent>(generator)),
        ("v1/transactionStatusWebhook", root::<TransactionStatusEvent>(generator)),
    ]
}
