//! PTI v0 wire format: the small fixed shapes (errors, references, tokens, KYC status, feedback)
//! and the webhook events of the notes' §5.4. Users and transactions are the client's own JSON,
//! checked field by field in `handlers.rs` against the spec's patterns and kept as sent.

use schemars::JsonSchema;

/// The spec's pattern for URLs (`&amp;` included: the published spec has it so, and inside a
/// character class it only adds harmless characters).
const URL_PATTERN: &str = r"^([\w.,@?^=%&amp;:/~+#-]*[\w@?^=%&amp;/\.~+#-])?$";

/// The spec's ISO-8601 date-time pattern.
const DATE_TIME_PATTERN: &str = r"^(?:[1-9]\d{3}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)|(?:[1-9]\d(?:0[48]|[2468][048]|[13579][26])|(?:[2468][048]|[13579][26])00)-02-29)T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?(?:Z|[+-][01]\d:[0-5]\d)";
use serde::{Deserialize, Serialize};

/// v0 `error`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "error")]
pub struct ErrorBody {
    /// 0..9999; see the README for the values.
    #[schemars(range(min = 0, max = 9999))]
    pub code: i32,
    /// Printable ASCII, at most 1000 characters.
    #[schemars(regex(pattern = r"^[ -~]*$"), length(max = 1000))]
    pub message: String,
}

/// v0 `inputRequest` (406): more about the user is needed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "inputRequest")]
pub struct InputRequest {
    /// Where the user can give it (a form of the twin's).
    #[schemars(regex(pattern = URL_PATTERN), length(min = 1, max = 1022))]
    pub url: String,
    /// The missing user fields, as JSON pointers.
    #[serde(default)]
    #[schemars(length(max = 100))]
    pub fields: Vec<String>,
}

/// v0 `objectReference`: what a create answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "objectReference")]
pub struct ObjectReference {
    /// The id (the user id, or the request id).
    #[schemars(regex(pattern = r"^[a-z0-9_-]{3,40}$"), length(max = 40))]
    pub id: String,
    /// Absolute URL of the resource.
    #[schemars(regex(pattern = URL_PATTERN), length(min = 1, max = 1022))]
    pub link: String,
}

/// v0 `userTokenRequest`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "userTokenRequest")]
pub struct UserTokenRequest {
    /// The URL (or path) the token will be used on.
    #[schemars(regex(pattern = URL_PATTERN), length(min = 1, max = 1022))]
    pub url: String,
    /// The method it will be used with.
    #[schemars(regex(pattern = r"^(GET|POST|PUT|PATCH|DELETE|OPTIONS|CONNECT)$"), length(min = 3, max = 6))]
    pub method: String,
}

/// v0 `userToken`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(rename = "userToken")]
pub struct UserToken {
    /// A single-use JWT for `x-pti-token`.
    #[schemars(
        regex(pattern = r"^[A-Za-z0-9-_=]+\.[A-Za-z0-9-_=]+\.?[A-Za-z0-9-_.+\/=]*$"),
        length(min = 128, max = 4096)
    )]
    pub access_token: String,
    /// Unix seconds.
    #[schemars(range(min = 1_200_000_000, max = 2_147_483_647), extend("type" = "number"))]
    pub expires_at: i64,
    /// Always `JWT`.
    #[schemars(regex(pattern = r"^JWT$"), length(max = 3))]
    pub token_type: String,
}

/// v0 `kycNeeds`. The spec marks nothing required; our contract requires `kyc_needed`, the
/// answer a client reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "kycNeeds")]
pub struct KycNeeds {
    /// Whether the user must pass a KYC before a transaction of that amount.
    pub kyc_needed: bool,
}

/// Status of a user's latest KYC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
// Variant docs would become descriptions in the published schema (and turn its `enum` list into
// a `oneOf`): the wire values name themselves.
#[allow(missing_docs)]
pub enum KycStatus {
    Accepted,
    Refused,
    ManualReview,
    RequestedMoreInformation,
}

