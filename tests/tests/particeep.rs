//! The Particeep twin over real HTTP: the document's vector accepted with the skew window off, the
//! window, consumers kept apart, the monthly quota (429), bad bodies (400, never 5xx, nothing
//! lost), and a signed webhook a receiver can verify.

use e2e::{demo_config, start};
use mock_server::providers::particeep::auth;
use mock_server::providers::particeep::config::{ConsumerSeed, DEMO_KEY, DEMO_SECRET};
use serde_json::{json, Value};

struct Caller {
    http: reqwest::Client,
    root: String,
    key: String,
    secret: String,
}

impl Caller {
    fn new(root: String, key: &str, secret: &str) -> Self {
        Self { http: reqwest::Client::new(), root, key: key.into(), secret: secret.into() }
    }

    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&str>,
    ) -> (u16, reqwest::header::HeaderMap, Value) {
        let date_time = auth::date_time(chrono::Utc::now());
        let mut request = self
            .http
            .request(method, format!("{}/particeep{path}", self.root))
            .header("DateTime", &date_time)
            .header("Authorization", auth::authorization(&self.key, &self.secret, &date_time));
        if let Some(body) = body {
            request = request.header("content-type", "application/json").body(body.to_owned());
        }
        let response = request.send().await.unwrap_or_else(|e| panic!("{path}: {e}"));
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        (status, headers, response.json().await.unwrap_or_default())
    }
}

#[tokio::test]
async fn the_documents_vector_is_accepted_when_the_skew_window_is_off() {
    let mut config = demo_config();
    config.providers.particeep.clock_skew_secs = None;
    let mock = start(config).await;
    let response = reqwest::Client::new()
        .get(format!("{}/particeep/v1/info", mock.url()))
        .header("DateTime", "2015-10-19T11:04:18Z")
        .header("Authorization", "PTP:1234567890:YzgwZWEyYjJjOWY4ZTZlNTA5NzgzZWU2N2IzZWNhMGFhMDZhY2RkMA==")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(response.status().as_u16(), 200);
    let upper = reqwest::Client::new()
        .get(format!("{}/particeep/v1/info", mock.url()))
        .header("DateTime", "2015-10-19T11:04:18Z")
        .header("Authorization", "PTP:1234567890:QzgwRUEyQjJDOUY4RTZFNTA5NzgzRUU2N0IzRUNBMEFBMDZBQ0REMA==")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(upper.status().as_u16(), 403);
}

