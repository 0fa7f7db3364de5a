//! The dashboard at `/__admin/ui` in a real browser: this test starts the twin, makes the requests
//! and webhook deliveries a QA person would, then runs `tests/ui/dashboard.mjs` (Playwright driving
//! headless Chromium), which checks the page shows them, that its controls change state, and takes
//! screenshots (under `target/tmp/dashboard-screenshots/`).
//!
//! Needs Node.js, `tests/ui/node_modules` (`npm ci` there) and Chromium (`/usr/bin/chromium`, or
//! `CHROMIUM`); `.ci/run` installs them. Where one is missing the test says so and passes without
//! a browser.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use e2e::{demo_config, start, PtiClient, PTI_CLIENT};
use mock_server::providers::particeep::auth;
use mock_server::providers::particeep::seed::{DEMO_KEY, DEMO_SECRET};
use serde_json::{json, Value};

/// What the browser run needs, or why it cannot run here.
fn browser_tools() -> Result<(PathBuf, PathBuf), String> {
    let ui = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui");
    let node = Command::new("node").arg("--version").output();
    if !node.is_ok_and(|o| o.status.success()) {
        return Err("Node.js (`node`) is not installed".into());
    }
    if !ui.join("node_modules/playwright-core").is_dir() {
        return Err(format!("playwright-core is not installed: run `npm ci` in {}", ui.display()));
    }
    let chromium = std::env::var_os("CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    if !chromium.is_file() {
        return Err(format!("no Chromium at {} (apt-get install chromium, or set CHROMIUM)", chromium.display()));
    }
    Ok((ui.join("dashboard.mjs"), chromium))
}

