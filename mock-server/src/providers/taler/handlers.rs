//! Taler handlers: `/config`, the KYC status with long-polls, ETags and 304, `text/plain`,
//! `/private/accounts`, and the admin control that moves an account to another status.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use crate::respond::Json;
use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{OriginalUri, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::auth::{AdminKycReader, KycReader};
use super::error::TalerError;
use super::model::{AccountsResponse, ConfigExchange, MerchantAccountKycRedirect, VersionResponse, STATUSES};
use super::state::{is_hash, Answer, Filter};
use super::Taler;
use crate::behaviour::deferred;

/// `GET /config`.
pub async fn config(State(taler): State<Arc<Taler>>) -> Json<VersionResponse> {
    let config = taler.store.config();
    // A field is served from the protocol version that added it (the config's `version` says
    // which one this backend speaks; validation keeps it at or below 25).
    let current = config.current_version();
    let since = |version: u32| current >= version;
    let mut currencies = serde_json::Map::new();
    let mut codes: Vec<&str> = config.exchanges.iter().map(|e| e.currency.as_str()).collect();
    codes.push(&config.currency);
    codes.sort_unstable();
    codes.dedup();
    for code in codes {
        currencies.insert(
            code.to_owned(),
            json!({"name": code, "currency": code, "num_fractional_input_digits": 2, "num_fractional_normal_digits": 2,
                   "num_fractional_trailing_zero_digits": 2, "alt_unit_names": {"0": code}, "common_amounts": []}),
        );
    }
    Json(VersionResponse {
        version: config.version.clone(),
        name: "taler-merchant".into(),
        implementation: "urn:net:taler:specs:taler-merchant:fintwin".into(),
        currency: config.currency.clone(),
        currencies,
        exchanges: config
            .exchanges
            .iter()
            .map(|e| ConfigExchange {
                base_url: e.url.clone(),
                currency: e.currency.clone(),
                master_pub: e.master_pub.clone(),
            })
            .collect(),
        have_self_provisioning: since(21).then_some(false),
        have_donau: since(21).then_some(false),
        mandatory_tan_channels: (since(21) && !config.mandatory_tan_channels.is_empty())
            .then(|| config.mandatory_tan_channels.clone()),
        default_persona: since(23).then(|| config.default_persona.clone()),
        report_generators: since(25).then(Default::default),
    })
}

/// What the client accepts.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Format {
    Json,
    Text,
}

/// Picks JSON or text from `Accept` by q-value; `None` when neither is acceptable.
fn negotiate(headers: &HeaderMap) -> Option<Format> {
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else { return Some(Format::Json) };
    let mut best: Option<(f32, Format)> = None;
    for range in accept.split(',') {
        let mut parts = range.split(';').map(str::trim);
        let media = parts.next().unwrap_or_default().to_ascii_lowercase();
        let q = parts.find_map(|p| p.strip_prefix("q=")).and_then(|q| q.parse::<f32>().ok()).unwrap_or(1.0);
        let format = match media.as_str() {
            "application/json" | "application/*" | "*/*" => Format::Json,
            "text/plain" | "text/*" => Format::Text,
            _ => continue,
        };
        if q > 0.0 && best.is_none_or(|(b, _)| q > b) {
            best = Some((q, format));
        }
    }
    best.map(|(_, format)| format)
}

/// The long-poll target of a request.
#[derive(Debug, Default)]
struct Wait {
    timeout: Duration,
    lpt: u8,
    lp_status: Option<String>,
    lp_not_status: Option<String>,
    lp_not_etag: Option<String>,
}

impl Wait {
    fn wanted(&self) -> bool {
        !self.timeout.is_zero()
            && (self.lpt > 0 || self.lp_status.is_some() || self.lp_not_status.is_some() || self.lp_not_etag.is_some())
    }

    /// Whether the answer may go out now (any condition given holds: the notes' inferred OR).
    fn met(&self, entries: &[MerchantAccountKycRedirect], tag: &str) -> bool {
        let any = |test: &dyn Fn(&MerchantAccountKycRedirect) -> bool| entries.iter().any(test);
        (self.lpt == 1 && any(&|e| e.access_token.is_some() && !e.status.starts_with("kyc-wire")))
            || (self.lpt == 2 && any(&|e| e.status != "awaiting-aml-review"))
            || (self.lpt == 3 && any(&|e| e.status == "ready"))
            || self.lp_status.as_deref().is_some_and(|s| any(&|e| e.status == s))
            || self.lp_not_status.as_deref().is_some_and(|s| any(&|e| e.status != s))
            || self.lp_not_etag.as_deref().is_some_and(|e| unquote(e) != unquote(tag))
    }
}

