//! v1's catalogues: the assets the twin trades, a user's payment information (bank accounts,
//! encrypted cards, crypto addresses) and digital items.

use std::sync::Arc;

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::Value;

use super::{created, object, path, query, typed, Paging, V1Result};
use crate::providers::pti::auth::Authenticated;
use crate::providers::pti::model::ObjectReference;
use crate::providers::pti::state::{reference, ASSETS};
use crate::providers::pti::v1::auth::V1Auth;
use crate::providers::pti::v1::error::V1Error;
use crate::providers::pti::v1::model::{CurrencyAsset, DigitalItem, ObjectReferencePage};
use crate::providers::pti::Pti;
use crate::respond::Json;

/// `GET /assets`.
pub async fn assets(V1Auth(_auth): V1Auth) -> Json<Vec<CurrencyAsset>> {
    Json(
        ASSETS
            .iter()
            .map(|(currency, kind, networks, _)| CurrencyAsset {
                kind: (*kind).to_owned(),
                currency: (*currency).to_owned(),
                networks: networks.iter().map(|n| (*n).to_owned()).collect(),
            })
            .collect(),
    )
}

/// A payment information body (`oneOfExternalPaymentInformation`): `type` BANK_ACCOUNT,
/// ENCRYPTED_CREDIT_CARD or CRYPTO, with the fields its type requires.
fn payment_information_body(auth: &Authenticated, partial: bool) -> V1Result<Value> {
    let mut body = object(auth)?;
    body.remove("id");
    let kind = body.get("type").and_then(Value::as_str);
    match kind {
        Some("BANK_ACCOUNT" | "ENCRYPTED_CREDIT_CARD") => {}
        Some("CRYPTO") => {
            for field in ["walletAddress", "currency", "network"] {
                if !partial && !body.get(field).is_some_and(Value::is_string) {
                    return Err(V1Error::invalid(format!("Invalid field: '{field}' is required for CRYPTO")));
                }
            }
        }
        None if partial => {}
        other => {
            return Err(V1Error::invalid(format!(
                "Invalid field: 'type' must be BANK_ACCOUNT, ENCRYPTED_CREDIT_CARD or CRYPTO, not {other:?}"
            )))
        }
    }
    if let Some(number) = body.get("bankRoutingNumber").and_then(Value::as_str) {
        if !(7..=12).contains(&number.len()) {
            return Err(V1Error::invalid("Invalid field: 'bankRoutingNumber' must be 7 to 12 characters"));
        }
    }
    Ok(Value::Object(body))
}

/// `POST /users/{userId}/payment-information`: 201 with it and its id.
pub async fn add_payment_information(
    State(pti): State<Arc<Pti>>,
    user_id: Result<Path<String>, PathRejection>,
    V1Auth(auth): V1Auth,
) -> V1Result<Response> {
    let user_id = path(user_id)?;
    let body = payment_information_body(&auth, false)?;
    Ok(created(pti.store.add_owned(&auth.client_id, &user_id, body, false)?))
}

/// `GET /users/{userId}/payment-information?type=`.
pub async fn payment_informations(
    State(pti): State<Arc<Pti>>,
    user_id: Result<Path<String>, PathRejection>,
    filter: Result<Query<Paging>, QueryRejection>,
    V1Auth(auth): V1Auth,
) -> V1Result<Json<Vec<Value>>> {
    let filter = query(filter)?;
    Ok(Json(pti.store.owned(&auth.client_id, &path(user_id)?, filter.kind.as_deref(), false)?))
}

/// `GET /users/{userId}/payment-information/{id}`.
pub async fn payment_information(
    State(pti): State<Arc<Pti>>,
    ids: Result<Path<(String, String)>, PathRejection>,
    V1Auth(auth): V1Auth,
) -> V1Result<Json<Value>> {
    let (user_id, id) = path(ids)?;
    Ok(Json(pti.store.with_owned(&auth.client_id, Some(&user_id), &id, false, |_| Ok(true))?))
}

