//! The Taler twin over real HTTP: status, filters, 204, text/plain, 406, 400/401/403/404, and
//! long-polls released by an admin status change (bounded holds), ETags and 304.

use std::time::{Duration, Instant};

use e2e::{demo_config, start, Running};
use reqwest::header::{ACCEPT, AUTHORIZATION, ETAG, IF_NONE_MATCH};
use serde_json::{json, Value};

const EXCHANGE: &str = "https://exchange.demo.taler.net/";

struct Taler {
    http: reqwest::Client,
    root: String,
}

impl Taler {
    fn new(mock: &Running) -> Self {
        Self { http: reqwest::Client::new(), root: mock.url() }
    }

    async fn get(&self, path: &str, headers: &[(&str, &str)]) -> (u16, reqwest::header::HeaderMap, String) {
        let mut request =
            self.http.get(format!("{}/taler{path}", self.root)).header(AUTHORIZATION, "Bearer secret-token:demo");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.unwrap_or_else(|e| panic!("{path}: {e}"));
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        (status, headers, response.text().await.unwrap_or_default())
    }

    async fn h_wire(&self, instance: &str) -> String {
        let (_, _, body) = self.get(&format!("/instances/{instance}/private/accounts"), &[]).await;
        let accounts: Value = serde_json::from_str(&body).unwrap_or_default();
        accounts["accounts"][0]["h_wire"].as_str().unwrap_or_default().to_owned()
    }

    async fn set_status(&self, instance: &str, h_wire: &str, status: &str, after_ms: Option<u64>) -> Value {
        let mut body = json!({"h_wire": h_wire, "exchange_url": EXCHANGE, "status": status});
        if let Some(after) = after_ms {
            body["after_ms"] = json!(after);
        }
        let response =
            self.http.post(format!("{}/__admin/taler/instances/{instance}/kyc", self.root)).json(&body).send().await;
        response.unwrap_or_else(|e| panic!("{e}")).json().await.unwrap_or_default()
    }
}

fn json_of(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or(Value::Null)
}

#[tokio::test]
async fn the_status_carries_every_field_and_a_strong_etag_for_equal_bodies() {
    let mock = start(demo_config()).await;
    let taler = Taler::new(&mock);
    let (status, headers, body) = taler.get("/private/kyc", &[]).await;
    assert_eq!(status, 200);
    let entry = &json_of(&body)["kyc_data"][0];
    for field in [
        "status",
        "payto_uri",
        "exchange_currency",
        "h_wire",
        "exchange_url",
        "exchange_http_status",
        "no_keys",
        "auth_conflict",
    ] {
        assert!(entry.get(field).is_some(), "{field} in {entry}");
    }
    assert_eq!(entry["status"], "kyc-required");
    assert!(entry.get("exchange_code").is_none(), "optional fields are omitted, not null");
    let (_, again, _) = taler.get("/private/kyc", &[]).await;
    assert_eq!(headers.get(ETAG), again.get(ETAG));
    assert!(headers
        .get(ETAG)
        .and_then(|t| t.to_str().ok())
        .is_some_and(|t| t.starts_with('"') && !t.starts_with("W/")));
    let (_, shop, _) = taler.get("/instances/shop-1/private/kyc", &[]).await;
    assert_ne!(headers.get(ETAG), shop.get(ETAG), "a different body, a different tag");
    let etag = headers.get(ETAG).and_then(|t| t.to_str().ok()).unwrap_or_default().to_owned();
    let (not_modified, _, empty) = taler.get("/private/kyc", &[("if-none-match", &etag)]).await;
    assert_eq!((not_modified, empty.as_str()), (304, ""));
}

#[tokio::test]
async fn filters_select_and_an_empty_selection_is_204() {
    let mock = start(demo_config()).await;
    let taler = Taler::new(&mock);
    let h_wire = taler.h_wire("default").await;
    let (status, _, body) = taler.get(&format!("/private/kyc?h_wire={h_wire}&exchange_url={EXCHANGE}"), &[]).await;
    assert_eq!(status, 200);
    assert_eq!(json_of(&body)["kyc_data"].as_array().map(Vec::len), Some(1));
    let other = taler.h_wire("shop-1").await;
    let (none, _, empty) = taler.get(&format!("/private/kyc?h_wire={other}"), &[]).await;
    assert_eq!((none, empty.as_str()), (204, ""));
    let (elsewhere, _, _) = taler.get("/private/kyc?exchange_url=https://other.example/", &[]).await;
    assert_eq!(elsewhere, 204);
}

