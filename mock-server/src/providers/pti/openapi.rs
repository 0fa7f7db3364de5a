//! How PTI's two APIs are described in their OpenAPI documents: the signed-request headers
//! (`x-pti-client-id`, `Date`, `x-pti-signature`) or a single-use `x-pti-token`, the request and
//! scenario ids, the spec's `default` error answer, and the hosted KYC form (a page, not JSON).

use crate::openapi::{ApiDoc, Field, OperationDoc, Scheme};
use crate::provider::Operation;

/// Signed requests: all three headers together; or a user token.
const SCHEMES: &[Scheme] = &[
    Scheme::Header { id: "client_id", header: "x-pti-client-id", description: "The client's id." },
    Scheme::Header {
        id: "date",
        header: "Date",
        description: "The request's date (RFC 7231), part of the signed string; a skewed date is refused.",
    },
    Scheme::Header {
        id: "signature",
        header: "x-pti-signature",
        description: "RS512 signature, with the client's private key, of the six-line string of PTI's \
                      reference signer (method, path, date, client id, content type, body hash).",
    },
    Scheme::Header {
        id: "user_token",
        header: "x-pti-token",
        description:
            "A single-use user token from `/auth/userToken` (or `/auth/jwt`), for the URL and method it was asked for.",
    },
];

const SECURITY: &[&[&str]] = &[&["client_id", "date", "signature"], &["user_token"]];

/// v0 (the public API, 1.0.136).
pub static V0_API: ApiDoc = ApiDoc {
    title: "PTI public API v0 (fintwin twin)",
    description: "PTI's KYC and transaction-monitoring API, v0 (spec 1.0.136): RS512-signed client requests \
                  or single-use user tokens; users, KYC, transaction logs and feedback.",
    schemes: SCHEMES,
    security: SECURITY,
    error: &["pti/error.json", "pti/inputRequest.json"],
    headers: &[],
    added: &[400, 401, 404, 413],
    default_error: true,
    operation,
    statuses: &[(406, "Not Acceptable: more information is needed; `inputRequest` says which fields and where.")],
};

/// v1 (the "Fiant institutional" API, 1.0.196, the one PTI's SDKs call).
pub static V1_API: ApiDoc = ApiDoc {
    title: "PTI institutional API v1 (fintwin twin)",
    description: "PTI's v1 API (spec 1.0.196, the one PTI's SDKs call): the same twin and state as v0 with v1's \
                  shapes: users and assessments, wallets, payment information, transactions.",
    schemes: SCHEMES,
    security: SECURITY,
    error: &[
        "pti/v1/invalidRequestError.json",
        "pti/v1/missingInformationError.json",
        "pti/v1/assessmentError.json",
        "pti/v1/unmanagedError.json",
    ],
    headers: &[],
    added: &[400, 401, 404, 413],
    default_error: true,
    operation,
    statuses: &[(422, "Unprocessable: the minimum information or assessment is missing (`fields` says what).")],
};

const REQUEST_HEADERS: &[Field] = &[
    Field::text("x-pti-request-id", "The client's id of this request (a UUID); a reused one is a 409."),
    Field::text("x-pti-scenario-id", "A scenario of the twin's config: the outcome to simulate."),
];

const FORM_QUERY: &[Field] = &[
    Field::text("client", "The client whose user fills the form.").always(),
    Field::text("tier", "The KYC tier the form asks for.").schema(r#"{"type": "string", "pattern": "^[0-9]+$"}"#),
];

const PAGE: (&str, &str) = ("text/html", r#"{"type": "string"}"#);

fn operation(operation: &Operation) -> OperationDoc {
    if operation.path.ends_with("/kyc-form") {
        // A page for the user, reached by a link: no credentials, HTML in and out.
        return OperationDoc {
            query: FORM_QUERY,
            security: Some(&[]),
            also_produces: &[PAGE],
            only_these: true,
            error_media: Some(PAGE),
            request_media: (operation.method == "POST")
                .then_some(("application/x-www-form-urlencoded", r#"{"type": "object"}"#)),
            added: &[400, 404],
            ..OperationDoc::default()
        };
    }
    let writes = operation.method != "GET";
    OperationDoc { headers: if writes { REQUEST_HEADERS } else { &[] }, ..OperationDoc::default() }
}
