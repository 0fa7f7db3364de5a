//! v1 users and their assessments: a user created, read, replaced or merged answers the user
//! object (v0 answered a reference); an assessment answers 201 with its reference, or 422 with
//! what to collect first, and reports by `USER_ASSESSMENT` webhooks.

use std::sync::Arc;

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::{created, numbers, object, path, query, request_id, user_body, Paging, V1Result};
use crate::providers::pti::model::UserToken;
use crate::providers::pti::state::{reference, Api, Unfinished};
use crate::providers::pti::v1::auth::V1Auth;
use crate::providers::pti::v1::error::V1Error;
use crate::providers::pti::v1::model::{PageSort, Pageable, User, UserAssessment, UserPage};
use crate::providers::pti::Pti;
use crate::respond::Json;

/// `POST /auth/jwt`: a single-use user token, as v0.
pub async fn user_token(State(pti): State<Arc<Pti>>, V1Auth(auth): V1Auth) -> V1Result<Json<UserToken>> {
    Ok(crate::providers::pti::handlers::user_token(State(pti), auth).await?)
}

/// `GET /users?page=&size=`: a Spring page of users.
pub async fn list(
    State(pti): State<Arc<Pti>>,
    paging: Result<Query<Paging>, QueryRejection>,
    V1Auth(auth): V1Auth,
) -> V1Result<Json<UserPage>> {
    let (page, size) = query(paging)?.read()?;
    let (content, total) = pti.store.v1_users(&auth.client_id, page, size);
    let total_pages = total.div_ceil(size);
    let count = u32::try_from(content.len()).unwrap_or(u32::MAX);
    Ok(Json(UserPage {
        total_pages,
        size,
        total_elements: total,
        last: page + 1 >= total_pages,
        number_of_elements: count,
        pageable: Pageable {
            page_number: page,
            page_size: size,
            offset: page.saturating_mul(size),
            paged: true,
            unpaged: false,
        },
        sort: PageSort { sorted: false, unsorted: true, empty: true },
        first: page == 0,
        empty: content.is_empty(),
        content,
    }))
}

/// `POST /users`: 201 with the user as stored (409 for an id in use).
pub async fn create(State(pti): State<Arc<Pti>>, V1Auth(auth): V1Auth) -> V1Result<Response> {
    let user = user_body(object(&auth)?)?;
    let id = pti.store.create_user(&auth.client_id, user, Api::V1)?;
    Ok(created(pti.store.v1_user(&auth.client_id, &id)?))
}

/// `PUT /users`: replaces the user of the body's id; the user.
pub async fn replace(State(pti): State<Arc<Pti>>, V1Auth(auth): V1Auth) -> V1Result<Json<User>> {
    let user = user_body(object(&auth)?)?;
    let id = pti.store.update_user(&auth.client_id, user, true)?;
    Ok(Json(pti.store.v1_user(&auth.client_id, &id)?))
}

/// `PATCH /users`: merges the body into the user of its id; the user.
pub async fn merge(State(pti): State<Arc<Pti>>, V1Auth(auth): V1Auth) -> V1Result<Json<User>> {
    let user = user_body(object(&auth)?)?;
    let id = pti.store.update_user(&auth.client_id, user, false)?;
    Ok(Json(pti.store.v1_user(&auth.client_id, &id)?))
}

/// `GET /users/{userId}`.
pub async fn read(
    State(pti): State<Arc<Pti>>,
    user_id: Result<Path<String>, PathRejection>,
    V1Auth(auth): V1Auth,
) -> V1Result<Json<User>> {
    Ok(Json(pti.store.v1_user(&auth.client_id, &path(user_id)?)?))
}

/// `POST /users/assessments`: the body is the user (`kycRequest`), merged into the stored one.
/// With `x-pti-scenario-id`, the tier of `intendedTransactionUsdValue` must be reachable with
/// what the user has given (422 `MIN_INFO_MISSING` with the fields otherwise).
pub async fn start_assessment(State(pti): State<Arc<Pti>>, V1Auth(auth): V1Auth) -> V1Result<Response> {
    let request_id = request_id(&auth)?;
    let mut body = object(&auth)?;
    numbers(&mut body, &["intendedTransactionUsdValue"])?;
    let usd = body.remove("intendedTransactionUsdValue").and_then(|v| v.as_f64()).unwrap_or(0.0);
    let body = user_body(body)?;
    let user_id = body.get("id").and_then(Value::as_str).unwrap_or_default().to_owned();
    pti.store.v1_user(&auth.client_id, &user_id)?;
    if let Some(scenario) = auth.header("x-pti-scenario-id") {
        let required = pti.store.required_tier(scenario, usd)?;
        let missing = pti.store.missing_for(&auth.client_id, &body, required);
        if !missing.is_empty() {
            use crate::providers::pti::v1::model::InformationField;
            return Err(V1Error::MissingInformation(missing.iter().map(|f| InformationField::of_pointer(f)).collect()));
        }
    }
    let pending = pti.store.start_kyc(&auth.client_id, &user_id, &request_id, &body, Api::V1)?;
    let sender = pti.sender(&auth);
    sender.send(pending);
    pti.schedule(Unfinished::Kyc, &auth.client_id, &request_id, sender);
    Ok(created(reference(&request_id, format!("{}/users/{user_id}/assessments", auth.api_base))))
}

/// `GET /users/{userId}/assessments`: the latest assessment (a v0 KYC counts), or the user's tier
/// alone before any.
pub async fn latest_assessment(
    State(pti): State<Arc<Pti>>,
    user_id: Result<Path<String>, PathRejection>,
    V1Auth(auth): V1Auth,
) -> V1Result<Json<UserAssessment>> {
    Ok(Json(pti.store.v1_assessment(&auth.client_id, &path(user_id)?)?))
}

/// `POST /users/{userId}/documents` (multipart: `metaInformation`, `idDocumentMetaData`,
/// `document`): 201. The twin keeps no file; an ID document counts as given.
pub async fn upload_document(
    State(pti): State<Arc<Pti>>,
    user_id: Result<Path<String>, PathRejection>,
    V1Auth(auth): V1Auth,
) -> V1Result<StatusCode> {
    let user_id = path(user_id)?;
    pti.store.v1_user(&auth.client_id, &user_id)?;
    if auth.body.is_empty() {
        return Err(V1Error::invalid("Invalid field: 'document' is required"));
    }
    Ok(StatusCode::CREATED)
}

/// Any other path.
pub async fn not_found(uri: OriginalUri) -> V1Error {
    V1Error::not_found(format!("no PTI v1 endpoint at {}", uri.path()))
}

/// A known path with another method.
pub async fn method_not_allowed() -> impl IntoResponse {
    V1Error::Pti(crate::providers::pti::error::PtiError::MethodNotAllowed)
}