/// `DELETE /users/{userId}/payment-information/{id}`: 204.
pub async fn delete_payment_information(
    State(pti): State<Arc<Pti>>,
    ids: Result<Path<(String, String)>, PathRejection>,
    V1Auth(auth): V1Auth,
) -> V1Result<StatusCode> {
    let (user_id, id) = path(ids)?;
    pti.store.with_owned(&auth.client_id, Some(&user_id), &id, false, |_| Ok(false))?;
    Ok(StatusCode::NO_CONTENT)
}

/// `PATCH /users/{userId}/payment-information/{id}`: merges the body; 201 with the result (the
/// spec's status for it).
pub async fn update_payment_information(
    State(pti): State<Arc<Pti>>,
    ids: Result<Path<(String, String)>, PathRejection>,
    V1Auth(auth): V1Auth,
) -> V1Result<Response> {
    let (user_id, id) = path(ids)?;
    let patch = payment_information_body(&auth, true)?;
    let updated = pti.store.with_owned(&auth.client_id, Some(&user_id), &id, false, |value| {
        if let (Some(target), Some(patch)) = (value.as_object_mut(), patch.as_object()) {
            for (name, field) in patch {
                target.insert(name.clone(), field.clone());
            }
        }
        Ok(true)
    })?;
    Ok(created(updated))
}

/// `POST /users/{userId}/digital-items` (a list): 200 with their references.
pub async fn add_digital_items(
    State(pti): State<Arc<Pti>>,
    user_id: Result<Path<String>, PathRejection>,
    V1Auth(auth): V1Auth,
) -> V1Result<Json<Vec<ObjectReference>>> {
    let user_id = path(user_id)?;
    let items: Vec<DigitalItem> = typed(&auth)?;
    if items.len() > 100 {
        return Err(V1Error::invalid("Invalid field: at most 100 digital items at once"));
    }
    let mut references = Vec::new();
    for mut item in items {
        if !["NFT", "OTHER"].contains(&item.digital_item_type.as_str()) {
            return Err(V1Error::invalid("Invalid field: 'digitalItemType' must be NFT or OTHER"));
        }
        item.id = None;
        let stored =
            pti.store.add_owned(&auth.client_id, &user_id, serde_json::to_value(item).unwrap_or_default(), true)?;
        let id = stored.get("id").and_then(Value::as_str).unwrap_or_default().to_owned();
        references.push(reference(&id, format!("{}/digital-items/{id}", auth.api_base)));
    }
    Ok(Json(references))
}

/// `GET /users/{userId}/digital-items?page=&size=`.
pub async fn digital_items(
    State(pti): State<Arc<Pti>>,
    user_id: Result<Path<String>, PathRejection>,
    paging: Result<Query<Paging>, QueryRejection>,
    V1Auth(auth): V1Auth,
) -> V1Result<Json<ObjectReferencePage>> {
    let user_id = path(user_id)?;
    let (page, size) = query(paging)?.read()?;
    let ids = pti.store.digital_item_ids(&auth.client_id, &user_id)?;
    let total = u32::try_from(ids.len()).unwrap_or(u32::MAX);
    let start = usize::try_from(page.saturating_mul(size)).unwrap_or(usize::MAX);
    let items = ids
        .iter()
        .skip(start)
        .take(size as usize)
        .map(|id| reference(id, format!("{}/digital-items/{id}", auth.api_base)))
        .collect();
    Ok(Json(ObjectReferencePage { page, page_size: size, total, items }))
}

/// `GET /digital-items/{id}`.
pub async fn digital_item(
    State(pti): State<Arc<Pti>>,
    id: Result<Path<String>, PathRejection>,
    V1Auth(auth): V1Auth,
) -> V1Result<Json<Value>> {
    Ok(Json(pti.store.with_owned(&auth.client_id, None, &path(id)?, true, |_| Ok(true))?))
}

/// `DELETE /digital-items/{id}`: 204.
pub async fn delete_digital_item(
    State(pti): State<Arc<Pti>>,
    id: Result<Path<String>, PathRejection>,
    V1Auth(auth): V1Auth,
) -> V1Result<StatusCode> {
    pti.store.with_owned(&auth.client_id, None, &path(id)?, true, |_| Ok(false))?;
    Ok(StatusCode::NO_CONTENT)
}
