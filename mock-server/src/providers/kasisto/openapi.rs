//! How the Kasisto API is described in its OpenAPI document: the `secret` and `token` headers, the
//! `error_response` body, the OTP statuses 450–453 and the twin's own refusals.

use crate::openapi::{ApiDoc, Field, OperationDoc, Scheme};
use crate::provider::Operation;

/// The Kasisto Integration API 1.0.
pub static API: ApiDoc = ApiDoc {
    title: "Kasisto Integration API (fintwin twin)",
    description: "The bank side that Kasisto's conversational platform calls: every endpoint is a `POST` with a \
                  JSON body, authenticated by the shared `secret` header and, but for `/token`, the customer's \
                  `token`. Follows the 1.0 Swagger (2017-02-06 revision, the one with `error_response`).",
    schemes: &[
        Scheme::Header { id: "secret", header: "secret", description: "The secret shared by the bank and Kasisto." },
        Scheme::Header {
            id: "token",
            header: "token",
            description: "The customer's token from `/token` (or `/validate_otp` after a step-up).",
        },
    ],
    security: &[&["secret", "token"]],
    error: &["kasisto/error_response.json"],
    headers: &[],
    // 400: a body that is not JSON or lacks a required field (the Swagger names no refusal);
    // 413: a body over the configured limit.
    added: &[400, 413],
    default_error: false,
    operation,
    statuses: &[
        (450, "OTP required: the call needs a stepped-up token; an OTP was issued (`otp_details` says where)."),
        (451, "OTP invalid: the one-time password is wrong (`meta` gives the remaining attempts)."),
        (452, "OTP expired: the one-time password outlived its lifetime; the flow is over."),
        (453, "Too many OTP failures: the failure limit was reached; the flow is over."),
    ],
};

/// `/token` takes the shared secret alone; a rotated token comes back in the `token` header.
fn operation(operation: &Operation) -> OperationDoc {
    const ROTATED: &[Field] = &[Field::text("token", "The customer's next token, when the bank rotates tokens.")];
    match operation.path {
        "/token" => OperationDoc { security: Some(&[&["secret"]]), ..OperationDoc::default() },
        _ => OperationDoc { success_headers: ROTATED, ..OperationDoc::default() },
    }
}
