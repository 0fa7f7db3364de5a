//! `--state-dir` as a user relies on it: the binary is killed with SIGKILL under load and started
//! again on the same directory, repeatedly; every change it acknowledged with a 2xx is still there,
//! a webhook delivery still pending goes out after the restart, and `POST /__admin/reset` clears
//! what was saved.
//!
//! Over 400 lines: each provider's writers and their read-back checks sit beside the kill-and-restart
//! loop they feed.

use std::path::{Path, PathBuf};
use std::process::Child;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use crate::common;

use mock_server::providers::particeep::auth;
use mock_server::providers::particeep::seed::{DEMO_KEY, DEMO_SECRET};
use serde_json::{json, Value};

/// Kill-and-restart rounds; `DURABLE_ROUNDS` asks for more.
fn rounds() -> usize {
    std::env::var("DURABLE_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(6)
}

/// The longest any wait in these tests may take before it fails.
const PATIENCE: Duration = Duration::from_secs(30);

struct Mock {
    child: Child,
    url: String,
}

impl Mock {
    fn start(dir: &Path, extra: &[&str]) -> Self {
        let mut arguments: Vec<&std::ffi::OsStr> = vec!["--state-dir".as_ref(), dir.as_os_str()];
        arguments.extend(extra.iter().map(std::ffi::OsStr::new));
        let (child, url) = common::serve(&arguments);
        Self { child, url }
    }

    /// SIGKILL: no shutdown hook runs, nothing is flushed on the way out.
    fn kill(mut self) {
        self.child.kill().unwrap_or_else(|e| panic!("kill: {e}"));
        let _ = self.child.wait();
    }

    async fn state(&self, http: &reqwest::Client, provider: &str) -> String {
        let response = http
            .get(format!("{}/__admin/state/{provider}", self.url))
            .send()
            .await
            .unwrap_or_else(|e| panic!("state: {e}"));
        assert_eq!(response.status(), 200);
        response.text().await.unwrap_or_else(|e| panic!("state body: {e}"))
    }

    async fn deliveries(&self, http: &reqwest::Client) -> Vec<Value> {
        let response =
            http.get(format!("{}/__admin/webhooks", self.url)).send().await.unwrap_or_else(|e| panic!("{e}"));
        let body: Value = response.json().await.unwrap_or_else(|e| panic!("{e}"));
        body["deliveries"].as_array().cloned().unwrap_or_default()
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn state_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("fintwin-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// A signed Particeep call; `None` when the connection failed (the process was killed).
async fn particeep(
    http: &reqwest::Client,
    root: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> Option<(u16, Value)> {
    let mut request = http.request(method, format!("{root}/particeep{path}"));
    for (name, value) in auth::signed_headers(DEMO_KEY, DEMO_SECRET, chrono::Utc::now()) {
        request = request.header(name, value);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.ok()?;
    let status = response.status().as_u16();
    Some((status, response.json().await.ok()?))
}

async fn eventually(what: &str, mut done: impl AsyncFnMut() -> bool) {
    let polled = tokio::time::timeout(PATIENCE, async {
        while !done().await {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    });
    if polled.await.is_err() {
        panic!("{what}: not within {PATIENCE:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_change_acknowledged_before_a_sigkill_is_there_after_a_restart() {
    let dir = state_dir("kill9");
    let http = reqwest::Client::new();
    let acknowledged: Arc<Mutex<Vec<String>>> = Arc::default();
    for round in 0..rounds() {
        let mock = Mock::start(&dir, &[]);
        // Every user acknowledged in earlier rounds survived the kills before this start.
        let state = mock.state(&http, "particeep").await;
        let lost: Vec<String> = acknowledged
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .filter(|email| !state.contains(email.as_str()))
            .cloned()
            .collect();
        assert!(lost.is_empty(), "round {round}: acknowledged, then lost in a kill: {lost:?}");

        // Eight clients create users as fast as they can; the kill lands after a number of
        // acknowledgements that differs per round, so it hits different moments of a save.
        let before = acknowledged.lock().unwrap_or_else(PoisonError::into_inner).len();
        let target = before + 10 + (round % 5) * 17;
        let mut clients = Vec::new();
        for client in 0..8 {
            let (http, root, acknowledged) = (http.clone(), mock.url.clone(), acknowledged.clone());
            clients.push(tokio::spawn(async move {
                for n in 0.. {
                    let email = format!("r{round}-c{client}-{n}@example.org");
                    let body = json!({ "email": email, "password": "x" });
                    match particeep(&http, &root, reqwest::Method::PUT, "/v1/user", Some(body)).await {
                        Some((200, _)) => acknowledged.lock().unwrap_or_else(PoisonError::into_inner).push(email),
                        Some((status, body)) => panic!("creating {email}: {status} {body}"),
                        None => return,
                    }
                }
            }));
        }
        eventually("acknowledgements before the kill", async || {
            acknowledged.lock().unwrap_or_else(PoisonError::into_inner).len() >= target
        })
        .await;
        mock.kill();
        for client in clients {
            client.await.unwrap_or_else(|e| panic!("client: {e}"));
        }
    }
    let mock = Mock::start(&dir, &[]);
    let state = mock.state(&http, "particeep").await;
    let acknowledged = acknowledged.lock().unwrap_or_else(PoisonError::into_inner).clone();
    assert!(acknowledged.len() >= 10 * rounds());
    for email in &acknowledged {
        assert!(state.contains(email.as_str()), "acknowledged, then lost in the last kill: {email}");
    }
    drop(mock);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_webhook_pending_at_a_sigkill_is_delivered_after_the_restart() {
    let dir = state_dir("webhook");
    let http = reqwest::Client::new();
    // A port nothing listens on yet: the receiver is "down" until after the restart.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap_or_else(|e| panic!("{e}"))
        .port();
    let config = dir.with_extension("yaml");
    std::fs::write(&config, "webhooks:\n  max_attempts: 1000\n  initial_backoff_ms: 20\n  max_backoff_ms: 50\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let config_arg = ["--config", config.to_str().unwrap_or_default()];

    let mock = Mock::start(&dir, &config_arg);
    let hook = json!({ "name": "user_deleted", "url": format!("http://127.0.0.1:{port}/hook") });
    let registered = particeep(&http, &mock.url, reqwest::Method::PUT, "/v1/webhook", Some(hook)).await;
    assert_eq!(registered.map(|r| r.0), Some(200));
    let user = json!({ "email": "leaving@example.org", "password": "x" });
    let created = particeep(&http, &mock.url, reqwest::Method::PUT, "/v1/user", Some(user)).await;
    let id = created.as_ref().and_then(|(_, body)| body["result"]["id"].as_str()).unwrap_or_default().to_owned();
    let deleted = particeep(&http, &mock.url, reqwest::Method::DELETE, &format!("/v1/user/{id}"), None).await;
    assert_eq!(deleted.map(|r| r.0), Some(200));
    eventually("failed attempts while the receiver is down", async || {
        let deliveries = mock.deliveries(&http).await;
        deliveries.first().and_then(|d| d["attempts"].as_array()).is_some_and(|a| a.len() >= 2)
    })
    .await;
    mock.kill();

    let received: Arc<Mutex<Vec<String>>> = Arc::default();
    let kept = received.clone();
    let receiver = axum::Router::new().fallback(move |body: String| {
        let kept = kept.clone();
        async move {
            kept.lock().unwrap_or_else(PoisonError::into_inner).push(body);
            "ok"
        }
    });
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.unwrap_or_else(|e| panic!("{e}"));
    tokio::spawn(async move { axum::serve(listener, receiver).await });

    let mock = Mock::start(&dir, &config_arg);
    eventually("the delivery after the restart", async || {
        !received.lock().unwrap_or_else(PoisonError::into_inner).is_empty()
    })
    .await;
    let body = received.lock().unwrap_or_else(PoisonError::into_inner)[0].clone();
    assert!(body.contains(&id), "the deleted user's event: {body}");
    eventually("the delivery logged as delivered", async || {
        let deliveries = mock.deliveries(&http).await;
        deliveries.first().is_some_and(|d| d["state"] == "delivered")
    })
    .await;
    let deliveries = mock.deliveries(&http).await;
    let attempts = deliveries[0]["attempts"].as_array().cloned().unwrap_or_default();
    assert!(attempts.len() >= 3, "the attempts before the kill are kept: {attempts:?}");
    let numbers: Vec<u64> = attempts.iter().filter_map(|a| a["number"].as_u64()).collect();
    assert_eq!(numbers, (1..=attempts.len() as u64).collect::<Vec<_>>(), "numbering goes on after the restart");
    drop(mock);
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_file(&config);
}

#[tokio::test]
async fn a_reset_clears_what_was_saved() {
    let dir = state_dir("reset");
    let http = reqwest::Client::new();
    let mock = Mock::start(&dir, &[]);
    let user = json!({ "email": "forgotten@example.org", "password": "x" });
    let created = particeep(&http, &mock.url, reqwest::Method::PUT, "/v1/user", Some(user)).await;
    assert_eq!(created.map(|r| r.0), Some(200));
    let reset = http.post(format!("{}/__admin/reset", mock.url)).send().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(reset.status(), 200);
    mock.kill();
    let mock = Mock::start(&dir, &[]);
    assert!(!mock.state(&http, "particeep").await.contains("forgotten@example.org"));
    drop(mock);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread")]
async fn what_the_api_accepts_at_the_nesting_limit_is_read_back_and_deeper_is_refused() {
    let dir = state_dir("deep");
    let http = reqwest::Client::new();
    let mock = Mock::start(&dir, &[]);
    let nested = |depth: usize| {
        let mut value = json!(1);
        for _ in 1..depth {
            value = json!({ "x": value });
        }
        value
    };
    // `custom` is one level inside the body: the body nests MAX_BODY_DEPTH deep, no more.
    let limit = mock_server::extract::MAX_BODY_DEPTH;
    let at_limit = json!({ "email": "deep@example.org", "password": "x", "custom": nested(limit) });
    let created = particeep(&http, &mock.url, reqwest::Method::PUT, "/v1/user", Some(at_limit)).await;
    assert_eq!(created.as_ref().map(|r| r.0), Some(200), "{created:?}");
    let too_deep = json!({ "email": "deeper@example.org", "password": "x", "custom": nested(limit + 1) });
    let refused = particeep(&http, &mock.url, reqwest::Method::PUT, "/v1/user", Some(too_deep)).await;
    let (status, body) = refused.unwrap_or_else(|| panic!("no answer"));
    assert_eq!(status, 400, "{body}");
    assert!(body.to_string().contains("deeper than 64"), "in Particeep's error shape: {body}");
    mock.kill();
    // The next start reads the store back: the deep user is there, the refused one is not.
    let mock = Mock::start(&dir, &[]);
    let state = mock.state(&http, "particeep").await;
    assert!(state.contains("deep@example.org") && !state.contains("deeper@example.org"));
    drop(mock);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_state_dir_that_cannot_be_used_stops_the_start_with_a_clear_error() {
    let dir = state_dir("unusable");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.join(mock_server::durable::FILE_NAME), b"not a database").unwrap_or_else(|e| panic!("{e}"));
    let output = common::binary()
        .args(["--bind", "127.0.0.1:0", "--state-dir"])
        .arg(&dir)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.contains("state directory") && stderr.contains(&*dir.to_string_lossy()), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_empty_state_file_is_refused_at_start_rather_than_taken_for_a_new_one() {
    let dir = state_dir("empty");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let file = dir.join(mock_server::durable::FILE_NAME);
    std::fs::write(&file, b"").unwrap_or_else(|e| panic!("{e}"));
    let stderr = refused_start(&dir);
    assert!(stderr.contains("is empty") && stderr.contains("--fresh-state"), "{stderr}");
    assert_eq!(std::fs::metadata(&file).map(|m| m.len()).ok(), Some(0), "nothing was written over it");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Starts the binary on `dir` and answers its stderr; the start must be refused (an exit with an
/// error). Spawned with a bounded wait: a twin that served instead is stopped, and the test fails.
fn refused_start(dir: &Path) -> String {
    let mut child = common::binary()
        .args(["--bind", "127.0.0.1:0", "--state-dir"])
        .arg(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            _ if std::time::Instant::now() > deadline => break None,
            _ => std::thread::sleep(std::time::Duration::from_millis(50)),
        }
    };
    if status.is_none() {
        let _ = child.kill();
    }
    let output = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(status.is_some_and(|s| !s.success()), "the start was not refused: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

#[tokio::test(flavor = "multi_thread")]
async fn a_flipped_byte_is_refused_at_start_and_fresh_state_sets_the_store_aside() {
    let dir = state_dir("flipped");
    let http = reqwest::Client::new();
    let mock = Mock::start(&dir, &[]);
    let email = format!("flip.{}@example.org", std::process::id());
    let user = json!({ "email": email, "password": "x" });
    let created = particeep(&http, &mock.url, reqwest::Method::PUT, "/v1/user", Some(user)).await;
    assert_eq!(created.map(|r| r.0), Some(200));
    mock.kill();
    // A byte of the saved user changes on disk (every copy of it: a bad disk, a bad copy).
    let file = dir.join(mock_server::durable::FILE_NAME);
    let mut bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("{e}"));
    let needle = email.as_bytes();
    let spots: Vec<usize> =
        (0..bytes.len().saturating_sub(needle.len())).filter(|&i| &bytes[i..i + needle.len()] == needle).collect();
    assert!(!spots.is_empty(), "the user is in the store");
    for at in &spots {
        bytes[at + 4] ^= 0x01;
    }
    std::fs::write(&file, &bytes).unwrap_or_else(|e| panic!("{e}"));
    // Refused, saying why and what to do, rather than served from an older commit.
    let stderr = refused_start(&dir);
    assert!(stderr.contains("is damaged") && stderr.contains("--fresh-state"), "{stderr}");
    // --fresh-state starts from the seed and keeps the damaged store beside it.
    let mock = Mock::start(&dir, &["--fresh-state"]);
    assert!(!mock.state(&http, "particeep").await.contains(&email));
    let kept = std::fs::read_dir(&dir)
        .map(|entries| {
            entries.filter_map(Result::ok).filter(|e| e.file_name().to_string_lossy().contains("set-aside")).count()
        })
        .unwrap_or(0);
    assert_eq!(kept, 1, "the damaged store is kept aside");
    drop(mock);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A PTI client signing as PTI's reference signer does, with the demo client's key.
struct PtiClient {
    http: reqwest::Client,
    root: String,
    key: mock_server::providers::pti::crypto::KeyPair,
}

const PTI_CLIENT: &str = mock_server::providers::pti::seed::DEMO_CLIENT_ID;

impl PtiClient {
    async fn new(http: &reqwest::Client, root: &str) -> Self {
        use mock_server::providers::pti::crypto;
        let url = format!("{root}/__admin/pti/clients/{PTI_CLIENT}/private-jwk");
        let jwk: Value = http.get(url).send().await.unwrap_or_else(|e| panic!("{e}")).json().await.unwrap_or_default();
        let key = crypto::jwk_from_json(&jwk).and_then(|jwk| crypto::KeyPair::from_private_jwk(&jwk));
        Self { http: http.clone(), root: root.to_owned(), key: key.unwrap_or_else(|e| panic!("{e}")) }
    }

    async fn send(&self, method: &str, path: &str, body: Option<Value>, headers: &[(&str, &str)]) -> (u16, Value) {
        use mock_server::providers::pti::crypto;
        let full_path = format!("/pti/v0{path}");
        let text = body.map(|b| b.to_string()).unwrap_or_default();
        let date = crypto::http_date(chrono::Utc::now());
        let signed = crypto::signed_headers(
            &self.key,
            PTI_CLIENT,
            method,
            &full_path,
            text.as_bytes(),
            Some("application/json"),
            &date,
        );
        let mut request =
            self.http.request(method.parse().unwrap_or(reqwest::Method::GET), format!("{}{full_path}", self.root));
        for (name, value) in signed.unwrap_or_else(|e| panic!("{e}")) {
            request = request.header(name, value);
        }
        if method != "GET" {
            request = request.header("content-type", "application/json").body(text);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        (response.status().as_u16(), response.json().await.unwrap_or(Value::Null))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn results_pending_at_a_sigkill_are_decided_after_the_restart_and_tokens_still_verify() {
    let dir = state_dir("resume");
    let http = reqwest::Client::new();
    // Before the kill, results would take ten minutes; after the restart, 20 ms.
    let slow = dir.with_extension("slow.yaml");
    let fast = dir.with_extension("fast.yaml");
    std::fs::write(&slow, "providers:\n  pti:\n    result_delay_ms: 600000\n").unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&fast, "providers:\n  pti:\n    result_delay_ms: 20\n").unwrap_or_else(|e| panic!("{e}"));

    let mock = Mock::start(&dir, &["--config", slow.to_str().unwrap_or_default()]);
    let pti = PtiClient::new(&http, &mock.url).await;
    assert_eq!(pti.send("POST", "/users", Some(json!({"id": "u-resume", "type": "PERSON"})), &[]).await.0, 201);
    let person = json!({
        "id": "u-resume", "type": "PERSON",
        "name": {"firstName": "Jane", "lastName": "Doe"},
        "emails": [{"address": "jane@example.com", "default": true}],
        "addresses": [{"streetAddress": "1 Main St", "city": "Springfield", "country": {"code": "US"}}],
        "dateOfBirth": "1990-01-31"
    });
    let started = pti.send("POST", "/users/u-resume/kyc", Some(person), &[("x-pti-request-id", "kyc-resume")]).await;
    assert_eq!(started.0, 201, "{}", started.1);
    let funding = json!({"type": "FUNDING", "date": "2026-11-22T10:00:00Z", "amount": 50.0,
        "initiator": {"id": "u-resume", "type": "PERSON"}});
    let path = "/users/u-resume/transactions/fiat/funding";
    assert_eq!(pti.send("POST", path, Some(funding), &[("x-pti-request-id", "fund-resume")]).await.0, 201);
    let token =
        pti.send("POST", "/auth/userToken", Some(json!({"url": "/users/u-resume", "method": "GET"})), &[]).await;
    assert_eq!(token.0, 200, "{}", token.1);
    let jwt = token.1["accessToken"].as_str().unwrap_or_default().to_owned();
    let state: Value = serde_json::from_str(&mock.state(&http, "pti").await).unwrap_or_default();
    assert_eq!(state["kycs"][format!("{PTI_CLIENT}/kyc-resume")]["status"], "PENDING");
    mock.kill();

    let mock = Mock::start(&dir, &["--config", fast.to_str().unwrap_or_default()]);
    let pti = PtiClient::new(&http, &mock.url).await;
    eventually("the KYC decided after the restart", async || {
        pti.send("GET", "/users/u-resume/kyc", None, &[]).await.1["status"] == "ACCEPTED"
    })
    .await;
    eventually("the funding settled after the restart", async || {
        let state = mock.state(&http, "pti").await;
        let state: Value = serde_json::from_str(&state).unwrap_or_default();
        state["transactions"][format!("{PTI_CLIENT}/fund-resume")]["status"] == "SETTLED"
    })
    .await;
    let with_token = http
        .get(format!("{}/pti/v0/users/u-resume", mock.url))
        .header("x-pti-client-id", PTI_CLIENT)
        .header("x-pti-token", jwt)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(with_token.status(), 200, "a token issued before the restart is still this twin's");
    drop(mock);
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_file(&slow);
    let _ = std::fs::remove_file(&fast);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_taler_change_scheduled_before_a_sigkill_applies_after_the_restart() {
    let dir = state_dir("taler-scheduled");
    let http = reqwest::Client::new();
    let mock = Mock::start(&dir, &[]);
    let state = |text: String| serde_json::from_str::<Value>(&text).unwrap_or_else(|e| panic!("{e}"));
    let before = state(mock.state(&http, "taler").await);
    let (instance, record) = before["instances"]
        .as_object()
        .and_then(|instances| instances.iter().next())
        .unwrap_or_else(|| panic!("an instance in {before}"));
    let entry = record["kyc"].as_object().and_then(|kyc| kyc.values().next()).cloned().unwrap_or_default();
    let old = entry["status"].as_str().unwrap_or_default().to_owned();
    let new = if old == "ready" { "kyc-required" } else { "ready" };
    let change = json!({
        "h_wire": entry["h_wire"], "exchange_url": entry["exchange_url"], "status": new, "after_ms": 3000
    });
    let scheduled = http
        .post(format!("{}/__admin/taler/instances/{instance}/kyc", mock.url))
        .json(&change)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(scheduled.status(), 200);
    let status_in = |state: &Value| -> Vec<String> {
        state["instances"][instance.as_str()]["kyc"]
            .as_object()
            .map(|kyc| {
                kyc.values()
                    .filter(|e| e["h_wire"] == entry["h_wire"] && e["exchange_url"] == entry["exchange_url"])
                    .filter_map(|e| e["status"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let at_kill = state(mock.state(&http, "taler").await);
    assert_eq!(status_in(&at_kill), vec![old.clone()], "killed before the change is due");
    assert_eq!(at_kill["scheduled"].as_array().map(Vec::len), Some(1), "{at_kill}");
    mock.kill();

    let mock = Mock::start(&dir, &[]);
    eventually("the scheduled change applied after the restart", async || {
        let now = state(mock.state(&http, "taler").await);
        status_in(&now) == vec![new.to_owned()] && now["scheduled"].as_array().is_some_and(Vec::is_empty)
    })
    .await;
    drop(mock);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The demo customer's `/token` call: its status (`None`: no answer).
async fn kasisto_login(http: &reqwest::Client, mock: &Mock) -> Option<u16> {
    let answer = http
        .post(format!("{}/kasisto/token", mock.url))
        .header("secret", mock_server::providers::kasisto::seed::DEMO_SECRET)
        .json(&json!({ "username": "joe.tester", "password": "demo-password" }))
        .send()
        .await;
    answer.map(|r| r.status().as_u16()).ok()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_state_directory_holds_no_password() {
    let dir = state_dir("passwords");
    let http = reqwest::Client::new();
    let mock = Mock::start(&dir, &[]);
    // A Kasisto login (the demo customer's password is in the seed) and a Particeep user's password.
    assert_eq!(kasisto_login(&http, &mock).await, Some(200));
    let user = json!({ "email": "hashed@example.org", "password": "a-Particeep-password-9" });
    let created = particeep(&http, &mock.url, reqwest::Method::PUT, "/v1/user", Some(user)).await;
    assert_eq!(created.map(|r| r.0), Some(200));
    let state = mock.state(&http, "kasisto").await;
    assert!(!state.contains("demo-password"), "{state}");
    mock.kill();
    let bytes = std::fs::read(dir.join(mock_server::durable::FILE_NAME)).unwrap_or_default();
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("hashed@example.org"), "the store was written");
    assert!(!text.contains("demo-password") && !text.contains("a-Particeep-password-9"), "a password is on disk");
    // And the hashed password still logs in after the restart.
    let mock = Mock::start(&dir, &[]);
    assert_eq!(kasisto_login(&http, &mock).await, Some(200));
    drop(mock);
    let _ = std::fs::remove_dir_all(&dir);
}
