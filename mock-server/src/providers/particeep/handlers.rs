//! Particeep handlers: the gate every `/v1` call passes (auth, quota, metadata headers, envelope),
//! `/ping`, `/v1/info`, the User and Webhook modules, and the helpers the other modules' handlers
//! (in `handlers/`) share.

pub mod document;
pub mod kyc;
pub mod payment;
pub mod role;
pub mod wallet;

use std::collections::HashMap;
use std::sync::Arc;

use crate::respond::Json;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

pub use super::auth::Caller;
use super::auth::{self, AuthFailure};
use super::error::{code, IsError, ParticeepError};
use super::model::{
    custom_is_object, Credentials, EmailChange, Gender, Info, PasswordChange, User, UserCreation, UserProfile, WebHook,
    WebHookCreation, EVENTS,
};
use super::query::{contains, required_ids, sort_rows, Search};
use super::state::{password_hash, timestamp, user, StoredUser};
use super::Particeep;

type Reply = Result<Response, ParticeepError>;

// Particeep's own header names, made once at compile time: inserting a `&str` name parses and
// checks it on every call (about 600 instructions each; five to eight per request).
const META_VERSION: HeaderName = HeaderName::from_static("meta-version");
const META_ENDPOINT: HeaderName = HeaderName::from_static("meta-endpoint");
const REQUEST_QUOTA: HeaderName = HeaderName::from_static("request-quota");
const REQUEST_QUOTA_MAX: HeaderName = HeaderName::from_static("request-quotamax");
const INFO_DEBUG_ENABLED: HeaderName = HeaderName::from_static("info-debug-enabled");
const DEBUG_REQUEST_TIME: HeaderName = HeaderName::from_static("debug-request-time");
const DEBUG_RESPONSE_TIME: HeaderName = HeaderName::from_static("debug-response-time");
const DEBUG_TIME_ON_SERVER: HeaderName = HeaderName::from_static("debug-time-on-server");

/// Every `/v1` call: authenticate (403), count against the monthly quota (429), run the handler,
/// then add the metadata headers and, for consumers in envelope mode, wrap the body.
pub async fn gate(State(particeep): State<Arc<Particeep>>, mut request: Request, next: Next) -> Response {
    let received = particeep.now();
    // The path within the provider (`/v1/...`), as Particeep's `meta-endpoint` header carries it.
    let endpoint = request.uri().path().to_owned();
    let headers = request.headers();
    let wants_debug = headers.contains_key(INFO_DEBUG_ENABLED);
    let (key, given) = match auth::parse_header(headers) {
        Ok(parsed) => parsed,
        Err(failure) => return finish(refused(failure), None, &endpoint, None).await,
    };
    let Some(consumer) = particeep.store.consumer(&key) else {
        return finish(refused(AuthFailure::UnknownKey), None, &endpoint, None).await;
    };
    let skew = particeep.store.config().clock_skew_secs;
    if let Err(failure) = auth::verify(headers, &consumer.key, &consumer.secret, &given, received, skew) {
        return finish(refused(failure), Some(consumer.envelope), &endpoint, None).await;
    }
    let used = match particeep.store.count_request(&key, consumer.quota_max, received) {
        Ok(used) => used,
        Err(retry_after_secs) => {
            let error = ParticeepError {
                retry_after_secs: Some(retry_after_secs),
                ..ParticeepError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    code::API_QUOTA_EXCEEDED,
                    format!("the monthly quota of {} requests is used up", consumer.quota_max),
                )
            };
            let quota_used = Some((consumer.quota_max, consumer.quota_max));
            return finish(error.into_response(), Some(consumer.envelope), &endpoint, quota_used).await;
        }
    };
    let base_url = base_url(&request);
    request.extensions_mut().insert(Caller { key, base_url });
    let response = next.run(request).await;
    let response = finish(response, Some(consumer.envelope), &endpoint, Some((used, consumer.quota_max))).await;
    if wants_debug || consumer.debug {
        add_debug_times(response, received, particeep.now())
    } else {
        response
    }
}

