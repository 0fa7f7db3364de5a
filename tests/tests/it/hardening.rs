//! Issue 22's attacks that are mended, one regression test each (loopback only, bounded):
//! a cross-site page cannot change the admin API's state, a rebound name cannot read it, an
//! IPv4 client of a `[::]` listener is loopback, no clock move or lifetime can make later requests
//! panic, a copied curl command runs nothing planted in the request it copies, a body nested past
//! the limit is refused, and a shutdown closes what is still held when its grace period ends.

use std::process::Command;

use serde_json::json;

async fn twin() -> fintwin::Twin {
    e2e::start(e2e::demo_config()).await
}

fn faults_of(text: &str) -> usize {
    serde_json::from_str::<serde_json::Value>(text).ok().and_then(|v| v.as_array().map(Vec::len)).unwrap_or(usize::MAX)
}

#[tokio::test]
async fn a_cross_site_page_cannot_change_the_admin_state_and_the_dashboards_own_calls_can() {
    let twin = twin().await;
    let admin = format!("{}/__admin", twin.base_url());
    let host = twin.base_url().trim_start_matches("http://").to_owned();
    let client = reqwest::Client::new();
    let fault = json!({ "provider": "kasisto", "path": "/accounts", "respond": { "status": 503 } });
    // The dashboard's own call: same origin, JSON.
    let own = client
        .post(format!("{admin}/faults"))
        .header("origin", format!("http://{host}"))
        .header("sec-fetch-site", "same-origin")
        .json(&fault)
        .send()
        .await;
    assert_eq!(own.map(|r| r.status().as_u16()).ok(), Some(201));
    // What a page on another origin can send: a form POST, a text/plain body, a cross-site fetch.
    let attempts = [
        client.post(format!("{admin}/reset")).header("content-type", "application/x-www-form-urlencoded").body("a=1"),
        client.post(format!("{admin}/faults")).header("content-type", "text/plain").body(fault.to_string()),
        client.post(format!("{admin}/reset")).header("origin", "http://evil.example"),
        client.delete(format!("{admin}/faults")).header("sec-fetch-site", "cross-site"),
        client.post(format!("{admin}/reset")).header("origin", "null"),
    ];
    for attempt in attempts {
        let answer = attempt.send().await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(answer.status().as_u16(), 403, "{:?}", answer.text().await);
    }
    let faults = client.get(format!("{admin}/faults")).send().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(faults_of(&faults.text().await.unwrap_or_default()), 1, "nothing was reset or added");
    // curl, with no Origin and no body, still resets.
    let reset = client.post(format!("{admin}/reset")).send().await.map(|r| r.status().as_u16()).ok();
    assert_eq!(reset, Some(200));
}

#[tokio::test]
async fn a_rebound_name_cannot_read_the_admin_api_and_loopback_names_can() {
    let twin = twin().await;
    let url = format!("{}/__admin/state/pti", twin.base_url());
    let port = twin.base_url().rsplit(':').next().unwrap_or_default().to_owned();
    let client = reqwest::Client::new();
    let rebound = client.get(&url).header("host", format!("rebound.evil.example:{port}")).send().await;
    let rebound = rebound.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(rebound.status().as_u16(), 403);
    assert!(!rebound.text().await.unwrap_or_default().contains("\"d\""), "no private key leaves");
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        format!("app.localhost:{port}"),
    ] {
        let answer = client.get(&url).header("host", &host).send().await.map(|r| r.status().as_u16()).ok();
        assert_eq!(answer, Some(200), "{host}");
    }
}

#[tokio::test]
async fn a_name_listed_in_admin_allowed_hosts_reaches_the_admin_api_and_others_still_do_not() {
    let mut config = e2e::demo_config();
    config.admin.allowed_hosts = vec!["Twin.Test".into()];
    let twin = e2e::start(config).await;
    let url = format!("{}/__admin/state/kasisto", twin.base_url());
    let port = twin.base_url().rsplit(':').next().unwrap_or_default().to_owned();
    let client = reqwest::Client::new();
    let status = |host: String| {
        let request = client.get(&url).header("host", host);
        async move { request.send().await.map(|r| r.status().as_u16()).ok() }
    };
    assert_eq!(status(format!("twin.test:{port}")).await, Some(200), "a configured name, any case, any port");
    assert_eq!(status("twin.test".into()).await, Some(200));
    assert_eq!(status(format!("rebound.evil.example:{port}")).await, Some(403));
    assert_eq!(status(format!("sub.twin.test:{port}")).await, Some(403), "only the name itself");
}

