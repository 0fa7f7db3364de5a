//! How the Taler merchant backend's KYC routes are described in their OpenAPI document: the
//! instance's bearer token, the long-poll parameters, `ETag` / `If-None-Match` → 304, 204, the
//! `text/plain` summary, 406, and `ErrorDetail` bodies.

use crate::openapi::{ApiDoc, Field, OperationDoc, Scheme};
use crate::provider::Operation;

/// The merchant backend's KYC status and bank-account routes.
pub static API: ApiDoc = ApiDoc {
    title: "GNU Taler merchant backend: KYC status (fintwin twin)",
    description: "The merchant backend's `GET [/instances/$INSTANCE]/private/kyc` with its long-polls \
                  (`timeout_ms`, `lpt`, `lp_status`, `lp_not_status`, `lp_not_etag`), `ETag` and \
                  `If-None-Match`, the bank accounts, and `/config`; as the merchant reference documents them.",
    schemes: &[Scheme::Bearer {
        id: "instance_token",
        description: "The instance's access token, `secret-token:…`, with the permission `instances-kyc-read`.",
    }],
    security: &[&["instance_token"]],
    error: &["taler/ErrorDetail.json"],
    headers: &[],
    added: &[],
    default_error: false,
    operation,
    statuses: &[
        (204, "No Content: no account of the instance has anything to report."),
        (304, "Not Modified: the client's `If-None-Match` still names the current `ETag`."),
        (406, "Not Acceptable: `Accept` names neither JSON nor text."),
    ],
};

const KYC_QUERY: &[Field] = &[
    Field::text("timeout_ms", "Long-poll: how long to wait (ms) for the condition before answering.")
        .schema(r#"{"type": "string", "pattern": "^[0-9]+$"}"#),
    Field::text("lpt", "Long-poll target: 1 an access token, 2 past AML review, 3 ready; others are ignored.")
        .schema(r#"{"type": "string", "pattern": "^[0-9]+$"}"#),
    Field::text("lp_status", "Long-poll until an account has this KYC status."),
    Field::text("lp_not_status", "Long-poll until an account's KYC status is other than this."),
    Field::text("lp_not_etag", "Long-poll until the answer's `ETag` differs from this one."),
    Field::text("h_wire", "Only the account of this wire hash (base32 Crockford)."),
    Field::text("exchange_url", "Only the exchange at this URL (`http://` or `https://`)."),
];

const KYC_HEADERS: &[Field] =
    &[Field::text("If-None-Match", "The `ETag` the client holds: 304 while it is still the current one.")];

const ETAG: &[Field] =
    &[Field::text("ETag", "The answer's entity tag (for `If-None-Match` and `lp_not_etag`).").always()];

const TEXT: &[(&str, &str)] = &[("text/plain", r#"{"type": "string"}"#)];

fn operation(operation: &Operation) -> OperationDoc {
    match operation.path {
        // `/config` is public.
        "/config" => OperationDoc { security: Some(&[]), ..OperationDoc::default() },
        path if path.ends_with("/kyc") => OperationDoc {
            query: KYC_QUERY,
            headers: KYC_HEADERS,
            success_headers: ETAG,
            also_produces: TEXT,
            empty: &[406],
            added: &[406],
            ..OperationDoc::default()
        },
        _ => OperationDoc::default(),
    }
}