/// `http://{Host}{mount}`: the mount is what precedes the provider's own path (`/v1/...`) in the
/// path the client called.
fn base_url(request: &Request) -> String {
    let host = request.headers().get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1");
    let inner = request.uri().path();
    let original = request.extensions().get::<axum::extract::OriginalUri>().map_or(inner, |o| o.path());
    let mount = original.strip_suffix(inner).unwrap_or("");
    format!("http://{host}{mount}")
}

fn refused(failure: AuthFailure) -> Response {
    ParticeepError::new(StatusCode::FORBIDDEN, code::API_AUTHENTICATION, failure.message()).into_response()
}

/// Wraps the body in the envelope (when `envelope` is `Some(true)`) and adds the metadata headers.
async fn finish(response: Response, envelope: Option<bool>, endpoint: &str, quota: Option<(u64, u64)>) -> Response {
    // Failures before the consumer is known use the documented envelope too.
    let mut response = if envelope.unwrap_or(true) { envelop(response).await } else { response };
    let headers = response.headers_mut();
    headers.insert(META_VERSION, HeaderValue::from_static("1"));
    if let Ok(value) = HeaderValue::from_str(endpoint) {
        headers.insert(META_ENDPOINT, value);
    }
    if let Some((used, max)) = quota {
        headers.insert(REQUEST_QUOTA, HeaderValue::from(used));
        headers.insert(REQUEST_QUOTA_MAX, HeaderValue::from(max));
    }
    response
}

fn add_debug_times(
    mut response: Response,
    received: chrono::DateTime<chrono::Utc>,
    sent: chrono::DateTime<chrono::Utc>,
) -> Response {
    let headers = response.headers_mut();
    headers.insert(DEBUG_REQUEST_TIME, HeaderValue::from(received.timestamp_millis()));
    headers.insert(DEBUG_RESPONSE_TIME, HeaderValue::from(sent.timestamp_millis()));
    headers.insert(DEBUG_TIME_ON_SERVER, HeaderValue::from((sent - received).num_milliseconds().max(0)));
    response
}

/// `{error, result, meta}` around a JSON body; other bodies (none yet) pass unchanged.
async fn envelop(response: Response) -> Response {
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !is_json || response.extensions().get::<document::RawFile>().is_some() {
        return response;
    }
    let is_error = response.extensions().get::<IsError>().is_some();
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return Response::from_parts(parts, Body::empty());
    };
    // The body is JSON the twin itself wrote: it is spliced in as it is, not parsed and written again.
    let bytes = if bytes.is_empty() { Bytes::from_static(b"null") } else { bytes };
    let (before, after): (&[u8], &[u8]) = if is_error {
        (b"{\"error\":", b",\"result\":null,\"meta\":{\"version\":\"1\"}}")
    } else {
        (b"{\"error\":{\"hasError\":false,\"errors\":[]},\"result\":", b",\"meta\":{\"version\":\"1\"}}")
    };
    let mut wrapped = Vec::with_capacity(before.len() + bytes.len() + after.len());
    wrapped.extend_from_slice(before);
    wrapped.extend_from_slice(&bytes);
    wrapped.extend_from_slice(after);
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(wrapped))
}

fn ok<T: Serialize>(value: &T) -> Reply {
    Ok(Json(value).into_response())
}

/// The answer to a call that changed state: records the event `name` with the answer's JSON (and
/// sends it to the webhook registered for that name), then answers with it.
fn changed<T: Serialize>(particeep: &Particeep, caller: &Caller, name: &str, entity: &T) -> Reply {
    let value = serde_json::to_value(entity).unwrap_or_default();
    particeep.emit(&caller.key, name, &value);
    ok(&value)
}

/// Parses a JSON body; a missing or invalid body is 400 `error.json.invalid` naming the field.
fn body<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ParticeepError> {
    match crate::extract::parse_json::<T>(bytes) {
        Ok(Some(value)) => Ok(value),
        Ok(None) => Err(ParticeepError::bad_request(code::JSON_INVALID, "a JSON body is required")),
        Err(message) => Err(ParticeepError::bad_request(code::JSON_INVALID, message)),
    }
}

fn check_custom(custom: Option<&Value>) -> Result<(), ParticeepError> {
    if custom_is_object(custom) {
        Ok(())
    } else {
        Err(ParticeepError::bad_request(code::CUSTOM_NOT_OBJECT, "`custom` must be a JSON object"))
    }
}

