//! What stands in for Particeep's back office and its PSP: admin controls that validate or refuse
//! a KYC and settle a pending payment, and the payment page a card payment's `payment_url` opens.

use std::sync::Arc;

use crate::respond::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};

use crate::providers::particeep::{KycDecision, Particeep};

/// Which consumer holds the pending payment `id`.
fn payment_owner(particeep: &Particeep, id: &str) -> Option<(String, i64)> {
    particeep.store.find_map(|key, consumer| consumer.pending_payments.get(id).map(|p| (key.to_owned(), p.amount)))
}

/// `POST /__admin/particeep/kyc/{owner_id}/{decision}` (`validate` or `refuse`), body optional:
/// `{refusal_reason?, refusal_message?, doc_types?}`. The group must be in `ASK_VALIDATION` (409
/// otherwise); the owner is looked up in every consumer.
pub async fn decide_kyc(
    State(particeep): State<Arc<Particeep>>,
    Path((owner_id, decision)): Path<(String, String)>,
    bytes: Bytes,
) -> Response {
    let validated = match decision.as_str() {
        "validate" => true,
        "refuse" => false,
        other => {
            return crate::admin::error(StatusCode::NOT_FOUND, format!("`{other}`: use validate or refuse"));
        }
    };
    let mut body: KycDecision = if bytes.iter().all(u8::is_ascii_whitespace) {
        KycDecision::default()
    } else {
        match crate::admin::json_body(&bytes) {
            Ok(body) => body,
            Err(response) => return response,
        }
    };
    body.validated = validated;
    let found = particeep.store.find_map(|key, consumer| {
        consumer
            .kycs
            .iter()
            .find(|(_, g)| g.owner_id == owner_id)
            .map(|(group_key, _)| (key.to_owned(), group_key.clone()))
    });
    let Some((key, group_key)) = found else {
        return crate::admin::error(StatusCode::NOT_FOUND, format!("no KYC for owner {owner_id}"));
    };
    match particeep.decide_kyc(&key, &group_key, &body, None) {
        Ok(groups) => Json(groups).into_response(),
        Err(error) if error.status == StatusCode::NOT_FOUND => {
            crate::admin::error(StatusCode::NOT_FOUND, error.message)
        }
        Err(error) => crate::admin::error(StatusCode::CONFLICT, error.message),
    }
}

/// `POST /__admin/particeep/payments/{id}/{outcome}` (`succeed` or `fail`): settles the pending
/// card or wire payment of a cash-in (its wallet transaction id) or a Transaction (its id).
pub async fn settle_payment(
    State(particeep): State<Arc<Particeep>>,
    Path((id, outcome)): Path<(String, String)>,
) -> Response {
    let succeeded = match outcome.as_str() {
        "succeed" => true,
        "fail" => false,
        other => return crate::admin::error(StatusCode::NOT_FOUND, format!("`{other}`: use succeed or fail")),
    };
    let Some((key, _)) = payment_owner(&particeep, &id) else {
        return crate::admin::error(StatusCode::NOT_FOUND, format!("no pending payment {id}"));
    };
    match particeep.settle_payment(&key, &id, succeeded, None) {
        Ok(settled) => Json(serde_json::json!({ "event": settled.event, "body": settled.body })).into_response(),
        Err(error) => crate::admin::error(StatusCode::CONFLICT, error.message),
    }
}

/// Makes text safe inside HTML.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// `GET /particeep/pay/{id}`: the twin's payment page, with a pay and a decline button.
pub async fn payment_page(State(particeep): State<Arc<Particeep>>, Path(id): Path<String>) -> Response {
    let Some((_, amount)) = payment_owner(&particeep, &id) else {
        return (StatusCode::NOT_FOUND, Html("<!doctype html><title>Payment</title><p>No pending payment here.</p>"))
            .into_response();
    };
    let id = escape(&id);
    let euros = format!("{}.{:02}", amount / 100, amount % 100);
    Html(format!(
        "<!doctype html><html lang=en><meta charset=utf-8><title>Particeep twin payment</title>\
         <body style=\"font-family:sans-serif;max-width:28rem;margin:3rem auto\">\
         <h1>Pay {euros}</h1><p>Payment <code>{id}</code> on the fintwin Particeep twin. No card is needed.</p>\
         <form method=post action=\"{id}/accept\"><button>Pay</button></form>\
         <form method=post action=\"{id}/decline\"><button>Decline</button></form></body></html>"
    ))
    .into_response()
}

/// `POST /particeep/pay/{id}/{choice}` (`accept` or `decline`): settles the payment and sends the
/// payer to the accept or decline URL given when it started (303), or shows the outcome.
pub async fn payment_choice(
    State(particeep): State<Arc<Particeep>>,
    Path((id, choice)): Path<(String, String)>,
) -> Response {
    let succeeded = match choice.as_str() {
        "accept" => true,
        "decline" => false,
        _ => return (StatusCode::NOT_FOUND, Html("<p>Unknown choice.</p>")).into_response(),
    };
    let Some((key, _)) = payment_owner(&particeep, &id) else {
        return (StatusCode::NOT_FOUND, Html("<p>No pending payment here.</p>")).into_response();
    };
    match particeep.settle_payment(&key, &id, succeeded, None) {
        Ok(settled) => match settled.redirect {
            Some(url) => match axum::http::HeaderValue::from_str(&url) {
                Ok(location) => (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response(),
                Err(_) => Html(format!("<p>Payment settled; the return URL is not valid: {}</p>", escape(&url)))
                    .into_response(),
            },
            None => {
                Html(format!("<p>Payment {}.</p>", if succeeded { "accepted" } else { "declined" })).into_response()
            }
        },
        Err(error) => (StatusCode::CONFLICT, Html(format!("<p>{}</p>", escape(&error.message)))).into_response(),
    }
}
