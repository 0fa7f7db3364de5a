//! Particeep errors: `{hasError: true, errors: [{technicalCode, message}]}` with technicalCodes in
//! Particeep's `error.<entity>.<reason>` style. Only `error.user.none` is Particeep's own; the rest
//! of the catalogue is the twin's (see the README's Particeep section).

use crate::respond::Json;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::model::{ErrorBody, ErrorItem};
use crate::behaviour::CommonError;

/// Every technicalCode the twin answers, in one place (Particeep's `error.<entity>.<reason>` style;
/// the README's Particeep section says which are Particeep's own).
pub mod code {
    /// `error.amount.invalid`.
    pub const AMOUNT_INVALID: &str = "error.amount.invalid";
    /// `error.api.authentication`.
    pub const API_AUTHENTICATION: &str = "error.api.authentication";
    /// `error.api.body.too.large`.
    pub const API_BODY_TOO_LARGE: &str = "error.api.body.too.large";
    /// `error.api.body.unreadable`.
    pub const API_BODY_UNREADABLE: &str = "error.api.body.unreadable";
    /// `error.api.endpoint.none`.
    pub const API_ENDPOINT_NONE: &str = "error.api.endpoint.none";
    /// `error.api.injected`.
    pub const API_INJECTED: &str = "error.api.injected";
    /// `error.api.internal`.
    pub const API_INTERNAL: &str = "error.api.internal";
    /// `error.api.method.invalid`.
    pub const API_METHOD_INVALID: &str = "error.api.method.invalid";
    /// `error.api.parameter.invalid`.
    pub const API_PARAMETER_INVALID: &str = "error.api.parameter.invalid";
    /// `error.api.parameter.missing`.
    pub const API_PARAMETER_MISSING: &str = "error.api.parameter.missing";
    /// `error.api.path.invalid`.
    pub const API_PATH_INVALID: &str = "error.api.path.invalid";
    /// `error.api.query.invalid`.
    pub const API_QUERY_INVALID: &str = "error.api.query.invalid";
    /// `error.api.quota.exceeded`.
    pub const API_QUOTA_EXCEEDED: &str = "error.api.quota.exceeded";
    /// `error.api.rate.limit`.
    pub const API_RATE_LIMIT: &str = "error.api.rate.limit";
    /// `error.bankaccount.bic.invalid`.
    pub const BANKACCOUNT_BIC_INVALID: &str = "error.bankaccount.bic.invalid";
    /// `error.bankaccount.iban.invalid`.
    pub const BANKACCOUNT_IBAN_INVALID: &str = "error.bankaccount.iban.invalid";
    /// `error.bankaccount.none`.
    pub const BANKACCOUNT_NONE: &str = "error.bankaccount.none";
    /// No SEPA mandate with that id.
    pub const SEPA_MANDATE_NONE: &str = "error.sepa.mandate.none";
    /// A SEPA mandate not (or no longer) signed.
    pub const SEPA_MANDATE_NOT_VALIDATED: &str = "error.sepa.mandate.not_validated";
    /// A CSV import's file is not CSV.
    pub const IMPORT_CSV_INVALID: &str = "error.import.csv.invalid";
    /// `error.currency.invalid`.
    pub const CURRENCY_INVALID: &str = "error.currency.invalid";
    /// `error.custom.not.object`.
    pub const CUSTOM_NOT_OBJECT: &str = "error.custom.not.object";
    /// `error.document.content_type.invalid`.
    pub const DOCUMENT_CONTENT_TYPE_INVALID: &str = "error.document.content_type.invalid";
    /// `error.document.corrupt`.
    pub const DOCUMENT_CORRUPT: &str = "error.document.corrupt";
    /// `error.document.exists`.
    pub const DOCUMENT_EXISTS: &str = "error.document.exists";
    /// `error.document.file.missing`.
    pub const DOCUMENT_FILE_MISSING: &str = "error.document.file.missing";
    /// `error.document.locked`.
    pub const DOCUMENT_LOCKED: &str = "error.document.locked";
    /// `error.document.multipart.invalid`.
    pub const DOCUMENT_MULTIPART_INVALID: &str = "error.document.multipart.invalid";
    /// `error.document.none`.
    pub const DOCUMENT_NONE: &str = "error.document.none";
    /// `error.document.too.large`.
    pub const DOCUMENT_TOO_LARGE: &str = "error.document.too.large";
    /// `error.json.invalid`.
    pub const JSON_INVALID: &str = "error.json.invalid";
    /// `error.kyc.doc_type.invalid`.
    pub const KYC_DOC_TYPE_INVALID: &str = "error.kyc.doc_type.invalid";
    /// `error.kyc.document.empty`.
    pub const KYC_DOCUMENT_EMPTY: &str = "error.kyc.document.empty";
    /// `error.kyc.documents.missing`.
    pub const KYC_DOCUMENTS_MISSING: &str = "error.kyc.documents.missing";
    /// `error.kyc.exists`.
    pub const KYC_EXISTS: &str = "error.kyc.exists";
    /// `error.kyc.none`.
    pub const KYC_NONE: &str = "error.kyc.none";
    /// `error.kyc.status.invalid`.
    pub const KYC_STATUS_INVALID: &str = "error.kyc.status.invalid";
    /// `error.owner.type.invalid`.
    pub const OWNER_TYPE_INVALID: &str = "error.owner.type.invalid";
    /// `error.payment.none`.
    pub const PAYMENT_NONE: &str = "error.payment.none";
    /// `error.role.none`.
    pub const ROLE_NONE: &str = "error.role.none";
    /// `error.role.unknown`.
    pub const ROLE_UNKNOWN: &str = "error.role.unknown";
    /// `error.transaction.none`.
    pub const TRANSACTION_NONE: &str = "error.transaction.none";
    /// `error.transaction.payment.pending`.
    pub const TRANSACTION_PAYMENT_PENDING: &str = "error.transaction.payment.pending";
    /// `error.transaction.status.invalid`.
    pub const TRANSACTION_STATUS_INVALID: &str = "error.transaction.status.invalid";
    /// `error.user.authentication`.
    pub const USER_AUTHENTICATION: &str = "error.user.authentication";
    /// `error.user.email.exists`.
    pub const USER_EMAIL_EXISTS: &str = "error.user.email.exists";
    /// `error.user.email.invalid`.
    pub const USER_EMAIL_INVALID: &str = "error.user.email.invalid";
    /// `error.user.none`.
    pub const USER_NONE: &str = "error.user.none";
    /// `error.user.password.missing`.
    pub const USER_PASSWORD_MISSING: &str = "error.user.password.missing";
    /// `error.user.password.wrong`.
    pub const USER_PASSWORD_WRONG: &str = "error.user.password.wrong";
    /// `error.wallet.balance.insufficient`.
    pub const WALLET_BALANCE_INSUFFICIENT: &str = "error.wallet.balance.insufficient";
    /// `error.wallet.currency.mismatch`.
    pub const WALLET_CURRENCY_MISMATCH: &str = "error.wallet.currency.mismatch";
    /// `error.wallet.exists`.
    pub const WALLET_EXISTS: &str = "error.wallet.exists";
    /// `error.wallet.none`.
    pub const WALLET_NONE: &str = "error.wallet.none";
    /// `error.wallet.not.confirmed`.
    pub const WALLET_NOT_CONFIRMED: &str = "error.wallet.not.confirmed";
    /// `error.wallet.transfer.same`.
    pub const WALLET_TRANSFER_SAME: &str = "error.wallet.transfer.same";
    /// `error.webhook.name.exists`.
    pub const WEBHOOK_NAME_EXISTS: &str = "error.webhook.name.exists";
    /// `error.webhook.name.unknown`.
    pub const WEBHOOK_NAME_UNKNOWN: &str = "error.webhook.name.unknown";
    /// `error.webhook.none`.
    pub const WEBHOOK_NONE: &str = "error.webhook.none";
    /// `error.webhook.url.invalid`.
    pub const WEBHOOK_URL_INVALID: &str = "error.webhook.url.invalid";