/// `GET /ping` (no auth, no `/v1`): `Ok`.
pub async fn ping() -> &'static str {
    "Ok"
}

/// `GET /v1/info`.
pub async fn info(State(particeep): State<Arc<Particeep>>, caller: Caller) -> Reply {
    let consumer = particeep.store.consumer(&caller.key);
    ok(&Info {
        version: "1".into(),
        debug_enable: consumer.is_some_and(|c| c.debug),
        meta_enable: consumer.is_none_or(|c| c.envelope),
    })
}

/// `PUT /v1/user`: create (`user_created`). Duplicate e-mail → 400 `error.user.email.exists`.
pub async fn create_user(State(particeep): State<Arc<Particeep>>, caller: Caller, bytes: Bytes) -> Reply {
    let creation: UserCreation = body(&bytes)?;
    let created = particeep.store.with(&caller.key, |consumer| insert_user(consumer, creation, particeep.now()))?;
    changed(&particeep, &caller, "user_created", &created)
}

/// An e-mail as Particeep would take it (trimmed, one `@`, no spaces), or 400
/// `error.user.email.invalid`.
fn checked_email(email: &str) -> Result<String, ParticeepError> {
    let email = email.trim().to_owned();
    if email.matches('@').count() != 1
        || email.starts_with('@')
        || email.ends_with('@')
        || email.contains(char::is_whitespace)
    {
        return Err(ParticeepError::bad_request(code::USER_EMAIL_INVALID, format!("`{email}` is not an e-mail")));
    }
    Ok(email)
}

fn email_taken(email: &str) -> ParticeepError {
    ParticeepError::bad_request(code::USER_EMAIL_EXISTS, format!("a user with the e-mail {email} exists"))
}