#[tokio::test]
async fn an_ipv4_client_of_a_dual_stack_listener_is_loopback() {
    let mut config = e2e::demo_config();
    config.bind = std::net::SocketAddr::from((std::net::Ipv6Addr::UNSPECIFIED, 0));
    let Ok(twin) = mock_server::spawn(config).await else {
        eprintln!("SKIPPED an_ipv4_client_of_a_dual_stack_listener_is_loopback: this machine cannot bind [::]");
        return;
    };
    let port = twin.url().rsplit(':').next().unwrap_or_default().to_owned();
    let answer = reqwest::get(format!("http://127.0.0.1:{port}/__admin/health")).await;
    match answer {
        Ok(answer) => assert_eq!(answer.status().as_u16(), 200, "an IPv4-mapped loopback client is loopback"),
        Err(error) => eprintln!("SKIPPED the IPv4 half: [::] does not accept IPv4 here ({error})"),
    }
}

#[tokio::test]
async fn no_clock_move_makes_a_later_request_panic() {
    let twin = twin().await;
    let client = reqwest::Client::new();
    for body in [json!({ "advance_ms": i64::MAX }), json!({ "advance_ms": i64::MIN }), json!({ "advance_secs": 1e11 })]
    {
        let answer = client.post(format!("{}/__admin/clock", twin.base_url())).json(&body).send().await;
        let answer = answer.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(answer.status().as_u16(), 400, "{body}");
        let text = answer.text().await.unwrap_or_default();
        assert!(text.contains("advance_"), "the field is named: {text}");
    }
    let login = client
        .post(format!("{}/kasisto/token", twin.base_url()))
        .header("secret", mock_server::providers::kasisto::seed::DEMO_SECRET)
        .json(&json!({ "username": "joe.tester", "password": "demo-password" }))
        .send()
        .await
        .map(|r| r.status().as_u16())
        .ok();
    assert_eq!(login, Some(200), "the twin still answers");
}

#[tokio::test]
async fn a_lifetime_that_would_overflow_a_date_is_refused_at_start_naming_the_key() {
    for (key, yaml) in [
        ("token_lifetime_secs", "providers:\n  kasisto:\n    token_lifetime_secs: 18446744073709551615\n"),
        ("otp.lifetime_secs", "providers:\n  kasisto:\n    otp: { lifetime_secs: 18446744073709551615 }\n"),
        ("user_token_lifetime_secs", "providers:\n  pti:\n    user_token_lifetime_secs: 18446744073709551615\n"),
    ] {
        let refused = mock_server::Config::from_yaml(yaml, std::path::Path::new("my.yaml"));
        let message = refused.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains(key), "{key}: {message}");
    }
}