    /// All of them, for the catalogue's test.
    pub const ALL: &[&str] = &[
        AMOUNT_INVALID,
        API_AUTHENTICATION,
        API_BODY_TOO_LARGE,
        API_BODY_UNREADABLE,
        API_ENDPOINT_NONE,
        API_INJECTED,
        API_INTERNAL,
        API_METHOD_INVALID,
        API_PARAMETER_INVALID,
        API_PARAMETER_MISSING,
        API_PATH_INVALID,
        API_QUERY_INVALID,
        API_QUOTA_EXCEEDED,
        API_RATE_LIMIT,
        BANKACCOUNT_BIC_INVALID,
        BANKACCOUNT_IBAN_INVALID,
        BANKACCOUNT_NONE,
        IMPORT_CSV_INVALID,
        SEPA_MANDATE_NONE,
        SEPA_MANDATE_NOT_VALIDATED,
        CURRENCY_INVALID,
        CUSTOM_NOT_OBJECT,
        DOCUMENT_CONTENT_TYPE_INVALID,
        DOCUMENT_CORRUPT,
        DOCUMENT_EXISTS,
        DOCUMENT_FILE_MISSING,
        DOCUMENT_LOCKED,
        DOCUMENT_MULTIPART_INVALID,
        DOCUMENT_NONE,
        DOCUMENT_TOO_LARGE,
        JSON_INVALID,
        KYC_DOC_TYPE_INVALID,
        KYC_DOCUMENT_EMPTY,
        KYC_DOCUMENTS_MISSING,
        KYC_EXISTS,
        KYC_NONE,
        KYC_STATUS_INVALID,
        OWNER_TYPE_INVALID,
        PAYMENT_NONE,
        ROLE_NONE,
        ROLE_UNKNOWN,
        TRANSACTION_NONE,
        TRANSACTION_PAYMENT_PENDING,
        TRANSACTION_STATUS_INVALID,
        USER_AUTHENTICATION,
        USER_EMAIL_EXISTS,
        USER_EMAIL_INVALID,
        USER_NONE,
        USER_PASSWORD_MISSING,
        USER_PASSWORD_WRONG,
        WALLET_BALANCE_INSUFFICIENT,
        WALLET_CURRENCY_MISMATCH,
        WALLET_EXISTS,
        WALLET_NONE,
        WALLET_NOT_CONFIRMED,
        WALLET_TRANSFER_SAME,
        WEBHOOK_NAME_EXISTS,
        WEBHOOK_NAME_UNKNOWN,
        WEBHOOK_NONE,
        WEBHOOK_URL_INVALID,
    ];
}

