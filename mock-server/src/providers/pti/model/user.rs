//! PTI v0's user: a person or a business, with its names, addresses, e-mails, phones, devices,
//! PIIs and owners.

use super::*;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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
/// the spec says. A `BUSINESS` requires its `mainRepresentative` (the spec's `business`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(
    rename = "user",
    extend(
        "if" = { "properties": { "type": { "const": "BUSINESS" } }, "required": ["type"] },
        "then" = { "required": ["mainRepresentative"] }
    )
)]
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
    #[schemars(length(max = 1000), with = "Option<Vec<PaymentInformationEntry>>")]
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

/// One entry of a user's `paymentInformation` (`oneOfPaymentInformation`): an object naming its
/// sub-type in `type`; the sub-types' own fields (a bank account's number, a card's hash...) are
/// kept as sent. Only the schema uses it: the entries are stored as the JSON they came as.
#[derive(JsonSchema)]
#[schemars(rename = "paymentInformationEntry")]
#[allow(dead_code)]
pub struct PaymentInformationEntry {
    /// The sub-type (`BANK_ACCOUNT`, `ENCRYPTED_CREDIT_CARD`, `PAYPAL`, `TOKEN`).
    #[schemars(regex(pattern = r"^[A-Z]+(?:_[A-Z]+)*$"), length(max = 50))]
    r#type: String,
}
