//! The User module's wire types: users, their profile and address, credentials, password and
//! e-mail changes.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

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
    /// A company's name (legal persons).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_business_name: Option<String>,
    /// The name used (married name...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_name: Option<String>,
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

/// `POST /v1/user/{id}/email`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct EmailChange {
    /// The new e-mail, unique per consumer (`new_email`, as the 2025 SDK's `UserUpdateEmail`
    /// sends it, is read the same).
    #[serde(alias = "new_email")]
    pub email: String,
}

/// What both lineages' `UserData` rows of `GET /v1/user/search` hold besides `roles`: the user,
/// with the fields the searches filter on.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct UserRow {
    /// The user.
    #[serde(flatten)]
    pub user: User,
    /// The city of its first address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// Its wallet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wallet_id: Option<String>,
    /// Its wallet's type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wallet_type: Option<super::WalletType>,
    /// Its wallet's status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wallet_status: Option<super::WalletStatus>,
}

/// A `GET /v1/user/search` row as the 2022 SDKs' `UserData` reads it: `roles` a comma string
/// (`Option[String]` there), absent without roles.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct UserData2022 {
    /// The user and its search fields.
    #[serde(flatten)]
    pub row: UserRow,
    /// Its role names, comma-separated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<String>,
}

/// The same row as the 2025 SDK's `UserData` reads it: `roles` a list, always there.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct UserData2025 {
    /// The user and its search fields.
    #[serde(flatten)]
    pub row: UserRow,
    /// Its role names.
    pub roles: Vec<String>,
}
