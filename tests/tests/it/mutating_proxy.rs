//! The runner against the real twin behind a mutating proxy of ours: every answer passes through,
//! with one mutation (a dropped field, a changed type, a changed status). Pointed at the proxy as a
//! real target, the bundled Kasisto suite passes when nothing is mutated and catches each mutation,
//! naming where it is.

use std::collections::BTreeMap;
use std::net::SocketAddr;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use conformance::report::{Check, Outcome, RunReport};
use conformance::runner::{RunOptions, Runner};
use conformance::scenario::load::{load_file, render};
use conformance::scenario::Provider;
use conformance::schema::SchemaRegistry;
use serde_json::Value;

/// What the proxy does to each JSON answer.
#[derive(Debug, Clone, Copy)]
enum Mutation {
    /// Nothing: the control.
    None,
    /// Every object loses this field.
    Drop(&'static str),
    /// This field, wherever it is, becomes a string.
    ToText(&'static str),
    /// Answers with this status become that one.
    Status(u16, u16),
}

#[derive(Clone)]
struct Proxy {
    upstream: String,
    mutation: Mutation,
    client: reqwest::Client,
}

fn mutate(value: &mut Value, mutation: Mutation) {
    match value {
        Value::Object(map) => {
            match mutation {
                Mutation::Drop(field) => {
                    map.remove(field);
                }
                Mutation::ToText(field) => {
                    if let Some(found) = map.get_mut(field) {
                        if !found.is_string() {
                            *found = Value::from(found.to_string());
                        }
                    }
                }
                _ => {}
            }
            map.values_mut().for_each(|v| mutate(v, mutation));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| mutate(v, mutation)),
        _ => {}
    }
}

async fn forward(State(proxy): State<Proxy>, method: Method, headers: HeaderMap, request: Request) -> Response {
    let path = request.uri().path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_default();
    let body = axum::body::to_bytes(request.into_body(), 1 << 20).await.unwrap_or_default();
    let mut outgoing = proxy.client.request(method, format!("{}{path}", proxy.upstream)).body(body);
    for (name, value) in &headers {
        if name != "host" && name != "content-length" {
            outgoing = outgoing.header(name, value);
        }
    }
    let Ok(answer) = outgoing.send().await else { return StatusCode::BAD_GATEWAY.into_response() };
    let mut status = answer.status().as_u16();
    let content_type = answer.headers().get("content-type").cloned();
    let bytes: Bytes = answer.bytes().await.unwrap_or_default();
    if let Mutation::Status(from, to) = proxy.mutation {
        if status == from {
            status = to;
        }
    }
    let body = match serde_json::from_slice::<Value>(&bytes) {
        Ok(mut json) => {
            mutate(&mut json, proxy.mutation);
            Bytes::from(json.to_string())
        }
        Err(_) => bytes,
    };
    let mut response = (StatusCode::from_u16(status).unwrap_or(StatusCode::OK), body).into_response();
    if let Some(content_type) = content_type {
        response.headers_mut().insert("content-type", content_type);
    }
    response
}

/// The twin, and the proxy in front of its Kasisto API.
async fn proxied(mutation: Mutation) -> (fintwin::Twin, SocketAddr) {
    let twin = e2e::start(e2e::demo_config()).await;
    let proxy = Proxy { upstream: format!("{}/kasisto", twin.base_url()), mutation, client: reqwest::Client::new() };
    let router = Router::new().fallback(forward).with_state(proxy);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap_or_else(|e| panic!("{e}"));
    let addr = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
    tokio::spawn(async move { axum::serve(listener, router).await });
    (twin, addr)
}

async fn run_through(mutation: Mutation) -> RunReport {
    let (twin, addr) = proxied(mutation).await;
    let root = e2e::workspace_root();
    let kasisto = Provider::parse("kasisto").unwrap_or_else(|| panic!("kasisto is a provider"));
    let options = RunOptions {
        targets: BTreeMap::from([(kasisto, format!("http://{addr}"))]),
        // The OTP a `twin:` step reads comes from the twin itself, behind the proxy.
        twin_admin: Some(format!("{}/__admin", twin.base_url())),
        jobs: 1,
        ..RunOptions::default()
    };
    let runner = Runner::new(SchemaRegistry::load(&root.join("schemas")).unwrap_or_else(|e| panic!("{e}")), options)
        .unwrap_or_else(|e| panic!("{e}"));
    let loaded: Vec<_> = ["kasisto/read_endpoints.yaml", "kasisto/otp_flow.yaml", "kasisto/token.yaml"]
        .iter()
        .flat_map(|f| {
            let loaded = load_file(&root.join("scenarios").join(f), &root.join("schemas"));
            loaded.unwrap_or_else(|d| panic!("{}", render(&d))).scenarios
        })
        .collect();
    let report = runner.run_all(&loaded, |_| {}).await;
    drop(twin);
    report
}

/// Every failure of a run, as `check: message` lines (violations included).
fn failures(report: &RunReport) -> Vec<String> {
    report
        .scenarios
        .iter()
        .flat_map(|s| &s.steps)
        .flat_map(|step| &step.failures)
        .map(|f| format!("{:?}: {}", f.check, f))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_twin_passes_through_the_proxy_unchanged() {
    let report = run_through(Mutation::None).await;
    assert!(report.scenarios.iter().all(|s| s.outcome == Outcome::Passed), "{:?}", failures(&report));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dropped_field_is_caught_with_its_place() {
    let report = run_through(Mutation::Drop("account_id")).await;
    let found = failures(&report);
    assert!(
        report.scenarios.iter().flat_map(|s| &s.steps).flat_map(|s| &s.failures).any(|f| f.check == Check::Schema
            && f.violations.iter().any(|v| v.message.contains("account_id") && v.instance_path.starts_with('/'))),
        "{found:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_changed_type_is_caught_with_its_place() {
    let report = run_through(Mutation::ToText("available_balance")).await;
    let schema =
        report.scenarios.iter().flat_map(|s| &s.steps).flat_map(|s| &s.failures).find(|f| f.check == Check::Schema);
    let schema = schema.unwrap_or_else(|| panic!("{:?}", failures(&report)));
    assert!(schema.violations.iter().any(|v| v.instance_path.ends_with("/available_balance")), "{schema}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_changed_status_is_caught() {
    let report = run_through(Mutation::Status(450, 403)).await;
    let found = failures(&report);
    assert!(found.iter().any(|f| f.contains("status: expected 450, got 403")), "{found:?}");
    let otp = report.scenarios.iter().find(|s| s.file.ends_with("otp_flow.yaml")).unwrap_or_else(|| panic!("ran"));
    assert_eq!(otp.outcome, Outcome::Failed);
}