fn unquote(tag: &str) -> &str {
    let tag = tag.trim();
    let tag = tag.strip_prefix("W/").unwrap_or(tag);
    tag.trim_matches('"')
}

/// Reads and checks the query before anything waits (400 names the parameter).
fn parse(query: &HashMap<String, String>, max_timeout_ms: u64) -> Result<(Filter, Wait), TalerError> {
    let mut wait = Wait::default();
    if let Some(text) = query.get("timeout_ms") {
        let ms = number(text).ok_or(TalerError::ParameterMalformed("timeout_ms"))?;
        // The cap (`max_timeout_ms`) is the twin's own protection: a longer wait is answered as
        // a wait of the cap's length that timed out, not refused.
        wait.timeout = Duration::from_millis(ms.min(max_timeout_ms));
    }
    if let Some(text) = query.get("lpt") {
        // An unknown target is ignored, as the exchange's KYC handler does with the same enum ("we
        // can be graceful and just ignore the long polling"); a value that is no number is
        // malformed. Our reading for the merchant, whose own handler was not available (README).
        let target = number(text).ok_or(TalerError::ParameterMalformed("lpt"))?;
        wait.lpt = u8::try_from(target).ok().filter(|t| *t <= 3).unwrap_or_default();
    }
    let names: [&'static str; 2] = ["lp_status", "lp_not_status"];
    for (name, slot) in names.into_iter().zip([&mut wait.lp_status, &mut wait.lp_not_status]) {
        if let Some(status) = query.get(name) {
            if !STATUSES.contains(&status.as_str()) {
                return Err(TalerError::ParameterMalformed(name));
            }
            *slot = Some(status.clone());
        }
    }
    wait.lp_not_etag = query.get("lp_not_etag").cloned();
    let mut filter = Filter::default();
    if let Some(h_wire) = query.get("h_wire") {
        if !is_hash(h_wire) {
            return Err(TalerError::ParameterMalformed("h_wire"));
        }
        filter.h_wire = Some(h_wire.clone());
    }
    if let Some(url) = query.get("exchange_url") {
        if !(url.starts_with("http://") || url.starts_with("https://")) || url.contains(char::is_whitespace) {
            return Err(TalerError::ParameterMalformed("exchange_url"));
        }
        filter.exchange_url = Some(url.clone());
    }
    Ok((filter, wait))
}

/// The human-readable summary for `Accept: text/plain`.
fn render_text(entries: &[MerchantAccountKycRedirect]) -> String {
    let mut text = String::from("GNU Taler Merchant — Compliance Onboarding Status\n");
    for entry in entries {
        let account = entry.payto_uri.split('?').next().unwrap_or(&entry.payto_uri);
        text.push_str(&format!(
            "\nYour account   : {account}\nPayment service: {}\nCurrency       : {}\nStatus: {}\n",
            entry.exchange_url, entry.exchange_currency, entry.status
        ));
        for limit in entry.limits.iter().flatten() {
            text.push_str(&format!("Limit: {} up to {}\n", limit.operation_type, limit.threshold));
        }
        let advice = match entry.status.as_str() {
            "ready" => "Everything is fine: the account can be fully used.",
            "kyc-required" => "You must provide KYC data to the payment service to proceed.",
            "kyc-wire-required" => "A small wire transfer from your account is needed to prove you own it.",
            "awaiting-aml-review" => "The payment service is reviewing your account.",
            _ => "Please check back later or contact the payment service.",
        };
        text.push_str(advice);
        text.push('\n');
    }
    text
}

/// The KYC status of `instance` (shared by the three routes, once admitted).
async fn kyc(
    taler: Arc<Taler>,
    instance: String,
    headers: HeaderMap,
    query: HashMap<String, String>,
) -> Result<Response, TalerError> {
    let (filter, wait) = parse(&query, taler.store.config().max_timeout_ms)?;
    let format = negotiate(&headers).ok_or(TalerError::NotAcceptable)?;
    let if_none_match = headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()).map(str::to_owned);
    // The request's header values share hyper's read buffer: keeping them while the request is
    // held would keep that buffer alive and make hyper allocate a second one per connection.
    drop(headers);
    let deadline = tokio::time::Instant::now() + wait.timeout;
    let mut changes = taler.store.subscribe(&instance).ok_or_else(|| TalerError::InstanceUnknown(instance.clone()))?;
    let version = *changes.borrow_and_update();
    let answer = taler.store.answer(&instance, &filter, version);
    if answer.entries.is_empty() || !wait.wanted() || wait.met(&answer.entries, &answer.etag) {
        return Ok(respond(&answer, format, if_none_match.as_deref()));
    }
    drop(answer);
    // The wait is handed back as a small future (see `behaviour::deferred`): a held request keeps
    // only this, not the state of every layer it came through.
    Ok(deferred::defer(async move {
        let answer = loop {
            tokio::select! {
                changed = changes.changed() => if changed.is_err() { break None },
                () = tokio::time::sleep_until(deadline) => break None,
            }
            let version = *changes.borrow_and_update();
            // Every waiter of one change asks for the same answer: built once per version.
            let answer = taler.store.answer(&instance, &filter, version);
            if answer.entries.is_empty() || wait.met(&answer.entries, &answer.etag) {
                break Some(answer);
            }
        };
        let answer = answer.unwrap_or_else(|| taler.store.answer(&instance, &filter, *changes.borrow()));
        respond(&answer, format, if_none_match.as_deref())
    }))
}

