//! The request a step sends: its URL, query, headers and body with variables interpolated, the
//! provider's auth added (from the provider table), and what a response's captures store.

use super::*;
use crate::scenario::{AuthScheme, Capture, Method, MultipartPart, Step};
use http::{Outgoing, Received};
use mock_server::provider::ClientRequest;
use serde_json::Value;
use std::collections::BTreeMap;
use vars::{as_text, Vars};

/// The request a step sends, with variables interpolated and auth headers added.
pub(super) fn build_request(step: &Step, vars: &mut Vars, target: &Target) -> Result<Outgoing, String> {
    let (method, base, path, query, json, body, auth) = match (&step.path, &step.twin) {
        (Some(path), _) => (
            step.method.unwrap_or(Method::GET),
            target.base.clone(),
            path,
            &step.query,
            &step.json,
            &step.body,
            step.auth,
        ),
        (None, Some(twin)) => {
            let admin = target.admin.clone().ok_or("`twin:` steps need the built-in twin")?;
            (twin.method.unwrap_or(Method::GET), admin, &twin.path, &twin.query, &twin.json, &None, None)
        }
        (None, None) => return Err("the step has neither `path` nor `twin`".into()),
    };
    let path = vars.interpolate_text(path)?;
    let separator = if path.starts_with('/') || path.is_empty() { "" } else { "/" };
    let mut url = reqwest::Url::parse(&format!("{base}{separator}{path}"))
        .map_err(|e| format!("invalid URL {base}{separator}{path}: {e}"))?;
    if !query.is_empty() {
        let mut pairs = url.query_pairs_mut();
        for (name, value) in query {
            pairs.append_pair(name, &as_text(&vars.interpolate(value)?));
        }
    }
    let mut headers: Vec<(String, String)> = Vec::new();
    let body = match (json, body) {
        (Some(json), _) => {
            headers.push(("content-type".into(), "application/json".into()));
            Some(vars.interpolate(json)?.to_string())
        }
        (None, Some(text)) => Some(vars.interpolate_text(text)?),
        (None, None) if step.path.is_some() && !step.multipart.is_empty() => {
            let (content_type, body) = multipart_body(&step.multipart, vars)?;
            headers.push(("content-type".into(), content_type));
            Some(body)
        }
        (None, None) => None,
    };
    for (name, value) in &step.headers {
        let value = vars.interpolate_text(&value.0)?;
        headers.retain(|(existing, _)| !existing.eq_ignore_ascii_case(name));
        headers.push((name.clone(), value));
    }
    if let Some(provider) = auth.and_then(AuthScheme::provider) {
        let var = |name: &str| vars.get(name).cloned();
        let body_bytes = body.as_deref().unwrap_or_default().as_bytes();
        let mut request = ClientRequest {
            method: method.as_str(),
            path: url.path(),
            body: body_bytes,
            headers: &mut headers,
            var: &var,
        };
        provider.registered().authenticate(&mut request)?;
    }
    Ok(Outgoing { method: method.as_str().to_owned(), url: url.to_string(), headers, body })
}

/// A `multipart/form-data` body and its content type. Written here rather than with reqwest's
/// `multipart` feature because the runner keeps every request as text, to resend parallel copies
/// and show it in reports; the parts are text, so the framing is all there is to it.
pub(super) fn multipart_body(
    parts: &BTreeMap<String, MultipartPart>,
    vars: &mut Vars,
) -> Result<(String, String), String> {
    let boundary = format!("fintwin-{}", uuid::Uuid::new_v4().simple());
    let quoted = |text: &str| text.replace(['"', '\r', '\n'], "_");
    let mut body = String::new();
    for (name, part) in parts {
        body.push_str(&format!("--{boundary}\r\n"));
        match part {
            MultipartPart::Text(text) => {
                body.push_str(&format!("Content-Disposition: form-data; name=\"{}\"\r\n\r\n", quoted(name)));
                body.push_str(&vars.interpolate_text(&text.0)?);
            }
            MultipartPart::File(file) => {
                let file_name = vars.interpolate_text(&file.file)?;
                body.push_str(&format!(
                    "Content-Disposition: form-data; name=\"{}\"; filename=\"{}\"\r\nContent-Type: {}\r\n\r\n",
                    quoted(name),
                    quoted(&file_name),
                    file.content_type.as_deref().unwrap_or("application/octet-stream")
                ));
                let content = vars.interpolate_text(&file.content)?;
                body.push_str(&content.repeat(file.repeat.unwrap_or(1)));
            }
        }
        body.push_str("\r\n");
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    Ok((format!("multipart/form-data; boundary={boundary}"), body))
}

/// Stores the step's captures in `vars`.
pub(super) fn capture(step: &Step, received: &Received, vars: &mut Vars) -> Result<(), String> {
    let json = received.json();
    for (name, source) in &step.capture {
        let value = match source {
            Capture::Header { header } => received
                .header_values(header)
                .into_iter()
                .next()
                .map(Value::from)
                .ok_or_else(|| format!("capture `{name}`: no `{header}` header in the response"))?,
            Capture::Json(path) => {
                let document = json.as_ref().ok_or_else(|| format!("capture `{name}`: the body is not JSON"))?;
                // A path may name variables (`$[?@.account_id == '{{from_account}}']`).
                let path = crate::scenario::JsonPathText(vars.interpolate_text(&path.0)?);
                let nodes = path.compile()?.query(document).all();
                match nodes.as_slice() {
                    [one] => (*one).clone(),
                    [] => return Err(format!("capture `{name}`: {} found nothing", path.0)),
                    many => {
                        return Err(format!("capture `{name}`: {} found {} values, one is needed", path.0, many.len()))
                    }
                }
            }
        };
        vars.set(name.clone(), value);
    }
    Ok(())
}