/// v0 `kyc`: the latest KYC result of a user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(rename = "kyc")]
pub struct Kyc {
    /// The result.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<KycStatus>,
    /// The tier reached.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier: Option<i64>,
    /// The client's meta data sent with the KYC.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_meta: Option<serde_json::Map<String, serde_json::Value>>,
    /// The KYC's request id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// Feedback values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
// Variant docs would become descriptions in the published schema (and turn its `enum` list into
// a `oneOf`): the wire values name themselves.
#[allow(missing_docs)]
pub enum Feedback {
    Accepted,
    Settled,
    Cancelled,
    Rejected,
    Refunded,
    ChargedBack,
    Error,
}

/// v0 `transactionFeedbackType`. The spec marks nothing required; `feedback` is, as in v1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(rename = "transactionFeedbackType")]
pub struct TransactionFeedback {
    /// What became of the transaction.
    pub feedback: Feedback,
    /// A transaction hash or other identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[A-Za-z0-9\-_]{3,256}$"), length(max = 256))]
    pub transaction_id: Option<String>,
    /// When (ISO-8601); now when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = DATE_TIME_PATTERN), length(max = 40))]
    pub date: Option<String>,
}

/// Every schema of this provider, by the file name it is published under in `schemas/pti/`
/// (the spec's component names).
pub fn schemas(generator: &mut schemars::SchemaGenerator) -> Vec<(&'static str, schemars::Schema)> {
    use crate::schemas::root;
    let mut references = generator.clone().into_root_schema_for::<Vec<ObjectReference>>();
    references.insert("title".into(), "objectReferences".into());
    vec![
        ("error", root::<ErrorBody>(generator)),
        ("objectReference", root::<ObjectReference>(generator)),
        ("objectReferences", references),
        ("userTokenRequest", root::<UserTokenRequest>(generator)),
        ("userToken", root::<UserToken>(generator)),
        ("kycNeeds", root::<KycNeeds>(generator)),
        ("kyc", root::<Kyc>(generator)),
        ("inputRequest", root::<InputRequest>(generator)),
        ("transactionFeedbackType", root::<TransactionFeedback>(generator)),
        ("kycWebhook", root::<KycEvent>(generator)),
        ("transactionMonitoringWebhook", root::<MonitoringEvent>(generator)),
        ("paymentProcessorWebhook", root::<PaymentEvent>(generator)),
        ("user", root::<User>(generator)),
        ("transaction", root::<Transaction>(generator)),
    ]
}

/// KYC statuses a webhook can carry.
pub const KYC_EVENT_STATUSES: &[&str] =
    &["ACCEPTED", "REFUSED", "UNDER_REVIEW", "ERROR", "PENDING", "REQUESTED_MORE_INFORMATION"];
/// Transaction-monitoring statuses a webhook can carry.
pub const MONITORING_EVENT_STATUSES: &[&str] = &["ACCEPT", "MANUAL_REVIEW", "DENY", "ERROR", "PENDING"];
/// Payment statuses a webhook can carry.
pub const PAYMENT_EVENT_STATUSES: &[&str] =
    &["AUTHORIZED", "REFUSED", "ERROR", "PENDING", "CHARGED_BACK", "CANCELED", "REFUNDED", "CAPTURED", "SETTLED"];

/// Webhook: a KYC result (notes §5.4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "kycWebhook")]
pub struct KycEvent {
    /// Always `KYC`.
    #[schemars(regex(pattern = r"^KYC$"))]
    pub resource_type: String,
    /// The KYC's `x-pti-request-id`.
    pub request_id: String,
    /// The client.
    pub client_id: String,
    /// The user.
    pub user_id: String,
    /// PENDING first, then the result.
    #[schemars(extend("enum" = ["ACCEPTED", "REFUSED", "UNDER_REVIEW", "ERROR", "PENDING", "REQUESTED_MORE_INFORMATION"]))]
    pub status: String,
    /// The tier reached (an integer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<u32>,
    /// Why it was refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal_reason: Option<String>,
}

/// The detail code of a DENY.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct MonitoringDetail {
    /// FRAUD_SUSPICION, TRANSACTION_VELOCITY_VIOLATION, BLOCKED_JURISDICTION, GEO_FENCING_VIOLATION or SANCTION_SCREENING.
    pub compliance_provider_response_code: String,
}

/// Webhook: a transaction-monitoring result (notes §5.4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "transactionMonitoringWebhook")]
pub struct MonitoringEvent {
    /// Always `TRANSACTION_MONITORING`.
    #[schemars(regex(pattern = r"^TRANSACTION_MONITORING$"))]
    pub resource_type: String,
    /// The transaction's `x-pti-request-id`.
    pub request_id: String,
    /// The client.
    pub client_id: String,
    /// The initiating user.
    pub user_id: String,
    /// PENDING first, then ACCEPT, DENY or MANUAL_REVIEW.
    #[schemars(extend("enum" = ["ACCEPT", "MANUAL_REVIEW", "DENY", "ERROR", "PENDING"]))]
    pub status: String,
    /// The transaction's `date`.
    pub transaction_date: String,
    /// The transaction's `amount` (a number).
    pub amount: f64,
    /// The transaction's `type`.
    pub transaction_type: String,
    /// With DENY: why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_monitoring_result_detail: Option<MonitoringDetail>,
}

