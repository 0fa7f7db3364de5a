//! Particeep's wire types, field names as Particeep's SDKs spell them (snake_case), and the schemas
//! generated from them. Optional fields are left out when absent.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Event names the twin records (`<entity>_<past participle>`). Only `user_deleted` is published
/// by Particeep; the others follow its pattern and are the twin's.
pub const EVENTS: [&str; 7] = [
    "user_created",
    "user_updated",
    "user_deleted",
    "user_password_changed",
    "webhook_created",
    "webhook_updated",
    "webhook_deleted",
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
    ]
}

/// Whether `custom` (when present) is a JSON object.
pub fn custom_is_object(custom: Option<&Value>) -> bool {
    custom.is_none_or(Value::is_object)
}