/// Checks a UserCreation and stores the user; a taken e-mail is 400 `error.user.email.exists`.
fn insert_user(
    consumer: &mut super::state::ConsumerData,
    creation: UserCreation,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<User, ParticeepError> {
    check_custom(creation.profile.custom.as_ref())?;
    let email = checked_email(&creation.email)?;
    if creation.password.is_empty() {
        return Err(ParticeepError::bad_request(code::USER_PASSWORD_MISSING, "a password is required"));
    }
    if consumer.users.values().any(|u| u.user.email.eq_ignore_ascii_case(&email)) {
        return Err(email_taken(&email));
    }
    let id = uuid::Uuid::new_v4().to_string();
    let user = User {
        id: id.clone(),
        created_at: timestamp(now),
        email,
        has_been_claimed: creation.has_been_claimed.unwrap_or(false),
        profile: creation.profile,
    };
    let password_hash = password_hash(&id, &creation.password);
    consumer.users.insert(id, StoredUser { user: user.clone(), password_hash });
    Ok(user)
}

/// `POST /v1/user/getOrCreate` (2022 SDKs): the user with that e-mail, else a new one
/// (`user_created`).
pub async fn get_or_create_user(State(particeep): State<Arc<Particeep>>, caller: Caller, bytes: Bytes) -> Reply {
    let creation: UserCreation = body(&bytes)?;
    let (found, created) = particeep.store.with(&caller.key, |consumer| {
        let existing = consumer.users.values().find(|u| u.user.email.eq_ignore_ascii_case(creation.email.trim()));
        match existing {
            Some(stored) => Ok((stored.user.clone(), false)),
            None => insert_user(consumer, creation, particeep.now()).map(|user| (user, true)),
        }
    })?;
    if created {
        changed(&particeep, &caller, "user_created", &found)
    } else {
        ok(&found)
    }
}

/// `GET /v1/user/name/{name}`: the users whose first or last name contains `name` (any case).
pub async fn users_by_name(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(name): Segment<String>,
) -> Reply {
    let wanted = Some(name);
    let mut found: Vec<User> = particeep.store.with(&caller.key, |consumer| {
        consumer
            .users
            .values()
            .map(|u| &u.user)
            .filter(|u| {
                contains(u.profile.first_name.as_deref(), wanted.as_ref())
                    || contains(u.profile.last_name.as_deref(), wanted.as_ref())
            })
            .cloned()
            .collect()
    });
    sort_rows(&HashMap::new(), &mut found);
    ok(&found)
}

/// `POST /v1/user/{id}/email` (2025 SDKs, `user_email_changed`): `{email}`, unique per consumer.
pub async fn change_email(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(id): Segment<String>,
    bytes: Bytes,
) -> Reply {
    let change: EmailChange = body(&bytes)?;
    let email = checked_email(&change.email)?;
    let updated = particeep.store.with(&caller.key, |consumer| {
        if consumer.users.values().any(|u| u.user.id != id && u.user.email.eq_ignore_ascii_case(&email)) {
            return Err(email_taken(&email));
        }
        let stored = user(consumer, &id)?;
        stored.user.email = email;
        Ok(stored.user.clone())
    })?;
    changed(&particeep, &caller, "user_email_changed", &updated)
}

/// `GET /v1/user/{id}`.
pub async fn get_user(State(particeep): State<Arc<Particeep>>, caller: Caller, Segment(id): Segment<String>) -> Reply {
    let found = particeep.store.with(&caller.key, |consumer| user(consumer, &id).map(|u| u.user.clone()))?;
    ok(&found)
}

/// `GET /v1/user?ids=a,b`: the users found, in the order asked (unknown ids are left out).
pub async fn users_by_ids(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Params(query): Params<HashMap<String, String>>,
) -> Reply {
    let ids = required_ids(&query)?;
    let found: Vec<User> = particeep.store.with(&caller.key, |consumer| {
        ids.iter().filter_map(|id| consumer.users.get(*id).map(|u| u.user.clone())).collect()
    });
    ok(&found)
}

/// `GET /v1/user/email/{email}`.
pub async fn user_by_email(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(email): Segment<String>,
) -> Reply {
    let found = particeep.store.with(&caller.key, |consumer| {
        consumer.users.values().find(|u| u.user.email.eq_ignore_ascii_case(&email)).map(|u| u.user.clone())
    });
    let found =
        found.ok_or_else(|| ParticeepError::not_found(code::USER_NONE, format!("no user with e-mail {email}")))?;
    ok(&found)
}

/// An update as Particeep's POST endpoints take it: the JSON object sent, minus the `read_only`
/// fields, laid over `current` (a field sent replaces, `null` clears), read back as `T` (400
/// `error.json.invalid` naming what does not fit).
fn edited<T: Serialize + DeserializeOwned>(current: &T, bytes: &[u8], read_only: &[&str]) -> Result<T, ParticeepError> {
    let Value::Object(fields) = body::<Value>(bytes)? else {
        return Err(ParticeepError::bad_request(code::JSON_INVALID, "the body must be a JSON object"));
    };
    let mut merged = serde_json::to_value(current).unwrap_or_default();
    if let Value::Object(target) = &mut merged {
        for (name, value) in fields.into_iter().filter(|(name, _)| !read_only.contains(&name.as_str())) {
            if value.is_null() {
                target.remove(&name);
            } else {
                target.insert(name, value);
            }
        }
    }
    body(merged.to_string().as_bytes())
}

/// `GET /v1/user/search`: filters `first_name`, `last_name`, `gender`, `tag`, `ids`,
/// `created_after`, `created_before`, `global_search`; `sort_by` / `order_by`; `limit` (30) and
/// `offset` (0); `{total_size, data}`.
pub async fn search_users(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Params(query): Params<HashMap<String, String>>,
) -> Reply {
    let search = Search::with_dates(&query)?;
    let gender =
        match search.param("gender") {
            Some(text) => Some(serde_json::from_value::<Gender>(Value::String(text.to_uppercase())).map_err(|_| {
                ParticeepError::bad_request(code::API_PARAMETER_INVALID, "`gender` must be MAN or WOMAN")
            })?),
            None => None,
        };
    let matching: Vec<User> = particeep.store.with(&caller.key, |consumer| {
        consumer
            .users
            .values()
            .map(|u| &u.user)
            .filter(|u| search.has_id(&u.id))
            .filter(|u| {
                search.contains("first_name", u.profile.first_name.as_deref())
                    && search.contains("last_name", u.profile.last_name.as_deref())
            })
            .filter(|u| search.contains("tag", u.profile.tag.as_deref()))
            .filter(|u| gender.is_none_or(|g| u.profile.gender == Some(g)))
            .filter(|u| {
                search.param("global_search").is_none()
                    || [Some(u.email.as_str()), u.profile.first_name.as_deref(), u.profile.last_name.as_deref()]
                        .into_iter()
                        .any(|field| field.is_some() && search.contains("global_search", field))
            })
            .filter(|u| search.created(&u.created_at))
            .cloned()
            .collect()
    });
    ok(&search.sorted_page(matching)?)
}

/// `POST /v1/user/{id}`: update (UserEdition; fields sent replace, `custom` included;
/// `user_updated`). `email` and `password` are not changed here.
pub async fn update_user(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(id): Segment<String>,
    bytes: Bytes,
) -> Reply {
    let updated = particeep.store.with(&caller.key, |consumer| {
        let stored = user(consumer, &id)?;
        let profile: UserProfile =
            edited(&stored.user.profile, &bytes, &["id", "created_at", "email", "password", "has_been_claimed"])?;
        check_custom(profile.custom.as_ref())?;
        stored.user.profile = profile;
        Ok::<_, ParticeepError>(stored.user.clone())
    })?;
    changed(&particeep, &caller, "user_updated", &updated)
}

/// `DELETE /v1/user/{id}`: returns the deleted user (`user_deleted`, Particeep's documented event).
pub async fn delete_user(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(id): Segment<String>,
) -> Reply {
    let deleted = particeep.store.with(&caller.key, |consumer| {
        consumer
            .users
            .remove(&id)
            .map(|u| u.user)
            .ok_or_else(|| ParticeepError::not_found(code::USER_NONE, format!("no user with id {id}")))
    })?;
    changed(&particeep, &caller, "user_deleted", &deleted)
}

/// `POST /v1/user/{id}/changePassword` (`user_password_changed`).
pub async fn change_password(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(id): Segment<String>,
    bytes: Bytes,
) -> Reply {
    let change: PasswordChange = body(&bytes)?;
    if change.new_password.is_empty() {
        return Err(ParticeepError::bad_request(code::USER_PASSWORD_MISSING, "`new_password` must not be empty"));
    }
    let user_now = particeep.store.with(&caller.key, |consumer| {
        let stored = user(consumer, &id)?;
        if let Some(old) = &change.old_password {
            if !crate::secret::constant_time_eq(&password_hash(&id, old), &stored.password_hash) {
                return Err(ParticeepError::bad_request(code::USER_PASSWORD_WRONG, "`old_password` is not right"));
            }
        }
        stored.password_hash = password_hash(&id, &change.new_password);
        Ok(stored.user.clone())
    })?;
    changed(&particeep, &caller, "user_password_changed", &user_now)
}

/// `POST /v1/user/authenticate`: the user whose e-mail and password match, else 400
/// `error.user.authentication`.
pub async fn authenticate(State(particeep): State<Arc<Particeep>>, caller: Caller, bytes: Bytes) -> Reply {
    let credentials: Credentials = body(&bytes)?;
    let found = particeep.store.with(&caller.key, |consumer| {
        consumer
            .users
            .values()
            .find(|u| {
                u.user.email.eq_ignore_ascii_case(&credentials.email)
                    && crate::secret::constant_time_eq(
                        &password_hash(&u.user.id, &credentials.password),
                        &u.password_hash,
                    )
            })
            .map(|u| u.user.clone())
    });
    let found =
        found.ok_or_else(|| ParticeepError::bad_request(code::USER_AUTHENTICATION, "wrong e-mail or password"))?;
    ok(&found)
}

/// A webhook body: a known event name and an `http(s)` URL.
fn webhook_body(bytes: &[u8]) -> Result<WebHookCreation, ParticeepError> {
    let creation: WebHookCreation = body(bytes)?;
    if !EVENTS.contains(&creation.name.as_str()) {
        return Err(ParticeepError::bad_request(
            code::WEBHOOK_NAME_UNKNOWN,
            format!("`{}` is not an event name ({})", creation.name, EVENTS.join(", ")),
        ));
    }
    if !(creation.url.starts_with("http://") || creation.url.starts_with("https://")) {
        return Err(ParticeepError::bad_request(code::WEBHOOK_URL_INVALID, "`url` must be an http(s) URL"));
    }
    Ok(creation)
}

fn name_taken(name: &str) -> ParticeepError {
    ParticeepError::bad_request(code::WEBHOOK_NAME_EXISTS, format!("a webhook for `{name}` exists (one URL per event)"))
}

/// `GET /v1/webhook/all`.
pub async fn webhooks(State(particeep): State<Arc<Particeep>>, caller: Caller) -> Reply {
    let all: Vec<WebHook> = particeep.store.with(&caller.key, |consumer| consumer.webhooks.values().cloned().collect());
    ok(&all)
}

/// `PUT /v1/webhook`: one URL per event name; a second one for the same name is 400
/// `error.webhook.name.exists` (update it with `POST /v1/webhook/{id}`).
pub async fn create_webhook(State(particeep): State<Arc<Particeep>>, caller: Caller, bytes: Bytes) -> Reply {
    let creation = webhook_body(&bytes)?;
    let now = particeep.now();
    let created = particeep.store.with(&caller.key, |consumer| {
        if consumer.webhooks.values().any(|w| w.name == creation.name) {
            return Err(name_taken(&creation.name));
        }
        let hook = WebHook {
            id: uuid::Uuid::new_v4().to_string(),
            created_at: timestamp(now),
            name: creation.name,
            url: creation.url,
        };
        consumer.webhooks.insert(hook.id.clone(), hook.clone());
        Ok(hook)
    })?;
    changed(&particeep, &caller, "webhook_created", &created)
}

/// `POST /v1/webhook/{id}`.
pub async fn update_webhook(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(id): Segment<String>,
    bytes: Bytes,
) -> Reply {
    let edition = webhook_body(&bytes)?;
    let updated = particeep.store.with(&caller.key, |consumer| {
        if consumer.webhooks.values().any(|w| w.name == edition.name && w.id != id) {
            return Err(name_taken(&edition.name));
        }
        let hook = consumer.webhooks.get_mut(&id).ok_or_else(|| no_webhook(&id))?;
        hook.name = edition.name;
        hook.url = edition.url;
        Ok(hook.clone())
    })?;
    changed(&particeep, &caller, "webhook_updated", &updated)
}

fn no_webhook(id: &str) -> ParticeepError {
    ParticeepError::not_found(code::WEBHOOK_NONE, format!("no webhook with id {id}"))
}

/// `DELETE /v1/webhook/{id}`: returns the deleted webhook.
pub async fn delete_webhook(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(id): Segment<String>,
) -> Reply {
    let deleted =
        particeep.store.with(&caller.key, |consumer| consumer.webhooks.remove(&id).ok_or_else(|| no_webhook(&id)))?;
    changed(&particeep, &caller, "webhook_deleted", &deleted)
}

/// Path parameters, refused in Particeep's own error shape (400 `error.api.path.invalid`) when a
/// segment does not decode, instead of axum's plain-text rejection.
pub struct Segment<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> axum::extract::FromRequestParts<S> for Segment<T> {
    type Rejection = ParticeepError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, ParticeepError> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(Self(value)),
            Err(rejection) => Err(ParticeepError::bad_request(code::API_PATH_INVALID, rejection.body_text())),
        }
    }
}

/// Query parameters, refused in Particeep's own error shape (400 `error.api.query.invalid`) when
/// the query string does not decode.
pub struct Params<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> axum::extract::FromRequestParts<S> for Params<T> {
    type Rejection = ParticeepError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, ParticeepError> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(value)) => Ok(Self(value)),
            Err(rejection) => Err(ParticeepError::bad_request(code::API_QUERY_INVALID, rejection.body_text())),
        }
    }
}

/// Any other path under `/v1`.
pub async fn not_found(uri: axum::http::Uri) -> Response {
    // No route means no gate: the envelope and metadata headers are added here instead.
    let error = ParticeepError::not_found(code::API_ENDPOINT_NONE, "no such endpoint").into_response();
    finish(error, None, uri.path(), None).await
}

/// A known path with another method.
pub async fn method_not_allowed() -> ParticeepError {
    ParticeepError::new(StatusCode::METHOD_NOT_ALLOWED, code::API_METHOD_INVALID, "method not allowed on this endpoint")
}
