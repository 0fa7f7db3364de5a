//! The twin's KYC form: where a 406 `inputRequest.url` sends the end user (PTI hosts a form there)
//! to give what a tier needs. `GET` shows the missing fields; `POST` (an HTML form) adds them to the
//! user, as the user typing them into PTI's form would.

use std::sync::Arc;

use axum::extract::rejection::{FormRejection, QueryRejection};
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use super::Pti;
use crate::respond::escape_html as escape;

/// The form's query: whose user, and the tier asked for.
#[derive(Debug, Deserialize)]
pub struct FormQuery {
    client: Option<String>,
    tier: Option<String>,
}

fn page(status: StatusCode, body: String) -> Response {
    let html = format!(
        "<!doctype html><html lang=en><meta charset=utf-8><title>PTI twin: more information</title>\
         <body style=\"font-family:sans-serif;max-width:32rem;margin:3rem auto\">{body}</body></html>"
    );
    (status, Html(html)).into_response()
}

fn parsed(query: Result<Query<FormQuery>, QueryRejection>) -> Result<(String, u32), Box<Response>> {
    let refused = |why: &str| Box::new(page(StatusCode::BAD_REQUEST, format!("<p>{}</p>", escape(why))));
    let Query(query) = query.map_err(|e| refused(&e.body_text()))?;
    let client = query.client.filter(|c| !c.is_empty()).ok_or_else(|| refused("the link has no client"))?;
    let tier = query.tier.as_deref().unwrap_or("0").parse().map_err(|_| refused("the link's tier is not a number"))?;
    Ok((client, tier))
}

/// `GET /users/{userId}/kyc-form?client=&tier=`: the fields the tier still needs, as a form.
pub async fn show(
    State(pti): State<Arc<Pti>>,
    Path(user_id): Path<String>,
    query: Result<Query<FormQuery>, QueryRejection>,
) -> Response {
    let (client, tier) = match parsed(query) {
        Ok(parsed) => parsed,
        Err(page) => return *page,
    };
    let missing = match pti.store.missing_for_tier(&client, &user_id, tier) {
        Ok(missing) => missing,
        Err(why) => return page(StatusCode::NOT_FOUND, format!("<p>{}</p>", escape(&why))),
    };
    if missing.is_empty() {
        let body = format!(
            "<h1>Nothing more is needed</h1><p>User <code>{}</code> has all tier {tier} asks.</p>",
            escape(&user_id)
        );
        return page(StatusCode::OK, body);
    }
    let inputs: String = missing
        .iter()
        .map(|field| {
            let field = escape(field);
            format!("<p><label>{field}<br><input name=\"{field}\" required></label></p>")
        })
        .collect();
    page(
        StatusCode::OK,
        format!(
            "<h1>More information</h1><p>Tier {tier} needs these of user <code>{}</code>.</p>\
             <form method=post>{inputs}<button>Send</button></form>",
            escape(&user_id)
        ),
    )
}

/// `POST /users/{userId}/kyc-form?client=&tier=` (form fields named by their JSON pointer): adds
/// the values to the user.
pub async fn submit(
    State(pti): State<Arc<Pti>>,
    Path(user_id): Path<String>,
    query: Result<Query<FormQuery>, QueryRejection>,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    let (client, _) = match parsed(query) {
        Ok(parsed) => parsed,
        Err(page) => return *page,
    };
    let Form(fields) = match form {
        Ok(form) => form,
        Err(e) => return page(StatusCode::BAD_REQUEST, format!("<p>{}</p>", escape(&e.body_text()))),
    };
    match pti.store.fill_user_fields(&client, &user_id, &fields) {
        Ok(count) => page(
            StatusCode::OK,
            format!("<h1>Thank you</h1><p>{count} field(s) added to user <code>{}</code>.</p>", escape(&user_id)),
        ),
        Err(why) => page(StatusCode::BAD_REQUEST, format!("<p>{}</p>", escape(&why))),
    }
}
