//! Kasisto's login and OTP step-up bodies: `/token` and `/validate_otp`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Body of `POST /token`: the customer's online-banking credentials.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "token_credentials")]
pub struct TokenCredentials {
    /// Login name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// Password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

/// 200 body of `POST /token`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "token_response")]
pub struct TokenResponse {
    /// The customer the token belongs to.
    pub user_id: String,
    /// Value for the `token` header of later calls.
    pub token: String,
}

/// Body of `POST /validate_otp`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "validate_otp_request")]
pub struct ValidateOtpRequest {
    /// Must be the token's customer when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// The one-time password the customer received.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub otp: Option<String>,
}

/// 200 body of `POST /validate_otp`: a new token carrying the step-up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "validate_otp_response")]
pub struct ValidateOtpResponse {
    /// The customer the token belongs to.
    pub user_id: String,
    /// The new token; retry the call that answered 450 with it.
    pub token: String,
}