/// A Particeep error: its status, technicalCode and message.
#[derive(Debug, Clone, PartialEq)]
pub struct ParticeepError {
    /// HTTP status.
    pub status: StatusCode,
    /// `technicalCode`.
    pub code: &'static str,
    /// `message`.
    pub message: String,
    /// `Retry-After`, for 429.
    pub retry_after_secs: Option<u64>,
}

/// Marks a response as an error, so the envelope puts the body under `error`.
#[derive(Debug, Clone, Copy)]
pub struct IsError;

impl ParticeepError {
    /// An error with this status, code and message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self { status, code, message: message.into(), retry_after_secs: None }
    }

    /// 400 with a code.
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// 404 with a code.
    pub fn not_found(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, code, message)
    }

    /// A shared error in Particeep's shape.
    pub fn common(error: CommonError) -> Self {
        match error {
            CommonError::Throttled { retry_after_secs } => Self {
                retry_after_secs: Some(retry_after_secs),
                ..Self::new(StatusCode::TOO_MANY_REQUESTS, code::API_RATE_LIMIT, "too many requests")
            },
            CommonError::PayloadTooLarge { limit } => Self::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                code::API_BODY_TOO_LARGE,
                format!("the request body is larger than {limit} bytes"),
            ),
            CommonError::UnreadableBody => {
                Self::bad_request(code::API_BODY_UNREADABLE, "the request body could not be read")
            }
            CommonError::Injected { status } => {
                Self::new(status, code::API_INJECTED, "fault injected by the twin's configuration")
            }
            CommonError::StateNotSaved => Self::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                code::API_INTERNAL,
                "the change could not be saved to the twin's state directory",
            ),
        }
    }
}

impl IntoResponse for ParticeepError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            has_error: true,
            errors: vec![ErrorItem { technical_code: self.code.to_owned(), message: self.message }],
        };
        let mut response = (self.status, Json(body)).into_response();
        if let Some(secs) = self.retry_after_secs {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response.extensions_mut().insert(IsError);
        response
    }
}

impl From<crate::extract::BodyProblem> for ParticeepError {
    fn from(problem: crate::extract::BodyProblem) -> Self {
        Self::bad_request(code::JSON_INVALID, problem.message())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_technical_code_is_listed_once_in_particeeps_style() {
        let unique: std::collections::BTreeSet<_> = code::ALL.iter().collect();
        assert_eq!(unique.len(), code::ALL.len());
        for technical_code in code::ALL {
            let reason = technical_code.strip_prefix("error.").unwrap_or_default();
            assert!(reason.contains('.') && reason.bytes().all(|b| b.is_ascii_lowercase() || b"._".contains(&b)));
        }
    }
}