#[test]
fn a_copied_curl_command_runs_nothing_planted_in_the_request() {
    let dir = std::env::temp_dir().join(format!("fintwin-curl-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let planted = dir.join("planted");
    let hostile = format!("`touch {}`$(touch {})'\"", planted.display(), planted.display());
    let outgoing = conformance::runner::http::Outgoing {
        method: format!("GET{hostile}"),
        url: format!("http://127.0.0.1:1/x{hostile}"),
        headers: vec![("x-h".into(), hostile.clone())],
        body: Some(hostile.clone()),
    };
    let command = conformance::runner::http::curl(&outgoing);
    // `curl` is a function here that prints its arguments: pasting the command must run nothing else.
    let output = Command::new("sh").arg("-c").arg(format!("curl() {{ printf '%s\\n' \"$@\"; }}; {command}")).output();
    let Ok(output) = output else {
        eprintln!("SKIPPED a_copied_curl_command_runs_nothing_planted_in_the_request: no sh");
        return;
    };
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(!planted.exists(), "the planted command ran");
    let words = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(words.contains(&format!("GET{hostile}")) && words.contains(&format!("x-h: {hostile}")), "{words}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn expect_100_continue_over_the_body_limit_gets_413_before_any_upload() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let twin = twin().await;
    let addr = twin.base_url().trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap_or_else(|e| panic!("{e}"));
    let head = "POST /kasisto/accounts HTTP/1.1\r\nhost: 127.0.0.1\r\nexpect: 100-continue\r\ncontent-type: application/json\r\ncontent-length: 5000000\r\n\r\n";
    stream.write_all(head.as_bytes()).await.unwrap_or_else(|e| panic!("{e}"));
    let mut answer = vec![0u8; 256];
    let read = tokio::time::timeout(std::time::Duration::from_secs(5), stream.read(&mut answer)).await;
    let read = read.unwrap_or_else(|_| panic!("no answer without the body")).unwrap_or(0);
    let text = String::from_utf8_lossy(&answer[..read]).into_owned();
    assert!(text.starts_with("HTTP/1.1 413"), "413 at once, not 100 Continue: {text}");
}

#[tokio::test]
async fn a_webhook_cannot_point_at_the_twin_itself() {
    use mock_server::providers::particeep::auth;
    use mock_server::providers::particeep::seed::{DEMO_KEY, DEMO_SECRET};
    let twin = twin().await;
    let port = twin.base_url().rsplit(':').next().unwrap_or_default().to_owned();
    let client = reqwest::Client::new();
    for url in [
        format!("http://127.0.0.1:{port}/__admin/reset"),
        format!("http://localhost:{port}/__admin/reset"),
        format!("http://[::1]:{port}/x"),
        format!("http://0.0.0.0:{port}/x"),
    ] {
        let mut request = client.put(format!("{}/particeep/v1/webhook", twin.base_url()));
        for (name, value) in auth::signed_headers(DEMO_KEY, DEMO_SECRET, chrono::Utc::now()) {
            request = request.header(name, value);
        }
        let answer = request.json(&json!({ "name": "user_created", "url": url })).send().await;
        let answer = answer.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(answer.status().as_u16(), 400, "{url}");
        let body: serde_json::Value = answer.json().await.unwrap_or_default();
        assert_eq!(body["error"]["errors"][0]["technicalCode"], "error.webhook.url.invalid", "{url}: {body}");
    }
    // Another port on loopback (a receiver on this machine) is fine.
    let mut request = client.put(format!("{}/particeep/v1/webhook", twin.base_url()));
    for (name, value) in auth::signed_headers(DEMO_KEY, DEMO_SECRET, chrono::Utc::now()) {
        request = request.header(name, value);
    }
    let fine = request.json(&json!({ "name": "user_created", "url": "http://127.0.0.1:9/hook" })).send().await;
    assert_eq!(fine.map(|r| r.status().as_u16()).ok(), Some(200));
}

#[tokio::test]
async fn no_password_reaches_the_journal_whatever_its_key_or_the_bodys_shape() {
    let twin = twin().await;
    let client = reqwest::Client::new();
    let secret = mock_server::providers::kasisto::seed::DEMO_SECRET;
    let bodies = [
        // Not quite JSON: cut short after the password.
        r#"{"username": "joe.tester", "password": "hunter2-not-quite-json"#.to_owned(),
        // Other spellings of the key.
        json!({ "old_password": "hunter2-old", "newPassword": "hunter2-new", "access_token": "hunter2-token", "otp": 123456 }).to_string(),
        // A form.
        "username=joe&password=hunter2-form&x=1".to_owned(),
    ];
    for body in &bodies {
        let _ = client
            .post(format!("{}/kasisto/token", twin.base_url()))
            .header("secret", secret)
            .header("content-type", "application/json")
            .body(body.clone())
            .send()
            .await;
    }
    let journal =
        client.get(format!("{}/__admin/requests", twin.base_url())).send().await.unwrap_or_else(|e| panic!("{e}"));
    let journal = journal.text().await.unwrap_or_default();
    for leaked in ["hunter2-not-quite-json", "hunter2-old", "hunter2-new", "hunter2-token", "123456", "hunter2-form"] {
        assert!(!journal.contains(leaked), "`{leaked}` is in the journal: {journal}");
    }
    assert!(journal.contains("joe.tester") && journal.contains("[redacted]"), "the rest is kept: {journal}");
}

#[tokio::test]
async fn a_head_without_its_body_does_not_hold_its_connection() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut config = e2e::demo_config();
    config.body_read_timeout_ms = 300;
    let twin = e2e::start(config).await;
    let addr = twin.base_url().trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap_or_else(|e| panic!("{e}"));
    let head = "POST /kasisto/accounts HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 10\r\n\r\n";
    stream.write_all(head.as_bytes()).await.unwrap_or_else(|e| panic!("{e}"));
    let mut answer = String::new();
    // The answer comes once the configured wait is over, and the twin closes the connection.
    let read = tokio::time::timeout(std::time::Duration::from_secs(10), stream.read_to_string(&mut answer)).await;
    assert!(read.is_ok(), "the connection was held: {answer}");
    assert!(answer.starts_with("HTTP/1.1 400"), "Kasisto's unreadable-body error: {answer}");
    assert!(answer.to_ascii_lowercase().contains("connection: close"), "{answer}");
}

#[tokio::test]
async fn the_journal_is_bounded_in_bytes_whatever_the_peers_send() {
    let mut config = e2e::demo_config();
    config.journal.max_bytes = 256 * 1024;
    let twin = e2e::start(config).await;
    let client = reqwest::Client::new();
    let big = "x".repeat(48 * 1024);
    for _ in 0..60 {
        let _ = client
            .post(format!("{}/kasisto/merchants", twin.base_url()))
            .header("x-big", &big)
            .body(big.clone())
            .send()
            .await;
    }
    let journal = client.get(format!("{}/__admin/requests?limit=1000", twin.base_url())).send().await;
    let journal: serde_json::Value = journal.unwrap_or_else(|e| panic!("{e}")).json().await.unwrap_or_default();
    let entries = journal["entries"].as_array().cloned().unwrap_or_default();
    assert!(!entries.is_empty() && entries.len() < 60, "the oldest went first: {} kept", entries.len());
    let header = entries[0]["request_headers"]
        .as_array()
        .and_then(|h| h.iter().find(|pair| pair[0] == "x-big"))
        .and_then(|pair| pair[1].as_str())
        .unwrap_or_default()
        .to_owned();
    assert!(
        header.len() <= 4 * 1024 + 16 && header.ends_with("[truncated]"),
        "a header value is capped: {}",
        header.len()
    );
    let held: usize = entries.iter().map(|e| e.to_string().len()).sum();
    assert!(held <= 512 * 1024, "the journal holds about its bound, not 60 × 96 KiB: {held}");
}

#[tokio::test]
async fn a_shutdown_closes_what_is_still_held_when_its_grace_period_ends() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut config = e2e::demo_config();
    config.shutdown_grace_ms = 300;
    let twin = e2e::start(config).await;
    let addr = twin.base_url().trim_start_matches("http://").to_owned();
    // A long-poll held for a minute, and a head whose body never comes.
    let mut poll = tokio::net::TcpStream::connect(&addr).await.unwrap_or_else(|e| panic!("{e}"));
    let held = "GET /taler/private/kyc?timeout_ms=60000&lp_status=ready HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer secret-token:demo\r\n\r\n";
    poll.write_all(held.as_bytes()).await.unwrap_or_else(|e| panic!("{e}"));
    let mut body = tokio::net::TcpStream::connect(&addr).await.unwrap_or_else(|e| panic!("{e}"));
    let head = "POST /kasisto/accounts HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 10\r\n\r\n";
    body.write_all(head.as_bytes()).await.unwrap_or_else(|e| panic!("{e}"));
    // The twin has both requests before the shutdown begins.
    let health = reqwest::get(format!("{}/__admin/health", twin.base_url())).await.map(|r| r.status().as_u16());
    assert_eq!(health.ok(), Some(200));
    let stopped = tokio::time::timeout(std::time::Duration::from_secs(10), twin.shutdown()).await;
    assert!(stopped.is_ok(), "the shutdown waited past its grace period");
    // Both connections are closed (answered or not), not left hanging.
    let mut answers = Vec::new();
    for mut stream in [poll, body] {
        let mut rest = Vec::new();
        let read = tokio::time::timeout(std::time::Duration::from_secs(5), stream.read_to_end(&mut rest)).await;
        assert!(read.is_ok(), "a held connection was left open: {}", String::from_utf8_lossy(&rest));
        answers.push(String::from_utf8_lossy(&rest).into_owned());
    }
    // The long-poll was held through the grace period and then closed, not answered early.
    assert!(!answers[0].starts_with("HTTP/1.1 200"), "the held long-poll was answered: {}", answers[0]);
}

#[tokio::test]
async fn a_body_trickled_below_the_minimum_rate_is_cut_long_before_the_timeout() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut config = e2e::demo_config();
    config.body_read_timeout_ms = 60_000;
    config.body_min_bytes_per_sec = 1024;
    let twin = e2e::start(config).await;
    let addr = twin.base_url().trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap_or_else(|e| panic!("{e}"));
    let head = "POST /kasisto/accounts HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 64\r\n\r\n";
    stream.write_all(head.as_bytes()).await.unwrap_or_else(|e| panic!("{e}"));
    let (mut reader, mut writer) = stream.into_split();
    // A byte every 200 ms: five bytes a second where at least 1 KiB a second is asked.
    let written = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = written.clone();
    let trickle = tokio::spawn(async move {
        for _ in 0..64 {
            if writer.write_all(b" ").await.is_err() {
                break;
            }
            counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
    });
    let mut answer = String::new();
    let read = tokio::time::timeout(std::time::Duration::from_secs(10), reader.read_to_string(&mut answer)).await;
    trickle.abort();
    assert!(read.is_ok(), "the trickle held its connection: {answer}");
    assert!(answer.starts_with("HTTP/1.1 400"), "Kasisto's unreadable-body error: {answer}");
    // Read through its grace period (some bytes came), cut well before the whole body (the 60 s
    // timeout would have taken all 64).
    let sent = written.load(std::sync::atomic::Ordering::SeqCst);
    assert!((5..64).contains(&sent), "{sent} bytes came before the cut");
}