#[tokio::test]
async fn text_plain_406_and_every_error_status_come_as_the_backend_sends_them() {
    let mock = start(demo_config()).await;
    let taler = Taler::new(&mock);
    let (status, headers, text) = taler.get("/private/kyc", &[("accept", "text/plain")]).await;
    assert_eq!(status, 200);
    assert!(headers.get("content-type").and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/plain")));
    assert!(text.contains("kyc-required"), "{text}");
    let (preferred, _, _) = taler.get("/private/kyc", &[("accept", "text/plain;q=0.4, application/json")]).await;
    assert_eq!(preferred, 200);
    let (refused, _, body) = taler.get("/private/kyc", &[("accept", "image/png")]).await;
    assert_eq!((refused, body.as_str()), (406, ""));
    for (query, parameter) in [
        ("timeout_ms=soon", "timeout_ms"),
        ("lpt=soon", "lpt"),
        ("h_wire=XYZ", "h_wire"),
        ("lp_status=happy", "lp_status"),
    ] {
        let (status, _, body) = taler.get(&format!("/private/kyc?{query}"), &[]).await;
        assert_eq!(status, 400, "{query}");
        assert_eq!(json_of(&body), json!({"code": 26, "hint": "A parameter is malformed.", "detail": parameter}));
    }
    let unauthenticated =
        taler.http.get(format!("{}/taler/private/kyc", taler.root)).send().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(unauthenticated.status().as_u16(), 401);
    assert_eq!(unauthenticated.json::<Value>().await.unwrap_or_default()["code"], 2015);
    let weak = taler
        .http
        .get(format!("{}/taler/private/kyc", taler.root))
        .header(AUTHORIZATION, "Bearer secret-token:orders-only")
        .send()
        .await;
    assert_eq!(weak.map(|r| r.status().as_u16()).ok(), Some(403));
    let (unknown, _, body) = taler.get("/instances/nope/private/kyc", &[]).await;
    assert_eq!((unknown, json_of(&body)["code"].as_i64()), (404, Some(2000)));
    let (management, _, _) = taler.get("/management/instances/shop-1/kyc", &[]).await;
    assert_eq!(management, 200);
    let (config, _, body) = taler.get("/config", &[]).await;
    let version =
        json_of(&body)["version"].as_str().and_then(|v| v.split(':').next()).and_then(|c| c.parse::<u32>().ok());
    assert!(config == 200 && version >= Some(25), "{body}");
}

#[tokio::test]
async fn a_long_poll_is_released_by_a_status_change_and_held_for_its_timeout_otherwise() {
    let mock = start(demo_config()).await;
    let taler = Taler::new(&mock);
    let h_wire = taler.h_wire("default").await;
    // Held for the whole timeout when nothing changes.
    let started = Instant::now();
    let (status, _, body) = taler.get("/private/kyc?timeout_ms=300&lp_status=ready", &[]).await;
    let held = started.elapsed();
    assert_eq!(status, 200);
    assert_eq!(json_of(&body)["kyc_data"][0]["status"], "kyc-required");
    assert!(held >= Duration::from_millis(300) && held < Duration::from_secs(3), "held {held:?}");
    // Released by a change scheduled 200 ms later, well before a 10 s timeout.
    taler.set_status("default", &h_wire, "ready", Some(200)).await;
    let started = Instant::now();
    let (status, _, body) = taler.get("/private/kyc?timeout_ms=10000&lp_status=ready", &[]).await;
    let held = started.elapsed();
    assert_eq!((status, json_of(&body)["kyc_data"][0]["status"].as_str()), (200, Some("ready")));
    assert!(held >= Duration::from_millis(150) && held < Duration::from_secs(3), "held {held:?}");
    // lp_not_status and lpt return at once when already satisfied.
    let (now, _, _) = taler.get("/private/kyc?timeout_ms=10000&lp_not_status=kyc-required", &[]).await;
    assert_eq!(now, 200);
    let started = Instant::now();
    taler.get("/private/kyc?timeout_ms=10000&lpt=3", &[]).await;
    let held = started.elapsed();
    assert!(held < Duration::from_secs(3), "lpt=3 is met by `ready`: held {held:?}");
}

#[tokio::test]
async fn lp_not_etag_with_if_none_match_ends_in_304_at_the_deadline_or_200_on_change() {
    let mock = start(demo_config()).await;
    let taler = Taler::new(&mock);
    let (_, headers, _) = taler.get("/private/kyc", &[]).await;
    let etag = headers.get(ETAG).and_then(|t| t.to_str().ok()).unwrap_or_default().to_owned();
    let bare = etag.trim_matches('"').to_owned();
    let started = Instant::now();
    let (status, _, body) =
        taler.get(&format!("/private/kyc?timeout_ms=300&lp_not_etag={bare}"), &[(IF_NONE_MATCH.as_str(), &etag)]).await;
    assert_eq!((status, body.as_str()), (304, ""));
    let held = started.elapsed();
    assert!(held >= Duration::from_millis(300), "held until the deadline: {held:?}");

    let h_wire = taler.h_wire("default").await;
    taler.set_status("default", &h_wire, "awaiting-aml-review", Some(150)).await;
    let (status, changed, body) = taler
        .get(&format!("/private/kyc?timeout_ms=10000&lp_not_etag={bare}"), &[(IF_NONE_MATCH.as_str(), &etag)])
        .await;
    assert_eq!(status, 200);
    assert_ne!(changed.get(ETAG).and_then(|t| t.to_str().ok()), Some(etag.as_str()));
    assert_eq!(json_of(&body)["kyc_data"][0]["status"], "awaiting-aml-review");
    let _ = ACCEPT;
}

#[tokio::test]
async fn if_none_match_with_a_timeout_but_no_condition_is_answered_at_once() {
    // `timeout_ms` alone names nothing to wait for; `lp_not_etag` is the parameter that waits for
    // another ETag. So a current tag in If-None-Match gets its 304 at once, not at the deadline.
    let mock = start(demo_config()).await;
    let taler = Taler::new(&mock);
    let (_, headers, _) = taler.get("/private/kyc", &[]).await;
    let etag = headers.get(ETAG).and_then(|t| t.to_str().ok()).unwrap_or_default().to_owned();
    // Answered well before its 10 s timeout, or the test fails.
    let conditional = [(IF_NONE_MATCH.as_str(), etag.as_str())];
    let at_once =
        tokio::time::timeout(Duration::from_secs(5), taler.get("/private/kyc?timeout_ms=10000", &conditional));
    let (status, _, body) = at_once.await.unwrap_or_else(|_| panic!("held instead of answered at once"));
    assert_eq!((status, body.as_str()), (304, ""));
}

#[tokio::test]
async fn two_hundred_waiters_are_all_released_by_one_change() {
    let mock = start(demo_config()).await;
    let taler = std::sync::Arc::new(Taler::new(&mock));
    let h_wire = taler.h_wire("shop-1").await;
    let waiters: Vec<_> = (0..200)
        .map(|_| {
            let taler = taler.clone();
            tokio::spawn(async move {
                taler.get("/instances/shop-1/private/kyc?timeout_ms=20000&lp_not_status=ready", &[]).await.0
            })
        })
        .collect();
    // Wait (bounded) until they are all parked, then change once.
    for _ in 0..200 {
        let state: Value = taler
            .http
            .get(format!("{}/__admin/state/taler", taler.root))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .json()
            .await
            .unwrap_or_default();
        if state["waiting_long_polls"]["shop-1"].as_u64() >= Some(200) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let changed = taler.set_status("shop-1", &h_wire, "kyc-required", None).await;
    assert_eq!(changed["applied"], "now");
    let started = Instant::now();
    let statuses = futures_util::future::join_all(waiters).await;
    let held = started.elapsed();
    assert!(statuses.iter().all(|s| matches!(s, Ok(200))), "every waiter got the new status");
    assert!(held < Duration::from_secs(10), "released by the change, not by their 20 s timeout: {held:?}");
}

#[tokio::test]
async fn a_held_long_poll_is_journaled_with_its_final_answer_and_a_client_that_leaves_frees_its_waiter() {
    let mock = start(demo_config()).await;
    let taler = Taler::new(&mock);
    let h_wire = taler.h_wire("default").await;
    taler.set_status("default", &h_wire, "ready", Some(250)).await;
    let (status, _, _) = taler.get("/private/kyc?timeout_ms=10000&lp_status=ready", &[]).await;
    assert_eq!(status, 200);
    let journal: Value = taler
        .http
        .get(format!("{}/__admin/requests?path=/taler/private/kyc", taler.root))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .json()
        .await
        .unwrap_or_default();
    let entry = &journal["entries"][0];
    assert_eq!(entry["status"], 200, "the entry holds the answer sent after the wait: {journal}");
    assert!(entry["duration_ms"].as_f64().is_some_and(|ms| ms >= 200.0), "the wait is in the duration: {journal}");
    assert!(entry["response_body"].as_str().is_some_and(|b| b.contains("\"ready\"")), "{journal}");

    // A client that gives up: its waiter goes with it.
    let gone = taler
        .http
        .get(format!("{}/taler/private/kyc?timeout_ms=30000&lp_status=awaiting-aml-review", taler.root))
        .header(AUTHORIZATION, "Bearer secret-token:demo")
        .timeout(Duration::from_millis(300))
        .send()
        .await;
    assert!(gone.is_err(), "the client timed out while the twin held the request");
    let mut waiting = None;
    for _ in 0..100 {
        let state: Value = taler
            .http
            .get(format!("{}/__admin/state/taler", taler.root))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .json()
            .await
            .unwrap_or_default();
        waiting = state["waiting_long_polls"]["default"].as_u64();
        if waiting == Some(0) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(waiting, Some(0), "the departed client's waiter was dropped");
}

#[tokio::test]
async fn query_parameters_are_read_as_the_backend_reads_them() {
    let mut config = demo_config();
    config.providers.taler.max_timeout_ms = 200;
    let mock = start(config).await;
    let taler = Taler::new(&mock);
    // `%llu` skips leading white space; the wait is still held (default's status is kyc-required).
    let started = Instant::now();
    let (status, _, _) = taler.get("/private/kyc?timeout_ms=%20150&lp_status=ready", &[]).await;
    let held = started.elapsed();
    assert_eq!(status, 200);
    assert!(held >= Duration::from_millis(150), "held for the spaced timeout: {held:?}");
    // A timeout past the cap (and past u64) is a wait of the cap's length, answered as a timeout.
    let started = Instant::now();
    let (status, _, body) = taler.get("/private/kyc?timeout_ms=99999999999999999999999&lp_status=ready", &[]).await;
    let held = started.elapsed();
    assert_eq!((status, json_of(&body)["kyc_data"][0]["status"].as_str()), (200, Some("kyc-required")));
    assert!(held >= Duration::from_millis(200) && held < Duration::from_secs(3), "held {held:?}");
    // An lpt out of range is ignored: answered at once.
    let at_once = tokio::time::timeout(Duration::from_secs(3), taler.get("/private/kyc?timeout_ms=10000&lpt=4", &[]));
    let (status, _, _) = at_once.await.unwrap_or_else(|_| panic!("lpt=4 was waited on instead of ignored"));
    assert_eq!(status, 200);
    // A parameter given twice counts with its first value: waiting for `ready` (held to the
    // timeout), not answered at once for `kyc-required`.
    let started = Instant::now();
    let (status, _, _) = taler.get("/private/kyc?timeout_ms=150&lp_status=ready&lp_status=kyc-required", &[]).await;
    let held = started.elapsed();
    assert_eq!(status, 200);
    assert!(held >= Duration::from_millis(150), "the first lp_status counts: held {held:?}");
}

#[tokio::test]
async fn config_serves_every_field_up_to_the_version_it_claims_and_none_after() {
    let mock = start(demo_config()).await;
    let (status, _, body) = Taler::new(&mock).get("/config", &[]).await;
    let config = json_of(&body);
    assert_eq!((status, config["version"].as_str()), (200, Some("25:0:9")), "{body}");
    // v21, v23 and v25 (the merchant protocol's `MerchantVersionResponse`).
    assert_eq!(config["have_self_provisioning"], json!(false), "{body}");
    assert_eq!(config["have_donau"], json!(false), "{body}");
    assert_eq!(config["default_persona"], json!("expert"), "{body}");
    assert_eq!(config["report_generators"], json!({}), "{body}");
    assert!(config.get("mandatory_tan_channels").is_none(), "none configured: {body}");
    assert_eq!(config["currencies"]["KUDOS"]["common_amounts"], json!([]), "{body}");

    // A backend configured as v22 has v21's fields and not v23's or v25's; TAN channels when set.
    let mut older = demo_config();
    older.providers.taler.version = "22:0:5".into();
    older.providers.taler.mandatory_tan_channels = vec!["email".into()];
    let older = start(older).await;
    let (_, _, body) = Taler::new(&older).get("/config", &[]).await;
    let config = json_of(&body);
    assert_eq!(config["have_donau"], json!(false), "{body}");
    assert_eq!(config["mandatory_tan_channels"], json!(["email"]), "{body}");
    assert!(config.get("default_persona").is_none() && config.get("report_generators").is_none(), "{body}");

    // A version above what the twin serves all of is refused at start, naming the key.
    let mut newer = demo_config();
    newer.providers.taler.version = "31:0:15".into();
    let (key, message) = newer.validate().err().unwrap_or_default();
    assert!(key == "providers.taler.version" && message.contains("up to 25"), "{key}: {message}");
}
