//! `mock-server --watch` as a user runs it: an edited config file is put in force (faults, latency,
//! throttle, credentials) with the state kept, and a broken edit is refused with
//! the start's message while the config in force stays.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::common;

struct Mock {
    http: reqwest::Client,
    url: String,
}

impl Mock {
    async fn post(&self, path: &str, secret: &str, token: Option<&str>, body: Value) -> (u16, Value, Duration) {
        let mut request = self.http.post(format!("{}/kasisto{path}", self.url)).header("secret", secret).json(&body);
        if let Some(token) = token {
            request = request.header("token", token);
        }
        let sent = Instant::now();
        let response = request.send().await.unwrap_or_else(|e| panic!("{path}: {e}"));
        let status = response.status().as_u16();
        let retry_after = response.headers().get("retry-after").is_some();
        let mut body: Value = response.json().await.unwrap_or(Value::Null);
        if retry_after {
            body["__retry_after"] = true.into();
        }
        (status, body, sent.elapsed())
    }

    async fn health(&self) -> Value {
        let response = self.http.get(format!("{}/__admin/health", self.url)).send().await;
        let response = response.unwrap_or_else(|e| panic!("health: {e}"));
        response.json().await.unwrap_or_else(|e| panic!("health: {e}"))
    }

    /// Polls the health page until `ready` holds of its `config`; answers how long it took (printed,
    /// not asserted: how fast a reload lands is the watcher's design, a poll every 250 ms). The
    /// bound is a count of polls, so a watcher that never reloads fails the test instead of hanging it.
    async fn until(&self, what: &str, ready: impl Fn(&Value) -> bool) -> Duration {
        const MAX_POLLS: u32 = 1000;
        let started = Instant::now();
        for _ in 0..MAX_POLLS {
            if ready(&self.health().await["config"]) {
                return started.elapsed();
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("{what} not seen in {MAX_POLLS} polls: {}", self.health().await)
    }
}

#[tokio::test]
async fn an_edited_config_is_live_within_a_second_with_state_kept_and_a_broken_one_is_refused() {
    let dir = std::env::temp_dir().join(format!("fintwin-watch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let file = dir.join("fintwin.yaml");
    std::fs::write(&file, "seed: 42\n").unwrap_or_else(|e| panic!("{e}"));
    let (mut child, url) = common::serve(&["--config".as_ref(), file.as_os_str(), "--watch".as_ref()]);
    let mock = Mock { http: reqwest::Client::new(), url };
    let demo = mock_server::providers::kasisto::KasistoConfig::default();
    let (old_secret, joe) = (demo.secret.clone(), demo.customers[0].clone());

    // State made before the edit: a session.
    let login = json!({"username": joe.username, "password": joe.password});
    let (status, body, _) = mock.post("/token", &old_secret, None, login).await;
    assert_eq!(status, 200, "{body}");
    let token = body["token"].as_str().unwrap_or_default().to_owned();
    let customer = json!({"user_id": joe.user_id});
    assert_eq!(mock.post("/customer", &old_secret, Some(&token), customer.clone()).await.0, 200);
    let watching = mock.health().await;
    assert_eq!(watching["config"]["watching"], true, "{watching}");

    let edited = "seed: 42
max_connections: 100
faults:
  - {provider: kasisto, path: /merchants, respond: {status: 503}}
providers:
  kasisto:
    secret: rotated-secret
    latency:
      routes:
        /categories: {fixed: {ms: 300}}
    throttle:
      routes:
        /accounts: {per_second: 0.01, burst: 1}
";
    std::fs::write(&file, edited).unwrap_or_else(|e| panic!("{e}"));
    let took = mock.until("the reload", |config| config["reloads"] == 1).await;
    eprintln!("the edit was in force after {took:?}");
    let health = mock.health().await;
    let changed = health["config"]["changed"].to_string();
    for key in ["faults", "providers.kasisto.secret", "providers.kasisto.latency", "providers.kasisto.throttle"] {
        assert!(changed.contains(key), "{key} in {changed}");
    }
    assert_eq!(health["config"]["restart_needed"], json!(["max_connections"]), "{health}");

    let new_secret = "rotated-secret";
    let (status, body, _) = mock.post("/customer", &old_secret, Some(&token), customer.clone()).await;
    assert_eq!(status, 401, "the old secret is refused now: {body}");
    let (status, body, _) = mock.post("/customer", new_secret, Some(&token), customer.clone()).await;
    assert_eq!(status, 200, "the session made before the edit is still there: {body}");
    let (status, body, _) = mock.post("/merchants", new_secret, Some(&token), customer.clone()).await;
    assert_eq!(status, 503, "the config's new fault: {body}");
    let (status, _, took) = mock.post("/categories", new_secret, Some(&token), customer.clone()).await;
    assert!(status == 200 && took >= Duration::from_millis(300), "the new latency: {status} after {took:?}");
    let first = mock.post("/accounts", new_secret, Some(&token), customer.clone()).await;
    let second = mock.post("/accounts", new_secret, Some(&token), customer.clone()).await;
    assert_eq!(first.0, 200, "{}", first.1);
    assert_eq!((second.0, &second.1["__retry_after"]), (429, &json!(true)), "the new throttle: {}", second.1);

    // A broken edit: refused with the start's message, the config in force stays.
    std::fs::write(&file, "faults:\n  - {respond: {status: 99}}\n").unwrap_or_else(|e| panic!("{e}"));
    mock.until("the refusal", |config| !config["refused"].is_null()).await;
    let health = mock.health().await;
    let error = health["config"]["refused"]["error"].as_str().unwrap_or_default().to_owned();
    assert!(error.contains("fintwin.yaml") && error.contains("faults[0]") && error.contains("99"), "{error}");
    assert_eq!(health["config"]["reloads"], 1, "{health}");
    let (status, body, _) = mock.post("/merchants", new_secret, Some(&token), customer.clone()).await;
    assert_eq!(status, 503, "the previous config stays in force: {body}");
    let _ = std::process::Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
}