/// Card details of a payment update (PTI spells these keys in PascalCase).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PaymentInfos {
    /// Last four digits of the card.
    #[serde(rename = "CreditCardLast4Digits")]
    pub credit_card_last4_digits: String,
    /// The payment provider's reference.
    #[serde(rename = "PaymentProviderTransactionId")]
    pub payment_provider_transaction_id: String,
}

/// Why a payment was refused.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PaymentDetail {
    /// PTI_TECHNICAL_ERROR, PAYMENT_PROVIDER_DECLINED, FRAUD_SUSPICION...
    pub provider_response_code: String,
    /// ERROR, SOFT_DECLINE or HARD_DECLINE.
    #[schemars(extend("enum" = ["ERROR", "SOFT_DECLINE", "HARD_DECLINE"]))]
    pub provider_response_category: String,
}

/// Webhook: a payment-processing update of a fiat funding (notes §5.4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "paymentProcessorWebhook")]
pub struct PaymentEvent {
    /// Always `PAYMENT_PROCESSOR`.
    #[schemars(regex(pattern = r"^PAYMENT_PROCESSOR$"))]
    pub resource_type: String,
    /// The funding's `x-pti-request-id`.
    pub request_id: String,
    /// The client.
    pub client_id: String,
    /// The user.
    pub user_id: String,
    /// PENDING → AUTHORIZED → SETTLED, or REFUSED...
    #[schemars(extend("enum" = ["AUTHORIZED", "REFUSED", "ERROR", "PENDING", "CHARGED_BACK", "CANCELED", "REFUNDED", "CAPTURED", "SETTLED"]))]
    pub status: String,
    /// When (ISO-8601).
    pub date: String,
    /// Amount (a number).
    pub amount: f64,
    /// Fees (a number).
    pub fees: f64,
    /// ISO currency.
    pub currency: String,
    /// Always `FUNDING`.
    pub transaction_type: String,
    /// PAYPAL, TOKEN, BANK_ACCOUNT or ENCRYPTED_CREDIT_CARD.
    pub payment_method: String,
    /// Card details.
    pub additional_infos: PaymentInfos,
    /// With REFUSED: why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_status_detail: Option<PaymentDetail>,
}

/// The spec's printable-ASCII pattern.
const PRINTABLE: &str = r"^[ -~]*$";
/// The spec's date pattern (YYYY-MM-DD).
const DATE_PATTERN: &str = r"^(-?(?:[1-9][0-9]*)?[0-9]{4})-(1[0-2]|0[1-9])-(3[01]|0[1-9]|[12][0-9])$";
/// The spec's id pattern (`uuidLikeStr`).
const UUID_LIKE: &str = r"^[a-z0-9_-]{3,64}$";

/// PERSON or BUSINESS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
// Variant docs would become descriptions in the published schema (and turn its `enum` list into
// a `oneOf`): the wire values name themselves.
#[allow(missing_docs)]
pub enum UserType {
    Person,
    Business,
}

/// A user's name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(rename = "name")]
pub struct Name {
    /// First name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = PRINTABLE), length(max = 1024))]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = PRINTABLE), length(max = 1024))]
    pub last_name: Option<String>,
    /// Middle name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = PRINTABLE), length(max = 1024))]
    pub middle_name: Option<String>,
}

/// `{code}` of a state (`US-CA`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "stateCode")]
pub struct StateCode {
    /// ISO 3166-2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^([A-Za-z]{2}-[A-Za-z0-9]{2})$"), length(max = 5))]
    pub code: Option<String>,
}

/// `{code}` of a country (`US`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "countryCode")]
pub struct CountryCode {
    /// ISO 3166-1 alpha-2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^([A-Za-z]{2})$"), length(max = 2))]
    pub code: Option<String>,
}

/// A postal address.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(rename = "address")]
pub struct Address {
    /// Street.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = PRINTABLE), length(max = 1024))]
    pub street_address: Option<String>,
    /// City.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = PRINTABLE), length(max = 1024))]
    pub city: Option<String>,
    /// Postal code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = PRINTABLE), length(max = 1024))]
    pub postal_code: Option<String>,
    /// State.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_code: Option<StateCode>,
    /// Country.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<CountryCode>,
    /// The default one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<bool>,
}

