//! v1 handlers, one file per area of the spec (users and assessments, transactions, wallets, the
//! catalogue of assets, payment information and digital items), and what they share: reading a
//! body, a path, a page, the request id.

pub mod catalogue;
pub mod transactions;
pub mod users;
pub mod wallets;

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::error::V1Error;
use crate::providers::pti::auth::Authenticated;
use crate::respond::Json;

/// What a v1 handler answers.
pub type V1Result<T> = Result<T, V1Error>;

/// The body, which must be a JSON object.
fn object(auth: &Authenticated) -> V1Result<Map<String, Value>> {
    match crate::extract::json_body::<Value, V1Error>(&auth.body)? {
        Value::Object(object) => Ok(object),
        _ => Err(V1Error::invalid("the body must be a JSON object")),
    }
}

/// The body as a typed value (unknown fields refused where the spec says so).
fn typed<T: serde::de::DeserializeOwned>(auth: &Authenticated) -> V1Result<T> {
    crate::extract::json_body::<T, V1Error>(&auth.body)
}

fn path<T>(extracted: Result<Path<T>, PathRejection>) -> V1Result<T> {
    extracted.map(|Path(value)| value).map_err(|e| V1Error::invalid(e.body_text()))
}

fn query<T>(extracted: Result<Query<T>, QueryRejection>) -> V1Result<T> {
    extracted.map(|Query(value)| value).map_err(|e| V1Error::invalid(e.body_text()))
}

fn created<T: serde::Serialize>(value: T) -> Response {
    (StatusCode::CREATED, Json(value)).into_response()
}

/// `page` (from 0) and `size` (1 to 100, 20 by default) of a paged list.
#[derive(Debug, Default, Deserialize)]
pub struct Paging {
    page: Option<String>,
    size: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
}

impl Paging {
    fn read(&self) -> V1Result<(u32, u32)> {
        let number = |text: &Option<String>, name: &str, default: u32| match text {
            None => Ok(default),
            Some(text) => {
                text.trim().parse::<u32>().map_err(|_| V1Error::invalid(format!("`{name}` must be a whole number")))
            }
        };
        let (page, size) = (number(&self.page, "page", 0)?, number(&self.size, "size", 20)?);
        if !(1..=100).contains(&size) {
            return Err(V1Error::invalid(format!("Invalid field: 'size' must be between 1 and 100, not {size}")));
        }
        Ok((page, size))
    }
}

/// `x-pti-request-id`, as v0 checks it.
fn request_id(auth: &Authenticated) -> V1Result<String> {
    Ok(crate::providers::pti::state::check_request_id(auth.header("x-pti-request-id"))?)
}

/// Numbers where the spec says number: a numeric string is taken as its number (as v0, for PTI's
/// own demo code); each must be within 0 to 999999.
fn numbers(object: &mut Map<String, Value>, fields: &[&str]) -> V1Result<()> {
    for field in fields {
        let Some(value) = object.get_mut(*field) else { continue };
        if let Some(number) = value.as_str().and_then(crate::providers::pti::contract::number_in_text) {
            *value = number;
        }
        match value.as_f64() {
            Some(number) if (0.0..=999_999.0).contains(&number) => {}
            Some(number) => {
                return Err(V1Error::invalid(format!(
                    "Invalid field: '{field}' must be between 0 and 999999, not {number}"
                )))
            }
            None => return Err(V1Error::invalid(format!("Invalid field: '{field}' must be a number"))),
        }
    }
    Ok(())
}

/// A v1 user body: an `id` of `^[a-z0-9_-]{3,255}$`, a `type` of PERSON or BUSINESS (the
/// discriminant; PTI's TypeScript SDK fails without it), a BUSINESS with its main representative.
fn user_body(mut object: Map<String, Value>) -> V1Result<Value> {
    let id = object.get("id").and_then(Value::as_str).unwrap_or_default();
    let valid_id = (3..=255).contains(&id.len())
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
    if !valid_id {
        return Err(V1Error::invalid(format!("Invalid field: 'id' `{id}` must match ^[a-z0-9_-]{{3,255}}$")));
    }
    match object.get("type").and_then(Value::as_str) {
        Some("PERSON" | "BUSINESS") => {}
        other => {
            return Err(V1Error::invalid(format!("Invalid field: 'type' must be PERSON or BUSINESS, not {other:?}")))
        }
    }
    object.remove("userCreationDate");
    Ok(crate::providers::pti::state::check_user(Value::Object(object), "body")?)
}