/// The answer as 200 (JSON or text) with its ETag, 304 when `If-None-Match` names the tag, or
/// 204 when nothing matches.
fn respond(answer: &Answer, format: Format, if_none_match: Option<&str>) -> Response {
    if answer.entries.is_empty() {
        return StatusCode::NO_CONTENT.into_response();
    }
    let tag_value = HeaderValue::from_str(&answer.etag).unwrap_or_else(|_| HeaderValue::from_static("\"\""));
    let matches = |candidate: &str| candidate.trim() == "*" || unquote(candidate) == unquote(&answer.etag);
    if if_none_match.unwrap_or_default().split(',').any(matches) {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, tag_value)]).into_response();
    }
    let (content_type, body) = match format {
        Format::Json => ("application/json", Body::from(answer.body.clone())),
        Format::Text => ("text/plain; charset=utf-8", Body::from(render_text(&answer.entries))),
    };
    let mut response =
        (StatusCode::OK, [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))], body).into_response();
    response.headers_mut().insert(header::ETAG, tag_value);
    response
}

/// `GET /private/kyc` (the default instance).
pub async fn default_kyc(
    State(taler): State<Arc<Taler>>,
    reader: KycReader,
    headers: HeaderMap,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response, TalerError> {
    kyc(taler, reader.instance, headers, parameters(query)?).await
}

/// `GET /instances/{id}/private/kyc`.
pub async fn instance_kyc(
    State(taler): State<Arc<Taler>>,
    reader: KycReader,
    headers: HeaderMap,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response, TalerError> {
    kyc(taler, reader.instance, headers, parameters(query)?).await
}

/// `GET /management/instances/{id}/kyc`: authenticated as the default (admin) instance.
pub async fn management_kyc(
    State(taler): State<Arc<Taler>>,
    reader: AdminKycReader,
    headers: HeaderMap,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response, TalerError> {
    kyc(taler, reader.instance, headers, parameters(query)?).await
}

/// `GET /private/accounts` and `/instances/{id}/private/accounts`.
pub async fn accounts(
    State(taler): State<Arc<Taler>>,
    reader: KycReader,
) -> Result<Json<AccountsResponse>, TalerError> {
    Ok(Json(AccountsResponse { accounts: taler.store.accounts(&reader.instance) }))
}

/// The query parameters; a query string that does not decode is a malformed parameter (400, code
/// 26) in Taler's error shape.
/// A parameter given twice counts with its first value, as libmicrohttpd's lookup answers it.
fn parameters(
    extracted: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<HashMap<String, String>, TalerError> {
    let Query(pairs) = extracted.map_err(|_| TalerError::ParameterMalformed("query string"))?;
    let mut query = HashMap::with_capacity(pairs.len());
    for (name, value) in pairs {
        query.entry(name).or_insert(value);
    }
    Ok(query)
}

/// A number parameter as libtalermhd reads it (`%llu`): leading white space skipped, digits, a
/// value past `u64` taken as the largest; anything else is malformed.
fn number(text: &str) -> Option<u64> {
    let digits = text.trim_start();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(digits.parse().unwrap_or(u64::MAX))
}

/// Any other path.
pub async fn not_found(_uri: OriginalUri) -> TalerError {
    TalerError::EndpointUnknown
}

/// A known path with another method.
pub async fn method_not_allowed() -> TalerError {
    TalerError::MethodInvalid
}