/// An e-mail address.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "email")]
pub struct Email {
    /// The default one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<bool>,
    /// The address.
    #[schemars(regex(pattern = r"^[\w\-\.]+@([\w-]+\.)+[\w-]{2,4}$"), length(max = 320), extend("format" = "email"))]
    pub address: String,
}

/// A phone. (The spec's pattern for `number` is wrapped in `/.../`, which would refuse every
/// real number; ours is the same expression without the slashes.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "phone")]
pub struct Phone {
    /// The default one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<bool>,
    /// The number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(
        regex(
            pattern = r"^[+]?(?:\(\d+(?:\.\d+)?\)|\d+(?:\.\d+)?)(?:[ -]?(?:\(\d+(?:\.\d+)?\)|\d+(?:\.\d+)?))*(?:[ ]?(?:x|ext)\.?[ ]?\d{1,5})?$"
        ),
        length(max = 64)
    )]
    pub number: Option<String>,
    /// WORK, HOME or MOBILE.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^(WORK|HOME|MOBILE)"), length(max = 10))]
    pub kind: Option<String>,
}

/// Device providers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
// Variant docs would become descriptions in the published schema (and turn its `enum` list into
// a `oneOf`): the wire values name themselves.
#[allow(missing_docs, clippy::upper_case_acronyms)]
pub enum DeviceProvider {
    SARDINE,
    UNKNOWN,
}

/// A device of the user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(rename = "device")]
pub struct Device {
    /// The fingerprint.
    #[schemars(regex(pattern = PRINTABLE))]
    pub fingerprint: String,
    /// Who took it.
    pub provider_name: DeviceProvider,
    /// Provider data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_data: Option<serde_json::Map<String, serde_json::Value>>,
}

/// A personal identifier (SSN, ITIN).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "pii")]
pub struct Pii {
    /// SSN or ITIN.
    #[serde(rename = "type")]
    #[schemars(regex(pattern = r"^[A-Z]+(?:_[A-Z]+)*$"), length(max = 50))]
    pub kind: String,
    /// The number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 11))]
    pub value: Option<String>,
}

/// An owner of a business.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schemars(rename = "businessOwner")]
pub struct BusinessOwner {
    /// Share of the business, percent.
    #[schemars(range(min = 1, max = 100))]
    pub ownership_percent: i64,
    /// The owner.
    pub person: Box<User>,
}

/// v0 `oneOfUserSubTypes` (and `kycRequest`): the fields of `user`, `person` and `business` in
/// one object, `type` telling which apply. `status` and `statusReason` are ignored on input, as
/// the spec says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "user")]
pub struct User {
    /// Chosen by the client and kept as USER_ID.
    #[schemars(regex(pattern = r"^[a-z0-9_-]{3,255}$"), length(max = 255))]
    pub id: String,
    /// PERSON or BUSINESS.
    #[serde(rename = "type")]
    pub kind: UserType,
    /// ACTIVE, INACTIVE or BLOCKED (set by PTI only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("enum" = ["ACTIVE", "INACTIVE", "BLOCKED"]))]
    pub status: Option<String>,
    /// FRAUD_SUSPICION or BUSINESS_CO_OWNER.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("enum" = ["FRAUD_SUSPICION", "BUSINESS_CO_OWNER"]))]
    pub status_reason: Option<String>,
    /// CREATOR.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("enum" = ["CREATOR"]))]
    pub tags: Option<String>,
    /// Payment information (oneOfPaymentInformation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 1000))]
    pub payment_information: Option<Vec<serde_json::Value>>,
    /// Source of funds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = PRINTABLE), length(max = 255))]
    pub source_of_funds: Option<String>,
    /// When the client created the user (ISO-8601).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = DATE_TIME_PATTERN), length(max = 40))]
    pub user_creation_date: Option<String>,
    /// PTI's meta data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_pti_meta: Option<serde_json::Map<String, serde_json::Value>>,
    /// The client's meta data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_client_meta: Option<serde_json::Map<String, serde_json::Value>>,
    /// Person: addresses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 1000))]
    pub addresses: Option<Vec<Address>>,
    /// Person: SSN, ITIN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 5000))]
    pub piis: Option<Vec<Pii>>,
    /// Person and business: e-mails.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 1000))]
    pub emails: Option<Vec<Email>>,
    /// Person: devices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 1000))]
    pub devices: Option<Vec<Device>>,
    /// Person and business: phones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 1000))]
    pub phones: Option<Vec<Phone>>,
    /// Person: name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Name>,
    /// Person: ISO/IEC 5218 or vCard gender.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[0129MmfFoOnNuU]"), length(min = 1, max = 1))]
    pub gender: Option<String>,
    /// Person: birth date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = DATE_PATTERN), length(max = 10))]
    pub date_of_birth: Option<String>,
    /// Person: citizenships, comma-separated ISO alpha-2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^([A-Za-z][A-Za-z],?)+"), length(max = 200))]
    pub country_of_citizenship: Option<String>,
    /// Business: identifiers (EIN).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 1000))]
    pub biis: Option<Vec<serde_json::Value>>,
    /// Business: its main representative (required for a BUSINESS).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub main_representative: Option<BusinessOwner>,
    /// Business: other owners.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 100))]
    pub co_owners: Option<Vec<BusinessOwner>>,
    /// Business: sectors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 1000))]
    pub sectors: Option<Vec<String>>,
    /// Business: creation date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = DATE_PATTERN), length(max = 10))]
    pub creation_date: Option<String>,
    /// Business: type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[A-Z]+(?:_[A-Z]+)*$"), length(max = 50))]
    pub business_type: Option<String>,
    /// Business: name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[A-Za-z0-9\-_]{2,1024}$"), length(max = 1024))]
    pub business_name: Option<String>,
    /// Business: country of incorporation (the spec's spelling).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^([A-Za-z]{2})$"), length(max = 2))]
    pub coutry_of_incorporation: Option<String>,
    /// KYC request: PTI's meta data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pti_meta: Option<serde_json::Map<String, serde_json::Value>>,
    /// KYC request: the client's meta data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_meta: Option<serde_json::Map<String, serde_json::Value>>,
}