async fn particeep(
    http: &reqwest::Client,
    root: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> Value {
    let mut request = http.request(method, format!("{root}/particeep{path}"));
    for (name, value) in auth::signed_headers(DEMO_KEY, DEMO_SECRET, chrono::Utc::now()) {
        request = request.header(name, value);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap_or_else(|e| panic!("{path}: {e}"));
    assert_eq!(response.status(), 200, "{path}");
    response.json().await.unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_shows_the_traffic_and_its_controls_change_the_twins() {
    let (script, chromium) = match browser_tools() {
        Ok(tools) => tools,
        Err(missing) => {
            eprintln!("SKIPPED the dashboard's browser test: {missing}");
            return;
        }
    };

    // A webhook receiver that accepts everything.
    let received: Arc<Mutex<u32>> = Arc::default();
    let counter = received.clone();
    let receiver = axum::Router::new().fallback(move || {
        let counter = counter.clone();
        async move {
            *counter.lock().unwrap_or_else(PoisonError::into_inner) += 1;
            "ok"
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap_or_else(|e| panic!("{e}"));
    let hook_url = format!("http://{}/hook", listener.local_addr().unwrap_or_else(|e| panic!("{e}")));
    tokio::spawn(async move { axum::serve(listener, receiver).await });

    let mut config = demo_config();
    // PTI results wait for the page to decide them.
    config.providers.pti.result_delay_ms = 600_000;
    let mock = start(config).await;
    let root = mock.base_url();
    let http = reqwest::Client::new();

    // Kasisto: a refused login (401), a login, and a transfer that asks for an OTP (450).
    let kasisto = |path: &str| http.post(format!("{root}/kasisto{path}")).header("secret", "kasisto-demo-secret");
    let refused = kasisto("/token").json(&json!({"username": "joe.tester", "password": "wrong"})).send().await;
    assert_eq!(refused.map(|r| r.status().as_u16()).ok(), Some(401));
    let login = kasisto("/token").json(&json!({"username": "joe.tester", "password": "demo-password"})).send().await;
    let login: Value = login.unwrap_or_else(|e| panic!("{e}")).json().await.unwrap_or_default();
    let token = login["token"].as_str().unwrap_or_default().to_owned();
    let transfer = json!({"source_account_id": "123456789", "dest_account_id": "987654321", "amount": 100});
    let step_up = kasisto("/transfer").header("token", &token).json(&transfer).send().await;
    assert_eq!(step_up.map(|r| r.status().as_u16()).ok(), Some(450));

    // Particeep: a webhook delivery (a user deleted, with a receiver registered for it).
    let hook = json!({ "name": "user_deleted", "url": hook_url });
    particeep(&http, &root, reqwest::Method::PUT, "/v1/webhook", Some(hook)).await;
    let user = json!({ "email": "shown@example.org", "password": "x" });
    let created = particeep(&http, &root, reqwest::Method::PUT, "/v1/user", Some(user)).await;
    let id = created["result"]["id"].as_str().unwrap_or_default().to_owned();
    particeep(&http, &root, reqwest::Method::DELETE, &format!("/v1/user/{id}"), None).await;

    // Particeep: a KYC group asked to be validated and a card cash-in, both waiting for a decision
    // (the demo config decides neither by itself).
    let user = json!({ "email": "kyc@example.org", "password": "x", "last_name": "Shown" });
    let owner = particeep(&http, &root, reqwest::Method::PUT, "/v1/user", Some(user)).await["result"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let wallet = json!({ "owner_id": owner, "owner_type": "USER", "wallet_type": "NATURAL",
        "email": "kyc@example.org", "first_name": "Kay", "last_name": "Shown" });
    let wallet = particeep(&http, &root, reqwest::Method::PUT, "/v1/wallet", Some(wallet)).await["result"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let group = json!({ "owner_id": owner, "owner_type": "USER", "user_type": "NATURAL" });
    particeep(&http, &root, reqwest::Method::PUT, "/v1/kycs", Some(group)).await;
    let docs = json!({ "owner_id": owner, "owner_type": "USER", "docs": [
        { "doc_type": "ID_CARD", "urls": ["https://f.example/1"] }, { "doc_type": "ADDRESS_PROOF", "urls": ["https://f.example/2"] }
    ]});
    particeep(&http, &root, reqwest::Method::POST, "/v1/kycs", Some(docs)).await;
    particeep(&http, &root, reqwest::Method::POST, &format!("/v1/kycs/askValidation/owner/{owner}/USER"), None).await;
    let cash_in = json!({ "amount": 1000, "accept_url": "https://x.example/ok", "decline_url": "https://x.example/ko",
        "pending_url": "https://x.example/wait", "owner_ip": "127.0.0.1" });
    particeep(&http, &root, reqwest::Method::POST, &format!("/v1/wallet/{wallet}/cashin"), Some(cash_in)).await;

    // PTI: a user whose KYC is pending.
    let pti = PtiClient::new(&mock).await;
    assert_eq!(pti.send("POST", "/users", Some(json!({"id": "u-ui", "type": "PERSON"})), &[]).await.status, 201);
    let person = json!({
        "id": "u-ui", "type": "PERSON", "name": {"firstName": "Jane", "lastName": "Doe"},
        "emails": [{"address": "jane@example.com", "default": true}],
        "addresses": [{"streetAddress": "1 Main St", "city": "Springfield", "country": {"code": "US"}}],
        "dateOfBirth": "1990-01-31"
    });
    let kyc = pti.send("POST", "/users/u-ui/kyc", Some(person), &[("x-pti-request-id", "kyc-ui")]).await;
    assert_eq!(kyc.status, 201, "{}", kyc.text);

    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("dashboard-screenshots");
    let _ = std::fs::remove_dir_all(&shots);
    let (run_script, run_shots, run_root) = (script.clone(), shots.clone(), root.clone());
    let output = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .arg(&run_script)
            .arg(&run_root)
            .arg(&run_shots)
            .env("CHROMIUM", &chromium)
            .env("PARTICEEP_OWNER", &owner)
            .env("PTI_CLIENT", PTI_CLIENT)
            .output()
    })
    .await
    .unwrap_or_else(|e| panic!("{e}"))
    .unwrap_or_else(|e| panic!("cannot run {}: {e}", script.display()));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "the browser run failed ({}):\n{stdout}\n{stderr}", output.status);

    for name in ["1-journal", "2-request-detail", "3-webhooks", "4-providers", "5-faults"] {
        let png = std::fs::read(shots.join(format!("{name}.png"))).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(png.starts_with(b"\x89PNG") && png.len() > 10_000, "{name}.png is a real screenshot");
    }
    // The redelivery the page asked for reached the receiver: two deliveries of one event.
    tokio::time::timeout(Duration::from_secs(10), async {
        while *received.lock().unwrap_or_else(PoisonError::into_inner) < 2 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .unwrap_or_else(|_| panic!("the redelivery never reached the receiver"));
}
