//! The shared machinery over real HTTP: faults, latency, the journal, state and reset, the clock,
//! a provider on its own port, and the admin API's guard.

use e2e::{demo_config, start, KasistoClient};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn a_counted_status_fault_answers_in_kasisto_shape_then_stops() {
    let mock = start(demo_config()).await;
    let joe = KasistoClient::new(&mock).login("joe.tester").await;
    let added = joe
        .admin_send(
            Method::POST,
            "/__admin/faults",
            json!({"provider": "kasisto", "path": "/accounts", "respond": {"status": 503}, "times": 2}),
        )
        .await;
    assert_eq!(added.status, 201, "{}", added.text);
    for _ in 0..2 {
        let reply = joe.post("/accounts", json!({})).await;
        assert_eq!(reply.status, 503);
        assert_eq!(reply.code(), "injected_fault");
    }
    assert_eq!(joe.post("/accounts", json!({})).await.status, 200, "the fault was used up");
    assert_eq!(joe.admin_get("/__admin/faults").await.json, json!([]));
}

#[tokio::test]
async fn a_reset_fault_cuts_the_connection_and_a_malformed_body_fails_to_parse() {
    let mock = start(demo_config()).await;
    let joe = KasistoClient::new(&mock).login("joe.tester").await;
    let rules = json!([
        {"provider": "kasisto", "path": "/merchants", "respond": "reset", "times": 1},
        {"provider": "kasisto", "path": "/categories", "respond": "malformed_body", "times": 1}
    ]);
    assert_eq!(joe.admin_send(Method::PUT, "/__admin/faults", rules).await.status, 200);

    let request = joe.http.post(format!("{}/merchants", joe.base)).header("secret", "kasisto-demo-secret");
    let request = request.header("token", joe.token.clone().unwrap_or_default()).body("{}");
    let outcome = match request.send().await {
        Ok(response) => response.bytes().await.map(|_| ()).map_err(|e| e.to_string()),
        Err(err) => Err(err.to_string()),
    };
    assert!(outcome.is_err(), "the exchange must be cut short");

    let malformed = joe.post("/categories", json!({})).await;
    assert_eq!(malformed.status, 200);
    assert!(serde_json::from_str::<serde_json::Value>(&malformed.text).is_err(), "{}", malformed.text);

    let journal = joe.admin_get("/__admin/requests?path=/kasisto/merchants").await;
    assert_eq!(journal.json["entries"][0]["fault"], "reset", "{}", journal.text);
}

#[tokio::test]
async fn a_latency_fault_holds_the_answer_for_its_delay() {
    let mock = start(demo_config()).await;
    let joe = KasistoClient::new(&mock).login("joe.tester").await;
    joe.admin_send(
        Method::POST,
        "/__admin/faults",
        json!({"path": "/payees", "latency": {"fixed": {"ms": 300}}, "times": 1}),
    )
    .await;
    let started = std::time::Instant::now();
    let reply = joe.post("/payees", json!({})).await;
    let held = started.elapsed();
    assert_eq!(reply.status, 200);
    assert!(held >= std::time::Duration::from_millis(300), "held for {held:?}");
}

#[tokio::test]
async fn bad_fault_rules_are_refused_with_400() {
    let mock = start(demo_config()).await;
    let client = KasistoClient::new(&mock);
    let nothing = client.admin_send(Method::POST, "/__admin/faults", json!({"path": "/x"})).await;
    assert_eq!(nothing.status, 400, "{}", nothing.text);
    let typo = client.admin_send(Method::POST, "/__admin/faults", json!({"respnd": {"status": 500}})).await;
    assert_eq!(typo.status, 400);
    assert!(typo.json["error"].as_str().is_some_and(|e| e.contains("respnd")), "{}", typo.text);
    let status = client.admin_send(Method::PUT, "/__admin/faults", json!([{"respond": {"status": 1000}}])).await;
    assert_eq!(status.status, 400);
}

#[tokio::test]
async fn the_journal_records_exchanges_with_secrets_redacted_and_filters_them() {
    let mock = start(demo_config()).await;
    let joe = KasistoClient::new(&mock).login("joe.tester").await;
    joe.post("/accounts", json!({"user_id": "1234567890"})).await;
    joe.post("/accounts", json!({"user_id": "someone-else"})).await;

    let all = joe.admin_get("/__admin/requests?provider=kasisto").await;
    let text = all.text.clone();
    assert!(!text.contains("kasisto-demo-secret"), "the secret header is redacted");
    assert!(!text.contains("demo-password"), "the password is redacted");
    if let Some(token) = &joe.token {
        assert!(
            !all.json["entries"][0]["request_headers"].to_string().contains(token.as_str()),
            "the token header is redacted"
        );
    }
    assert_eq!(all.json["entries"].as_array().map(Vec::len), Some(3));
    let newest = &all.json["entries"][0];
    assert_eq!(newest["status"], 403);
    assert_eq!(newest["path"], "/kasisto/accounts");
    assert!(newest["response_body"].as_str().is_some_and(|b| b.contains("access_denied")));

    let refused = joe.admin_get("/__admin/requests?status=4xx").await;
    assert_eq!(refused.json["entries"].as_array().map(Vec::len), Some(1));
    let bad_filter = joe.admin_get("/__admin/requests?colour=red").await;
    assert_eq!(bad_filter.status, 400);
}

