//! The OpenAPI documents: `schemas/openapi/` is exactly what `mock-server openapi` generates, the
//! twin serves the same documents at `/__admin/openapi/{name}.json`, a validator of OpenAPI 3.1
//! documents from PyPI accepts each, and Schemathesis (a peer's fuzzer, from PyPI) finds nothing
//! against any twin with them. `.ci/run` installs the two Python tools under
//! `target/python-tools`; where they are missing these tests say so and skip.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use mock_server::provider::{ClientRequest, Registered};
use serde_json::Value;

use crate::common;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

/// A Python tool `.ci/run` installed (`target/python-tools/bin/NAME`), or one on `PATH`.
fn python_tool(name: &str) -> Option<PathBuf> {
    let installed = workspace().join("target").join("python-tools").join("bin").join(name);
    if installed.exists() {
        return Some(installed);
    }
    let on_path = Command::new(name).arg("--version").output().is_ok_and(|out| out.status.success());
    on_path.then(|| PathBuf::from(name))
}

#[test]
fn checked_in_openapi_documents_are_exactly_what_the_code_generates() {
    let folder = workspace().join("schemas").join("openapi");
    let generated = mock_server::openapi::files();
    let mut stale = Vec::new();
    for (name, text) in &generated {
        if std::fs::read_to_string(folder.join(name)).unwrap_or_default() != *text {
            stale.push(name.display().to_string());
        }
    }
    assert!(stale.is_empty(), "regenerate with `cargo run -p mock-server -- openapi --out schemas/openapi`: {stale:?}");
    let expected: BTreeSet<String> = generated.iter().map(|(name, _)| name.display().to_string()).collect();
    let on_disk: BTreeSet<String> = std::fs::read_dir(&folder)
        .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
        .filter_map(|entry| entry.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    assert_eq!(on_disk, expected, "schemas/openapi holds a file the code does not generate");
    assert_eq!(expected.len(), mock_server::providers::TARGET_NAMES.len(), "one document per API");
}

#[tokio::test]
async fn the_cli_writes_the_documents_and_the_twin_serves_the_same() {
    let out = std::env::temp_dir().join(format!("fintwin-openapi-{}", std::process::id()));
    let status = common::binary().args(["openapi", "--out"]).arg(&out).status();
    assert!(status.is_ok_and(|s| s.success()), "mock-server openapi failed");
    let (mut child, url) = common::serve(&[]);
    let http = reqwest::Client::new();
    for (name, text) in mock_server::openapi::files() {
        let written = std::fs::read_to_string(out.join(&name)).unwrap_or_default();
        assert_eq!(written, text, "{}", name.display());
        let served = match http.get(format!("{url}/__admin/openapi/{}", name.display())).send().await {
            Ok(response) => response.json::<Value>().await.unwrap_or(Value::Null),
            Err(error) => panic!("{error}"),
        };
        let expected: Value = serde_json::from_str(&text).unwrap_or_default();
        assert_eq!(served, expected, "/__admin/openapi/{}", name.display());
    }
    let missing = http.get(format!("{url}/__admin/openapi/nobody.json")).send().await.map(|r| r.status().as_u16());
    assert_eq!(missing.ok(), Some(404));
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(out);
}

#[test]
fn every_document_passes_an_openapi_3_1_validator() {
    let Some(validator) = python_tool("openapi-spec-validator") else {
        eprintln!(
            "SKIPPED every_document_passes_an_openapi_3_1_validator: openapi-spec-validator (PyPI) is not installed \
             (.ci/run installs it under target/python-tools)"
        );
        return;
    };
    for (name, _) in mock_server::openapi::files() {
        let path = workspace().join("schemas").join("openapi").join(&name);
        let output = Command::new(&validator).arg(&path).output().unwrap_or_else(|e| panic!("{validator:?}: {e}"));
        let said = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{}: {}", name.display(), said.chars().take(2000).collect::<String>());
    }
}

/// The config the fuzzer runs against: no rate limits (a 429 is documented, but a run of 429s
/// tests nothing), and Taler's long-polls capped at 200 ms so a generated `timeout_ms` holds no
/// request for long.
const FUZZ_CONFIG: &str = "providers:
  kasisto: { throttle: { default: null } }
  pti: { throttle: { default: null } }
  taler: { max_timeout_ms: 200, throttle: { default: null } }
  particeep: { throttle: { default: null } }
";

/// The checks issue 25 names; the others (negative-data rejection, stateful ones) judge choices
/// a twin of a provider does not make for itself.
const CHECKS: &str = "not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schemathesis_finds_nothing_against_any_twin_with_its_openapi() {
    let Some(schemathesis) = python_tool("st") else {
        eprintln!(
            "SKIPPED schemathesis_finds_nothing_against_any_twin_with_its_openapi: Schemathesis (PyPI) is not installed \
             (.ci/run installs it under target/python-tools)"
        );
        return;
    };
    let work = std::env::temp_dir().join(format!("fintwin-schemathesis-{}", std::process::id()));
    std::fs::create_dir_all(&work).unwrap_or_else(|e| panic!("{e}"));
    let config = work.join("config.yaml");
    std::fs::write(&config, FUZZ_CONFIG).unwrap_or_else(|e| panic!("{e}"));
    let (mut child, twin) = common::serve(&["--config".as_ref(), config.as_os_str()]);
    let http = reqwest::Client::new();
    let login = http
        .post(format!("{twin}/kasisto/token"))
        .header("secret", "kasisto-demo-secret")
        .json(&serde_json::json!({ "username": "joe.tester", "password": "demo-password" }))
        .send()
        .await;
    let token: Value = match login {
        Ok(response) => response.json().await.unwrap_or_default(),
        Err(error) => panic!("Kasisto login: {error}"),
    };
    let token = token["token"].as_str().unwrap_or_default().to_owned();

    // Kasisto's and Taler's credentials are plain headers Schemathesis sends itself; PTI's and
    // Particeep's are signatures over each request, added by a signing proxy of ours that signs
    // as the conformance runner's `auth:` does and forwards to the twin.
    let mut failures = Vec::new();
    // `FINTWIN_SCHEMATHESIS_ONLY=pti-v1` runs one target (its log is kept when it fails).
    let only = std::env::var("FINTWIN_SCHEMATHESIS_ONLY").ok();
    for target in mock_server::providers::targets().filter(|t| only.as_deref().is_none_or(|o| o == t.name)) {
        let (base, headers) = match target.name {
            "kasisto" => (twin.clone(), vec!["secret: kasisto-demo-secret".to_owned(), format!("token: {token}")]),
            "taler" => (twin.clone(), vec!["Authorization: Bearer secret-token:demo".to_owned()]),
            _ => (signing_proxy(target, &twin).await, Vec::new()),
        };
        let log = work.join(format!("{}.log", target.name));
        let mut command = Command::new(&schemathesis);
        command
            .arg("run")
            .arg(format!("{twin}/__admin/openapi/{}.json", target.name))
            .args(["--url", &format!("{base}{}", target.mount)])
            .args(["--checks", CHECKS, "--max-examples", "100", "--phases", "examples,coverage,fuzzing"])
            .args(["--seed", "25", "--request-timeout", "10", "--no-color", "--workers", "2"])
            .current_dir(&work)
            .stdout(std::fs::File::create(&log).unwrap_or_else(|e| panic!("{e}")))
            .stderr(std::process::Stdio::null());
        for header in &headers {
            command.args(["--header", header]);
        }
        let succeeded = match tokio::task::spawn_blocking(move || bounded(command)).await {
            Ok(Ok(succeeded)) => succeeded,
            Ok(Err(error)) => panic!("{schemathesis:?}: {error}"),
            Err(error) => panic!("{error}"),
        };
        let said = std::fs::read_to_string(&log).unwrap_or_default();
        let summary: Vec<&str> = said.lines().filter(|l| l.contains("generated")).collect();
        eprintln!("schemathesis {}: {}", target.name, summary.join(" | ").trim());
        if !succeeded {
            let tail: String = said.chars().rev().take(6000).collect::<Vec<_>>().into_iter().rev().collect();
            failures.push(format!("{}:\n{tail}", target.name));
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    if failures.is_empty() {
        let _ = std::fs::remove_dir_all(&work);
    }
    assert!(
        failures.is_empty(),
        "Schemathesis found failures (logs in {}):\n{}",
        work.display(),
        failures.join("\n\n")
    );
}

/// Runs `command` to its end, or kills it after ten minutes (a run that long is a failure, not a
/// hang): whether it succeeded.
fn bounded(mut command: Command) -> std::io::Result<bool> {
    let mut child = command.spawn()?;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(600);
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(status.success());
        }
        if std::time::Instant::now() > deadline {
            child.kill()?;
            let _ = child.wait();
            return Ok(false);
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

/// What the signing proxy forwards with.
struct Proxy {
    target: &'static Registered,
    twin: String,
    vars: BTreeMap<String, Value>,
    http: reqwest::Client,
}

/// Starts a proxy on `127.0.0.1:0` that adds `target`'s client auth (its demo credentials) to
/// each request and forwards it to the twin at `twin`; answers its `http://ADDR`.
async fn signing_proxy(target: &'static Registered, twin: &str) -> String {
    let vars = target.demo_vars().into_iter().map(|(name, value)| (name.to_owned(), value)).collect();
    let state = std::sync::Arc::new(Proxy { target, twin: twin.to_owned(), vars, http: reqwest::Client::new() });
    let router = axum::Router::new().fallback(forward).with_state(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap_or_else(|e| panic!("proxy: {e}"));
    let addr = listener.local_addr().unwrap_or_else(|e| panic!("proxy: {e}"));
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{addr}")
}

async fn forward(State(proxy): State<std::sync::Arc<Proxy>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let Ok(body) = axum::body::to_bytes(body, 64 << 20).await else {
        return (StatusCode::BAD_GATEWAY, "proxy: unreadable body").into_response();
    };
    let hop_by_hop = ["host", "content-length", "connection", "transfer-encoding"];
    // The proxy holds the credentials: whatever the fuzzer put in their headers is replaced.
    let credential = |name: &str| {
        proxy.target.api_doc.schemes.iter().any(|scheme| match scheme {
            mock_server::openapi::Scheme::Header { header, .. } => header.eq_ignore_ascii_case(name),
            mock_server::openapi::Scheme::Bearer { .. } => name == "authorization",
        })
    };
    let mut headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .filter(|(name, _)| !hop_by_hop.contains(&name.as_str()) && !credential(name.as_str()))
        .filter_map(|(name, value)| Some((name.as_str().to_owned(), value.to_str().ok()?.to_owned())))
        .collect();
    // In a block: the request borrows a `&dyn Fn`, which must not be held across an await.
    let signed = {
        let vars = &proxy.vars;
        let lookup = |name: &str| vars.get(name).cloned();
        let mut client = ClientRequest {
            method: parts.method.as_str(),
            path: parts.uri.path(),
            body: &body,
            headers: &mut headers,
            var: &lookup,
        };
        proxy.target.authenticate(&mut client)
    };
    if let Err(error) = signed {
        return (StatusCode::BAD_GATEWAY, format!("proxy: cannot sign: {error}")).into_response();
    }
    let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let mut outgoing =
        proxy.http.request(parts.method.clone(), format!("{}{path}", proxy.twin)).body(Bytes::clone(&body));
    for (name, value) in &headers {
        outgoing = outgoing.header(name.as_str(), value.as_str());
    }
    let answer = match outgoing.send().await {
        Ok(answer) => answer,
        Err(error) => return (StatusCode::BAD_GATEWAY, format!("proxy: {error}")).into_response(),
    };
    let status = answer.status();
    let answer_headers = answer.headers().clone();
    let bytes = answer.bytes().await.unwrap_or_default();
    let mut response = (status, bytes).into_response();
    // The twin's own content type or none (a 204 has none), never `(status, bytes)`'s default.
    response.headers_mut().remove(axum::http::header::CONTENT_TYPE);
    for (name, value) in &answer_headers {
        if name.as_str() != "transfer-encoding" && name.as_str() != "content-length" {
            let name = HeaderName::from_bytes(name.as_str().as_bytes());
            let value = HeaderValue::from_bytes(value.as_bytes());
            if let (Ok(name), Ok(value)) = (name, value) {
                response.headers_mut().append(name, value);
            }
        }
    }
    response
}
