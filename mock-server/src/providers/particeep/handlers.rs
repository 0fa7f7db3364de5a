//! Particeep handlers: the gate every `/v1` call passes (auth, quota, metadata headers, envelope),
//! `/ping`, `/v1/info`, the User and Webhook modules, and the helpers the other modules' handlers
//! (in `handlers/`) share.

pub mod document;
pub mod document_files;
pub mod imports;
pub mod kyc;
pub mod payment;
pub mod recurring;
pub mod relatives;
pub mod role;
pub mod sepa;
pub mod user;
pub mod wallet;
pub mod webhook;

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
use super::model::Info;
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
    let used = match particeep.store.admit(&key, consumer.quota_max, received) {
        Ok((used, due)) => {
            // Recurring transactions that fell due on the twin's clock, made before this request runs.
            particeep.emit_all(&key, "transaction_created", &due);
            used
        }
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
    request.extensions_mut().insert(Caller { key, base_url, models: consumer.models });
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
    // A failure before the consumer is known (no key, an unknown one) is written in both styles at
    // once: the bare `{hasError, errors}` an SDK reads, and the envelope's `error`, `result`, `meta`.
    let mut response = match envelope {
        Some(true) => envelop(response).await,
        Some(false) => response,
        None => envelop_both(response).await,
    };
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

/// A bare error body `{hasError, errors}` with the envelope's members beside it.
async fn envelop_both(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let Some(open) = bytes.strip_suffix(b"}") else { return Response::from_parts(parts, Body::from(bytes)) };
    let mut wrapped = Vec::with_capacity(2 * bytes.len() + 48);
    wrapped.extend_from_slice(open);
    wrapped.extend_from_slice(b",\"error\":");
    wrapped.extend_from_slice(&bytes);
    wrapped.extend_from_slice(b",\"result\":null,\"meta\":{\"version\":\"1\"}}");
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
    crate::extract::json_body(bytes)
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
        debug_enable: consumer.as_ref().is_some_and(|c| c.debug),
        meta_enable: consumer.as_ref().is_none_or(|c| c.envelope),
    })
}

/// An update as Particeep's POST endpoints take it: the JSON object sent, minus the `read_only`
/// fields, laid over `current` (a field sent replaces, `null` clears), read back as `T` (400
/// `error.json.invalid` naming what does not fit).
pub(super) fn edited<T: Serialize + DeserializeOwned>(
    current: &T,
    bytes: &[u8],
    read_only: &[&str],
) -> Result<T, ParticeepError> {
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