/// A fiat payment method.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "paymentMethod")]
pub struct PaymentMethod {
    /// FIAT, TOKEN or WALLET.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[A-Z]+(?:_[A-Z]+)*$"))]
    pub payment_method_type: Option<String>,
    /// ISO currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^([A-Za-z]{3})$"), length(max = 3))]
    pub currency: Option<String>,
    /// oneOfPaymentInformation (`type` ENCRYPTED_CREDIT_CARD, PAYPAL, BANK_ACCOUNT, TOKEN...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_information: Option<serde_json::Value>,
}

/// v0 `oneOfTransactionSubTypes` and `fiatFundingTransaction`: the base `transaction` fields
/// plus the sub-types' (`type` is required for transaction logs, checked by the handler).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(rename = "transaction")]
pub struct Transaction {
    /// FUNDING, WITHDRAWAL, TRANSFER, SELL, BUY, MINT or SWAP.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[A-Z]+(?:_[A-Z]+)*$"), length(max = 100))]
    pub kind: Option<String>,
    /// The request id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = UUID_LIKE), length(max = 64))]
    pub request_id: Option<String>,
    /// Groups transactions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = UUID_LIKE), length(max = 64))]
    pub transaction_group_id: Option<String>,
    /// The client's own client, in a multi-tenant system.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = UUID_LIKE), length(max = 64))]
    pub sub_client_id: Option<String>,
    /// The client's status of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = PRINTABLE), length(max = 64))]
    pub status: Option<String>,
    /// USD value: drives the KYC tier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 999_999))]
    pub usd_value: Option<f64>,
    /// Amount.
    #[schemars(range(min = 1, max = 999_999))]
    pub amount: f64,
    /// When (ISO-8601 with an offset).
    #[schemars(regex(pattern = DATE_TIME_PATTERN), length(max = 40))]
    pub date: String,
    /// Who initiates it (at least `{id, type}`).
    pub initiator: User,
    /// PTI's meta data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pti_meta: Option<serde_json::Map<String, serde_json::Value>>,
    /// The client's meta data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_meta: Option<serde_json::Map<String, serde_json::Value>>,
    /// Fee, total and subtotal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_total: Option<serde_json::Value>,
    /// Where the money comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_method: Option<PaymentMethod>,
    /// Where the money goes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination_method: Option<PaymentMethod>,
    /// TRANSFER: from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_transfer_method: Option<serde_json::Value>,
    /// TRANSFER: to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination_transfer_method: Option<serde_json::Value>,
    /// TRANSFER and MINT: the receiving user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination: Option<User>,
    /// BUY and SELL: the asset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asset: Option<serde_json::Value>,
    /// BUY: the seller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seller: Option<User>,
    /// SELL: the buyer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buyer: Option<User>,
}