#[tokio::test]
async fn reset_brings_state_back_to_the_seed_and_state_hides_passwords() {
    let mock = start(demo_config()).await;
    let joe = KasistoClient::new(&mock).login("joe.tester").await;
    let state = joe.admin_get("/__admin/state/kasisto").await;
    assert_eq!(state.json["accounts"]["123456789"]["account"]["available_balance"], 1235.5);
    // The state holds a salted hash, not the password (and the hash is not shown either).
    assert!(state.json["customers"]["1234567890"]["password"].is_null(), "{}", state.text);
    assert_eq!(state.json["customers"]["1234567890"]["password_hash"], "[redacted]");
    assert!(!state.text.contains("demo-password"));
    assert_eq!(state.json["tokens"].as_object().map(|t| t.len()), Some(1));

    let reset = joe.admin_send(Method::POST, "/__admin/reset", json!({})).await;
    assert_eq!(reset.status, 200, "{}", reset.text);
    let after = joe.admin_get("/__admin/state/kasisto").await;
    assert_eq!(after.json["tokens"], json!({}));
    assert_eq!(joe.post("/accounts", json!({})).await.status, 403, "tokens are gone after a reset");
    assert_eq!(joe.admin_get("/__admin/state/nobody").await.status, 404);
}

#[tokio::test]
async fn health_lists_the_mounted_providers() {
    let mock = start(demo_config()).await;
    let health = KasistoClient::new(&mock).admin_get("/__admin/health").await;
    assert_eq!(health.json["status"], "ok");
    assert_eq!(health.json["providers"][0]["mount"], "/kasisto");
}

#[tokio::test]
async fn a_provider_with_its_own_port_serves_at_the_root_there() {
    let mut config = demo_config();
    config.providers.kasisto.port = Some(0);
    let mock = start(config).await;
    let addr = mock.provider_addrs.get("kasisto").copied();
    let Some(addr) = addr else { panic!("no own port: {:?}", mock.provider_addrs) };
    let reply = reqwest::Client::new()
        .post(format!("http://{addr}/token"))
        .header("secret", "kasisto-demo-secret")
        .json(&json!({"username": "joe.tester", "password": "demo-password"}))
        .send()
        .await
        .map(|r| r.status().as_u16());
    assert_eq!(reply.ok(), Some(200));
}

#[tokio::test]
async fn with_an_admin_token_the_admin_api_demands_it() {
    let mut config = demo_config();
    config.admin.token = Some("let-me-in".into());
    let mock = start(config).await;
    let http = reqwest::Client::new();
    let url = format!("{}/__admin/health", mock.base_url());
    // A container's health check has no token: it hears that the twin is up, and nothing more.
    let without = http.get(&url).send().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(without.status(), 200);
    let body: serde_json::Value = without.json().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(body, json!({"status": "ok"}));
    let with = http.get(&url).bearer_auth("let-me-in").send().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(with.status(), 200);
    let body: serde_json::Value = with.json().await.unwrap_or_else(|e| panic!("{e}"));
    assert!(body["providers"].is_array() && body["config"].is_object(), "the details, to the admin: {body}");
    let reset = http.post(format!("{}/__admin/reset", mock.base_url())).send().await.map(|r| r.status().as_u16());
    assert_eq!(reset.ok(), Some(403));
    // The dashboard's files hold no data: a browser loads them without the token, then the page
    // asks for it; everything it reads still needs it.
    for shell in ["/__admin/ui", "/__admin/ui/dashboard.js", "/__admin/ui/style.css"] {
        let status = http.get(format!("{}{shell}", mock.base_url())).send().await.map(|r| r.status().as_u16());
        assert_eq!(status.ok(), Some(200), "{shell}");
    }
    let data = http.get(format!("{}/__admin/requests", mock.base_url())).send().await.map(|r| r.status().as_u16());
    assert_eq!(data.ok(), Some(403));
    let control = http.post(format!("{}/__admin/ui", mock.base_url())).send().await.map(|r| r.status().as_u16());
    assert_eq!(control.ok(), Some(403), "only GET of the page itself");
}

#[tokio::test]
async fn redelivering_a_delivery_not_in_the_log_is_404() {
    let mock = start(demo_config()).await;
    let http = reqwest::Client::new();
    let redeliver = |id: &str| http.post(format!("{}/__admin/webhooks/{id}/redeliver", mock.base_url())).send();
    assert_eq!(redeliver("1").await.map(|r| r.status().as_u16()).ok(), Some(404), "an empty log");
    assert_eq!(redeliver("x").await.map(|r| r.status().as_u16()).ok(), Some(404));
}

