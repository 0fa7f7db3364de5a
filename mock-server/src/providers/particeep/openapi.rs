//! How the Particeep API is described in its OpenAPI document: `DateTime` and
//! `Authorization: PTP:…` on every `/v1` call, the metadata headers, bare or enveloped bodies, and
//! the routes outside `/v1` (the ping, the payment pages, document links).

use crate::openapi::{ApiDoc, Field, OperationDoc, Scheme};
use crate::provider::Operation;

/// Particeep's API (as its 2018, 2022 and 2025 SDKs call it).
pub static API: ApiDoc = ApiDoc {
    title: "Particeep API (fintwin twin)",
    description: "Particeep's API as its SDKs call it: `/v1/...` authenticated by `DateTime` and \
                  `Authorization: PTP:<key>:<signature>` (HMAC-SHA1 of key, date and secret, or SHA-256 for \
                  the 2025 SDK's consumers); bodies bare or in the `{error, result, meta}` envelope, by consumer.",
    schemes: &[
        Scheme::Header {
            id: "date_time",
            header: "DateTime",
            description: "The request's time (ISO 8601), part of the signed string; a skewed one is refused.",
        },
        Scheme::Header {
            id: "ptp",
            header: "Authorization",
            description: "`PTP:<api key>:<base64 HMAC of key + DateTime with the api secret>`.",
        },
    ],
    security: &[&["date_time", "ptp"]],
    error: &["particeep/ErrorBody.json", "particeep/Envelope.json"],
    headers: &[
        Field::text("meta-version", "The API version (`1`), on every `/v1` answer."),
        Field::text("meta-endpoint", "The path called, on every `/v1` answer."),
        Field::text("request-quota", "Requests the consumer has made this month.")
            .schema(r#"{"type": "string", "pattern": "^[0-9]+$"}"#),
        Field::text("request-quotamax", "The consumer's monthly quota.")
            .schema(r#"{"type": "string", "pattern": "^[0-9]+$"}"#),
        Field::text("debug-request-time", "With `info-debug-enabled`: when the request arrived (ms since the epoch)."),
        Field::text("debug-response-time", "With `info-debug-enabled`: when the answer left (ms since the epoch)."),
        Field::text("debug-time-on-server", "With `info-debug-enabled`: the time spent (ms)."),
    ],
    added: &[413],
    default_error: false,
    operation,
    statuses: &[],
};

const DEBUG: &[Field] = &[Field::text("info-debug-enabled", "Any value: the answer carries the debug-* headers.")];
const ANY: (&str, &str) = ("*/*", "{}");
const PAGE: (&str, &str) = ("text/html", r#"{"type": "string"}"#);

fn operation(operation: &Operation) -> OperationDoc {
    match operation.path {
        "/ping" => OperationDoc {
            security: Some(&[]),
            also_produces: &[("text/plain", r#"{"type": "string"}"#)],
            only_these: true,
            ..OperationDoc::default()
        },
        // The hosted payment page a payer opens from the link: no credentials.
        path if path.starts_with("/pay/") => OperationDoc {
            security: Some(&[]),
            also_produces: &[PAGE],
            only_these: true,
            error_media: Some(PAGE),
            // No pending payment of that id, or no such choice.
            added: &[404],
            ..OperationDoc::default()
        },
        // A time-bounded link to a document's file: the link is the credential; the file's own type.
        "/document/link/{id}" => OperationDoc {
            security: Some(&[]),
            also_produces: &[ANY],
            only_these: true,
            // A link that is not valid (or has expired); no such document.
            added: &[403, 404],
            ..OperationDoc::default()
        },
        "/document/{id}" | "/v1/document/download/{id}" | "/v1/document/zip-download" => {
            OperationDoc { headers: DEBUG, also_produces: &[ANY], only_these: true, ..OperationDoc::default() }
        }
        _ => OperationDoc { headers: DEBUG, ..OperationDoc::default() },
    }
}
