//! Sending one request and recording the exchange (with a curl command) for the reports.

use std::time::Instant;

use serde_json::Value;

use crate::report::{Exchange, RequestRecord, ResponseRecord};
use mock_server::behaviour::journal::{REDACTED, REDACTED_HEADERS};
use mock_server::webhooks::describe;

/// Largest body kept in a report.
const REPORT_BODY_LIMIT: usize = 64 * 1024;

/// A request ready to send.
#[derive(Debug, Clone)]
pub struct Outgoing {
    /// Method.
    pub method: String,
    /// Full URL, query included.
    pub url: String,
    /// Headers.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: Option<String>,
}

/// A response, read whole.
#[derive(Debug, Clone)]
pub struct Received {
    /// Status.
    pub status: u16,
    /// Headers, names lower-case.
    pub headers: Vec<(String, String)>,
    /// Body text.
    pub body: String,
    /// Time to the whole response.
    pub duration_ms: f64,
}

impl Received {
    /// The values of a header (any case).
    pub fn header_values(&self, name: &str) -> Vec<String> {
        self.headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone()).collect()
    }

    /// The body as JSON, if it is.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_str(&self.body).ok()
    }
}

/// Sends `outgoing`; the exchange is recorded either way.
pub async fn send(client: &reqwest::Client, outgoing: &Outgoing) -> (Exchange, Result<Received, String>) {
    let method = reqwest::Method::from_bytes(outgoing.method.as_bytes()).unwrap_or(reqwest::Method::GET);
    let mut request = client.request(method, &outgoing.url);
    for (name, value) in &outgoing.headers {
        request = request.header(name, value);
    }
    if let Some(body) = &outgoing.body {
        request = request.body(body.clone());
    }
    let started = Instant::now();
    let result = match request.send().await {
        Ok(response) => {
            let status = response.status().as_u16();
            let headers: Vec<(String, String)> = response
                .headers()
                .iter()
                .map(|(n, v)| (n.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
                .collect();
            match response.bytes().await {
                Ok(bytes) => Ok(Received {
                    status,
                    headers,
                    body: String::from_utf8_lossy(&bytes).into_owned(),
                    duration_ms: started.elapsed().as_secs_f64() * 1000.0,
                }),
                Err(err) => Err(format!("the response body could not be read: {}", describe(&err))),
            }
        }
        Err(err) => Err(format!("{} {}: {}", outgoing.method, outgoing.url, describe(&err))),
    };
    let exchange = Exchange {
        request: RequestRecord {
            method: outgoing.method.clone(),
            url: outgoing.url.clone(),
            headers: redact(&outgoing.headers),
            body: outgoing.body.clone(),
        },
        response: result.as_ref().ok().map(|received| ResponseRecord {
            status: received.status,
            headers: redact(&received.headers),
            body: cut(&received.body),
            duration_ms: received.duration_ms,
        }),
        curl: curl(outgoing),
    };
    (exchange, result)
}

fn redact(headers: &[(String, String)]) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| {
            let secret = REDACTED_HEADERS.iter().any(|h| h.eq_ignore_ascii_case(name));
            (name.clone(), if secret { REDACTED.to_owned() } else { value.clone() })
        })
        .collect()
}

fn cut(body: &str) -> String {
    if body.len() <= REPORT_BODY_LIMIT {
        return body.to_owned();
    }
    let mut end = REPORT_BODY_LIMIT;
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…[truncated]", &body[..end])
}

/// The request as a curl command a person can paste (secrets redacted).
pub fn curl(outgoing: &Outgoing) -> String {
    let quote = |text: &str| format!("'{}'", text.replace('\'', r"'\''"));
    // Every part quoted, the method too (a probe or a scenario may send any method text).
    let mut parts = vec!["curl -sS -i".to_owned(), "-X".to_owned(), quote(&outgoing.method), quote(&outgoing.url)];
    for (name, value) in redact(&outgoing.headers) {
        parts.push("-H".into());
        parts.push(quote(&format!("{name}: {value}")));
    }
    if let Some(body) = &outgoing.body {
        parts.push("--data-raw".into());
        parts.push(quote(body));
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curl_quotes_safely_and_redacts_secrets() {
        let outgoing = Outgoing {
            method: "POST".into(),
            url: "http://127.0.0.1:1/kasisto/token".into(),
            headers: vec![
                ("secret".into(), "kasisto-demo-secret".into()),
                ("content-type".into(), "application/json".into()),
            ],
            body: Some(r#"{"name":"O'Brien"}"#.into()),
        };
        let command = curl(&outgoing);
        assert_eq!(
            command,
            r#"curl -sS -i -X 'POST' 'http://127.0.0.1:1/kasisto/token' -H 'secret: [redacted]' -H 'content-type: application/json' --data-raw '{"name":"O'\''Brien"}'"#
        );
    }
}