#[tokio::test]
async fn the_clock_can_be_read_and_advanced_but_not_with_nonsense() {
    let mock = start(demo_config()).await;
    let client = KasistoClient::new(&mock);
    let moved = client.admin_send(Method::POST, "/__admin/clock", json!({"advance_ms": 1500})).await;
    assert_eq!(moved.json["offset_ms"], 1500);
    let both = client.admin_send(Method::POST, "/__admin/clock", json!({"advance_ms": 1, "advance_secs": 1})).await;
    assert_eq!(both.status, 400);
    let reset = client.admin_send(Method::POST, "/__admin/reset", json!({})).await;
    assert_eq!(reset.status, 200);
    assert_eq!(client.admin_get("/__admin/clock").await.json["offset_ms"], 0);
}

#[tokio::test]
async fn configured_latency_delays_only_its_route() {
    let mut config = demo_config();
    config
        .providers
        .kasisto
        .latency
        .routes
        .insert("/categories".into(), mock_server::behaviour::latency::Delay::Fixed { ms: 250 });
    let mock = start(config).await;
    let joe = KasistoClient::new(&mock).login("joe.tester").await;
    let started = std::time::Instant::now();
    joe.post("/categories", json!({})).await;
    let held = started.elapsed();
    assert!(held >= std::time::Duration::from_millis(250), "the injected delay was not applied: {held:?}");
    let journal = joe.admin_get("/__admin/requests?path=categories").await;
    assert!(journal.json["entries"][0]["duration_ms"].as_f64().is_some_and(|ms| ms >= 250.0), "{}", journal.text);
}

/// Sends a bare request on a fresh connection and reads the whole answer (the server closes it).
async fn raw_get(addr: std::net::SocketAddr, path: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap_or_else(|e| panic!("connect: {e}"));
    let request = format!("GET {path} HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap_or_else(|e| panic!("write: {e}"));
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer).await;
    answer
}

#[tokio::test]
async fn past_max_connections_a_new_connection_gets_a_503_that_says_why_until_one_closes() {
    let mut config = demo_config();
    config.max_connections = 2;
    let mock = start(config).await;
    // Two idle connections hold both slots (the server waits for their request heads).
    let first = tokio::net::TcpStream::connect(mock.addr).await.unwrap_or_else(|e| panic!("connect: {e}"));
    let second = tokio::net::TcpStream::connect(mock.addr).await.unwrap_or_else(|e| panic!("connect: {e}"));
    // The accept loop takes connections in order; once the third is refused, both are held.
    let refused = raw_get(mock.addr, "/taler/config").await;
    assert!(refused.starts_with("HTTP/1.1 503"), "{refused}");
    assert!(refused.contains("retry-after: 1"), "{refused}");
    assert!(refused.contains("max_connections"), "the body says which setting: {refused}");
    drop(first);
    // The server notices the close on its next read: bounded retries, no fixed sleep.
    let mut answer = String::new();
    for _ in 0..200 {
        answer = raw_get(mock.addr, "/taler/config").await;
        if answer.starts_with("HTTP/1.1 200") {
            break;
        }
        tokio::task::yield_now().await;
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert!(answer.starts_with("HTTP/1.1 200"), "a freed slot serves again: {answer}");
    drop(second);
}

#[tokio::test]
async fn a_request_head_too_large_or_with_too_many_headers_gets_431_and_the_twin_keeps_serving() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mock = start(demo_config()).await;
    // Both sides of hyper's read buffer (about 400 KB): the limit holds however the head is read.
    let just_over = format!("x-big: {}\r\n", "a".repeat(mock_server::server::MAX_REQUEST_HEAD_BYTES));
    let big_value = format!("x-big: {}\r\n", "a".repeat(500_000));
    let many: String = (0..150).map(|i| format!("x-h{i}: v\r\n")).collect();
    for headers in [just_over, big_value, many] {
        let mut stream = tokio::net::TcpStream::connect(mock.addr).await.unwrap_or_else(|e| panic!("connect: {e}"));
        let request = format!("POST /kasisto/accounts HTTP/1.1\r\nhost: 127.0.0.1\r\n{headers}\r\n");
        // The twin may answer and close before reading all of it.
        let _ = stream.write_all(request.as_bytes()).await;
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer).await;
        let answer = String::from_utf8_lossy(&answer);
        assert!(answer.starts_with("HTTP/1.1 431 Request Header Fields Too Large"), "{answer:.200}");
    }
    // A head under the limit is read: the twin answers it (here Kasisto's 401 for the missing secret).
    let mut stream = tokio::net::TcpStream::connect(mock.addr).await.unwrap_or_else(|e| panic!("connect: {e}"));
    let under = format!("x-big: {}\r\n", "a".repeat(32 * 1024));
    let request = format!(
        "POST /kasisto/accounts HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\ncontent-length: 0\r\n{under}\r\n"
    );
    stream.write_all(request.as_bytes()).await.unwrap_or_else(|e| panic!("write: {e}"));
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer:.200}");
    assert!(raw_get(mock.addr, "/__admin/health").await.starts_with("HTTP/1.1 200"));
}