#[tokio::test]
async fn consumers_see_only_their_own_users() {
    let mock = start(demo_config()).await;
    let sandbox = Caller::new(mock.url(), DEMO_KEY, DEMO_SECRET);
    let bare = Caller::new(mock.url(), "bare-demo-key", "bare-demo-secret");
    let (status, _, created) =
        sandbox.send(reqwest::Method::PUT, "/v1/user", Some(r#"{"email":"a@example.org","password":"x"}"#)).await;
    assert_eq!(status, 200);
    let id = created["result"]["id"].as_str().unwrap_or_default().to_owned();
    let (status, _, error) = bare.send(reqwest::Method::GET, &format!("/v1/user/{id}"), None).await;
    assert_eq!(status, 404);
    assert_eq!(error["errors"][0]["technicalCode"], "error.user.none");
    // The same e-mail is free for another consumer.
    let (status, _, user) =
        bare.send(reqwest::Method::PUT, "/v1/user", Some(r#"{"email":"a@example.org","password":"x"}"#)).await;
    assert_eq!(status, 200);
    assert_eq!(user["email"], "a@example.org");
}

#[tokio::test]
async fn a_consumer_over_its_monthly_quota_gets_429_with_retry_after() {
    let mut config = demo_config();
    config.providers.particeep.consumers.push(ConsumerSeed {
        key: "small".into(),
        secret: "small-secret".into(),
        email: "small@example.org".into(),
        quota_max: 2,
        envelope: false,
        debug: false,
    });
    let mock = start(config).await;
    let small = Caller::new(mock.url(), "small", "small-secret");
    for used in 1..=2 {
        let (status, headers, _) = small.send(reqwest::Method::GET, "/v1/info", None).await;
        assert_eq!(status, 200);
        assert_eq!(headers["request-quota"], used.to_string().as_str());
        assert_eq!(headers["request-quotamax"], "2");
    }
    let (status, headers, error) = small.send(reqwest::Method::GET, "/v1/info", None).await;
    assert_eq!(status, 429);
    assert_eq!(error["errors"][0]["technicalCode"], "error.api.quota.exceeded");
    let retry: u64 = headers["retry-after"].to_str().ok().and_then(|v| v.parse().ok()).unwrap_or_default();
    assert!(retry > 0 && retry <= 31 * 24 * 3600, "{retry}");
}

#[tokio::test]
async fn bad_bodies_are_400_and_lose_nothing() {
    let mock = start(demo_config()).await;
    let caller = Caller::new(mock.url(), DEMO_KEY, DEMO_SECRET);
    let (_, _, created) =
        caller.send(reqwest::Method::PUT, "/v1/user", Some(r#"{"email":"keep@example.org","password":"x"}"#)).await;
    let id = created["result"]["id"].as_str().unwrap_or_default().to_owned();
    for body in [
        "",
        "{",
        "[]",
        r#"{"email": 3, "password": "x"}"#,
        r#"{"email":"b@example.org","password":"x","gender":"OTHER"}"#,
    ] {
        let (status, _, error) = caller.send(reqwest::Method::PUT, "/v1/user", Some(body)).await;
        assert_eq!(status, 400, "{body}: {error}");
        assert_eq!(error["error"]["hasError"], true);
    }
    for body in ["{", r#"{"custom": "text"}"#, r#"{"gender": 1}"#] {
        let (status, _, _) = caller.send(reqwest::Method::POST, &format!("/v1/user/{id}"), Some(body)).await;
        assert_eq!(status, 400, "{body}");
    }
    let (status, _, kept) = caller.send(reqwest::Method::GET, &format!("/v1/user/{id}"), None).await;
    assert_eq!(status, 200);
    assert_eq!(kept["result"]["email"], "keep@example.org");
}

#[tokio::test]
async fn a_webhook_delivery_carries_a_ptp_signature_the_receiver_can_recompute() {
    let received: std::sync::Arc<std::sync::Mutex<Vec<(axum::http::HeaderMap, String)>>> = Default::default();
    let kept = received.clone();
    let receiver = axum::Router::new().fallback(move |headers: axum::http::HeaderMap, body: String| {
        let kept = kept.clone();
        async move {
            kept.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push((headers, body));
            "ok"
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap_or_else(|e| panic!("{e}"));
    let url = format!("http://{}/hook", listener.local_addr().unwrap_or_else(|e| panic!("{e}")));
    tokio::spawn(async move { axum::serve(listener, receiver).await });

    let mock = start(demo_config()).await;
    let caller = Caller::new(mock.url(), DEMO_KEY, DEMO_SECRET);
    let hook = json!({ "name": "user_deleted", "url": url }).to_string();
    assert_eq!(caller.send(reqwest::Method::PUT, "/v1/webhook", Some(&hook)).await.0, 200);
    let (_, _, created) =
        caller.send(reqwest::Method::PUT, "/v1/user", Some(r#"{"email":"gone@example.org","password":"x"}"#)).await;
    let id = created["result"]["id"].as_str().unwrap_or_default().to_owned();
    let (status, _, deleted) = caller.send(reqwest::Method::DELETE, &format!("/v1/user/{id}"), None).await;
    assert_eq!(status, 200);

    let mut delivery = None;
    for _ in 0..250 {
        if let Some(first) = received.lock().unwrap_or_else(std::sync::PoisonError::into_inner).first().cloned() {
            delivery = Some(first);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let (headers, body) = delivery.unwrap_or_else(|| panic!("no delivery within 5 s"));
    assert_eq!(headers["x-particeep-event"], "user_deleted");
    let date_time = headers["datetime"].to_str().unwrap_or_default();
    assert_eq!(headers["authorization"], auth::authorization(DEMO_KEY, DEMO_SECRET, date_time).as_str());
    let payload: Value = serde_json::from_str(&body).unwrap_or_default();
    assert_eq!(payload, deleted["result"], "the event is the bare response body");
}
