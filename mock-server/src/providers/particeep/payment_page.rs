//! The twin's payment page: what a card payment's `payment_url` opens (Particeep's PSP would show
//! its card form), with a pay and a decline button that settle the payment.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};

use crate::providers::particeep::Particeep;

use super::admin::payment_owner;

use crate::respond::escape_html as escape;

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
