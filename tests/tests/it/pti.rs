//! The PTI twin over real HTTP: signed requests and user tokens, users, KYC, kyc-needed,
//! transaction monitoring, feedback and fiat funding, the 409 race, and webhooks that a receiver
//! decrypts with the client's key and verifies with PTI's (josekit, as a client would).
//!
//! Over 400 lines: one PTI flow after another (each test reads alone, top to bottom); the shared
//! signing client is `e2e::PtiClient`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;
use e2e::{demo_config, start, Config, PtiClient as Pti};
use mock_server::providers::pti::crypto::{self, KeyPair};
use serde_json::{json, Value};

use e2e::PTI_CLIENT as CLIENT;

fn fast_config() -> Config {
    let mut config = demo_config();
    config.providers.pti.result_delay_ms = 30;
    config.webhooks.initial_backoff_ms = 20;
    config.webhooks.max_backoff_ms = 100;
    config
}

fn person(id: &str, last_name: &str) -> Value {
    json!({
        "id": id, "type": "PERSON",
        "name": {"firstName": "Jane", "lastName": last_name},
        "emails": [{"address": "jane@example.com", "default": true}],
        "addresses": [{"streetAddress": "1 Main St", "city": "Springfield", "country": {"code": "US"}}],
        "dateOfBirth": "1990-01-31"
    })
}

fn transaction(user: &str, amount: f64) -> Value {
    json!({"type": "FUNDING", "date": "2026-11-22T10:00:00Z", "amount": amount, "initiator": {"id": user, "type": "PERSON"}})
}

/// A webhook receiver on loopback: answers `failures` 500s first, then 200, and keeps the bodies.
#[derive(Clone, Default)]
struct Receiver {
    bodies: Arc<Mutex<Vec<String>>>,
    failures: Arc<Mutex<u32>>,
}

impl Receiver {
    async fn start(failures: u32) -> (Self, String) {
        let receiver = Receiver { bodies: Arc::default(), failures: Arc::new(Mutex::new(failures)) };
        let state = receiver.clone();
        let router = Router::new().route(
            "/webhook",
            post(move |body: String| {
                let state = state.clone();
                async move {
                    let mut failures = state.failures.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                    if *failures > 0 {
                        *failures -= 1;
                        return StatusCode::INTERNAL_SERVER_ERROR;
                    }
                    state.bodies.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(body);
                    StatusCode::OK
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap_or_else(|e| panic!("{e}"));
        let url = format!("http://{}/webhook", listener.local_addr().unwrap_or_else(|e| panic!("{e}")));
        tokio::spawn(async move { axum::serve(listener, router).await });
        (receiver, url)
    }

    /// Waits (bounded) until `count` bodies arrived; returns them opened.
    async fn events(&self, count: usize, client: &KeyPair, pti_public: &josekit::jwk::Jwk) -> Vec<Value> {
        for _ in 0..200 {
            let bodies = self.bodies.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
            if bodies.len() >= count {
                return bodies
                    .iter()
                    .map(|b| crypto::open_webhook(b, &client.private_jwk, pti_public).unwrap_or_else(|e| panic!("{e}")))
                    .collect();
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("{count} webhooks did not arrive within 5 s");
    }
}

async fn with_receiver(failures: u32) -> (fintwin::Twin, Pti, Receiver) {
    let mock = start(fast_config()).await;
    let pti = Pti::new(&mock).await;
    let (receiver, url) = Receiver::start(failures).await;
    pti.admin(reqwest::Method::PUT, &format!("/pti/clients/{CLIENT}"), json!({"webhook_url": url})).await;
    (mock, pti, receiver)
}

#[tokio::test]
async fn signed_requests_create_read_and_update_users_and_a_second_create_is_409() {
    let mock = start(fast_config()).await;
    let pti = Pti::new(&mock).await;
    let created = pti.send("POST", "/users", Some(json!({"id": "u-alice", "type": "PERSON"})), &[]).await;
    assert_eq!(created.status, 201, "{}", created.json);
    assert_eq!(created.json["id"], "u-alice");
    assert!(created.json["link"].as_str().is_some_and(|l| l.ends_with("/pti/v0/users/u-alice")), "{}", created.json);
    let again = pti.send("POST", "/users", Some(json!({"id": "u-alice", "type": "PERSON"})), &[]).await;
    assert_eq!((again.status, again.json["code"].as_i64()), (409, Some(4091)));
    let patched = pti
        .send("PATCH", "/users", Some(json!({"id": "u-alice", "type": "PERSON", "name": {"firstName": "Alice"}})), &[])
        .await;
    assert_eq!(patched.status, 200);
    let read = pti.send("GET", "/users/u-alice", None, &[]).await;
    assert_eq!(read.json["name"]["firstName"], "Alice");
    assert_eq!(read.json["status"], "ACTIVE");
    let listed = pti.send("GET", "/users", None, &[]).await;
    assert_eq!(listed.json[0]["id"], "u-alice");
    assert_eq!(pti.send("GET", "/users/nobody", None, &[]).await.status, 404);
    let invalid = pti.send("POST", "/users", Some(json!({"id": "Upper Case", "type": "PERSON"})), &[]).await;
    assert_eq!(invalid.status, 400);
    assert!(invalid.json["message"].as_str().is_some_and(|m| m.contains(".id")), "{}", invalid.json);
}

#[tokio::test]
async fn requests_without_valid_auth_get_401_in_ptis_error_shape() {
    let mock = start(fast_config()).await;
    let pti = Pti::new(&mock).await;
    let url = format!("{}/pti/v0/users", mock.base_url());
    let plain = pti.http.get(&url).send().await.map(|r| r.status().as_u16()).ok();
    assert_eq!(plain, Some(401));
    let unknown = pti
        .http
        .get(&url)
        .header("x-pti-client-id", "11111111-2222-3333-4444-555555555555")
        .header("x-pti-signature", "x.y.z")
        .send()
        .await;
    let unknown: Value = unknown.unwrap_or_else(|e| panic!("{e}")).json().await.unwrap_or_default();
    assert_eq!(unknown["code"], 4014);

    // A body changed after signing no longer matches the signed string.
    let date = "Wed, 15 Apr 2020 16:35:50 GMT";
    let signed = crypto::string_to_sign(
        "POST",
        br#"{"id":"u-bob","type":"PERSON"}"#,
        Some("application/json"),
        date,
        CLIENT,
        "/pti/v0/users",
    );
    let signature = crypto::sign_request(&pti.key, CLIENT, &signed).unwrap_or_default();
    let tampered = pti
        .http
        .post(&url)
        .header("x-pti-client-id", CLIENT)
        .header("x-pti-signature", signature)
        .header("date", date)
        .header("content-type", "application/json")
        .body(r#"{"id":"u-eve","type":"PERSON"}"#)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(tampered.status().as_u16(), 401);
    let body: Value = tampered.json().await.unwrap_or_default();
    assert_eq!(body["code"], 4011);
    assert!(body["message"].as_str().is_some_and(|m| m.contains("does not match") && m.is_ascii()), "{body}");
}

#[tokio::test]
async fn a_user_token_works_once_for_its_url_and_method_only() {
    let mock = start(fast_config()).await;
    let pti = Pti::new(&mock).await;
    pti.send("POST", "/users", Some(json!({"id": "u-tok", "type": "PERSON"})), &[]).await;
    let token = pti.send("POST", "/auth/userToken", Some(json!({"url": "/users/u-tok", "method": "GET"})), &[]).await;
    assert_eq!(token.status, 200, "{}", token.json);
    assert_eq!(token.json["tokenType"], "JWT");
    let jwt = token.json["accessToken"].as_str().unwrap_or_default().to_owned();
    assert!(jwt.len() >= 128, "the spec's minimum length");
    let use_token = |path: &str| {
        pti.http
            .get(format!("{}/pti/v0{path}", mock.base_url()))
            .header("x-pti-client-id", CLIENT)
            .header("x-pti-token", jwt.clone())
            .send()
    };
    assert_eq!(use_token("/users").await.map(|r| r.status().as_u16()).ok(), Some(403), "another URL");
    assert_eq!(use_token("/users/u-tok").await.map(|r| r.status().as_u16()).ok(), Some(200));
    let reused = use_token("/users/u-tok").await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(reused.status().as_u16(), 401);
    assert_eq!(reused.json::<Value>().await.unwrap_or_default()["code"], 4013);
    let alias = pti
        .send("POST", "/auth/jwt", Some(json!({"url": "https://api.pearsurge.io/v0/users", "method": "post"})), &[])
        .await;
    assert_eq!(alias.status, 200);
    let bad = pti.send("POST", "/auth/userToken", Some(json!({"url": "/users", "method": "BREW"})), &[]).await;
    assert_eq!(bad.status, 400);
}

#[tokio::test]
async fn a_kyc_answers_201_then_pending_and_accepted_webhooks_that_decrypt_and_verify() {
    let (_mock, pti, receiver) = with_receiver(0).await;
    pti.send("POST", "/users", Some(json!({"id": "u-kyc", "type": "PERSON"})), &[]).await;
    let started =
        pti.send("POST", "/users/u-kyc/kyc", Some(person("u-kyc", "Doe")), &[("x-pti-request-id", "kyc-1")]).await;
    assert_eq!(started.status, 201, "{}", started.json);
    assert_eq!(started.json["id"], "kyc-1");
    let events = receiver.events(2, &pti.key, &pti.pti_public_key().await).await;
    assert_eq!(events[0]["status"], "PENDING");
    assert_eq!(
        events[1],
        json!({"resourceType": "KYC", "requestId": "kyc-1", "clientId": CLIENT, "userId": "u-kyc", "status": "ACCEPTED", "tier": 3})
    );
    let kyc = pti.send("GET", "/users/u-kyc/kyc", None, &[]).await;
    assert_eq!((kyc.json["status"].as_str(), kyc.json["tier"].as_u64()), (Some("ACCEPTED"), Some(3)));

    let needed = |amount: &'static str, scenario: &'static str| {
        let pti = pti.clone();
        async move {
            pti.send(
                "GET",
                &format!("/users/u-kyc/kyc-needed?amount={amount}"),
                None,
                &[("x-pti-request-id", "kn-1"), ("x-pti-scenario-id", scenario)],
            )
            .await
        }
    };
    assert_eq!(needed("150", "fiat_to_internalCoin").await.json, json!({"kyc_needed": false}));
    assert_eq!(needed("150", "withdrawal_to_erc20").await.json, json!({"kyc_needed": true}));
    assert_eq!(needed("150", "no_such_scenario").await.json["code"], 4001);
    assert_eq!(needed("0", "fiat_to_internalCoin").await.status, 400);
}

#[tokio::test]
async fn transaction_monitoring_accepts_denies_asks_for_information_and_takes_feedback() {
    let (_mock, pti, receiver) = with_receiver(0).await;
    pti.send("POST", "/users", Some(person("u-tx", "Doe")), &[]).await;
    let accepted = pti
        .send(
            "POST",
            "/users/u-tx/transactionLogs",
            Some(transaction("u-tx", 50.0)),
            &[("x-pti-request-id", "tx-ok"), ("x-pti-scenario-id", "fiat_to_internalCoin")],
        )
        .await;
    assert_eq!(accepted.status, 201, "{}", accepted.json);
    let events = receiver.events(2, &pti.key, &pti.pti_public_key().await).await;
    assert_eq!((events[0]["status"].as_str(), events[1]["status"].as_str()), (Some("PENDING"), Some("ACCEPT")));
    assert_eq!(events[1]["resourceType"], "TRANSACTION_MONITORING");

    pti.send(
        "POST",
        "/users/u-tx/transactionLogs",
        Some(transaction("u-tx", 666.0)),
        &[("x-pti-request-id", "tx-deny")],
    )
    .await;
    let events = receiver.events(4, &pti.key, &pti.pti_public_key().await).await;
    assert_eq!(events[3]["status"], "DENY");
    assert_eq!(events[3]["transactionMonitoringResultDetail"]["complianceProviderResponseCode"], "FRAUD_SUSPICION");

    let more = pti
        .send(
            "POST",
            "/users/u-tx/transactionLogs",
            Some(transaction("u-tx", 50.0)),
            &[("x-pti-request-id", "tx-406"), ("x-pti-scenario-id", "withdrawal_to_erc20")],
        )
        .await;
    assert_eq!(more.status, 406, "{}", more.json);
    assert_eq!(more.json["fields"], json!(["/piis/0/value"]));
    assert!(more.json["url"].is_string());

    let logged = pti.send("GET", "/users/u-tx/transactionLogs/tx-ok", None, &[]).await;
    assert_eq!(logged.json["amount"], 50.0);
    let feedback = pti
        .send(
            "POST",
            "/transactions/tx-ok/feedback",
            Some(json!({"feedback": "SETTLED", "transactionId": "0xabc123"})),
            &[],
        )
        .await;
    assert_eq!((feedback.status, feedback.json["id"].as_str()), (201, Some("tx-ok")));
    assert_eq!(
        pti.send("POST", "/transactions/nope/feedback", Some(json!({"feedback": "SETTLED"})), &[]).await.status,
        404
    );
    assert_eq!(
        pti.send("POST", "/transactions/tx-ok/feedback", Some(json!({"feedback": "MAYBE"})), &[]).await.status,
        400
    );
    let missing_id = pti.send("POST", "/users/u-tx/transactionLogs", Some(transaction("u-tx", 5.0)), &[]).await;
    assert_eq!(missing_id.status, 400);
}

#[tokio::test]
async fn one_request_id_sent_ten_times_at_once_creates_exactly_one_kyc() {
    let mock = start(fast_config()).await;
    let pti = Pti::new(&mock).await;
    pti.send("POST", "/users", Some(json!({"id": "u-race", "type": "PERSON"})), &[]).await;
    let attempts = (0..10).map(|_| {
        let pti = pti.clone();
        async move {
            pti.send(
                "POST",
                "/users/u-race/kyc",
                Some(json!({"id": "u-race", "type": "PERSON"})),
                &[("x-pti-request-id", "race-1")],
            )
            .await
            .status
        }
    });
    let mut statuses = futures_util::future::join_all(attempts).await;
    statuses.sort_unstable();
    assert_eq!(statuses, [201, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    let reused = pti
        .send(
            "POST",
            "/users/u-race/transactionLogs",
            Some(transaction("u-race", 5.0)),
            &[("x-pti-request-id", "race-1")],
        )
        .await;
    assert_eq!(reused.status, 409, "the namespace is shared across KYC and transactions");
}

#[tokio::test]
async fn a_funding_goes_pending_authorized_settled_in_order_and_402_is_refused() {
    let (_mock, pti, receiver) = with_receiver(0).await;
    pti.send("POST", "/users", Some(json!({"id": "u-fund", "type": "PERSON"})), &[]).await;
    let mut body = transaction("u-fund", 100.0);
    body["sourceMethod"] = json!({"currency": "USD", "paymentInformation": {"type": "ENCRYPTED_CREDIT_CARD", "creditCardNumberHash": "abc"}});
    let funded = pti
        .send("POST", "/users/u-fund/transactions/fiat/funding", Some(body.clone()), &[("x-pti-request-id", "fund-1")])
        .await;
    assert_eq!(funded.status, 201, "{}", funded.json);
    let events = receiver.events(3, &pti.key, &pti.pti_public_key().await).await;
    let statuses: Vec<&str> = events.iter().filter_map(|e| e["status"].as_str()).collect();
    assert_eq!(statuses, ["PENDING", "AUTHORIZED", "SETTLED"]);
    assert_eq!(events[2]["resourceType"], "PAYMENT_PROCESSOR");
    body["amount"] = json!(402);
    pti.send("POST", "/users/u-fund/transactions/fiat/funding", Some(body), &[("x-pti-request-id", "fund-2")]).await;
    let events = receiver.events(5, &pti.key, &pti.pti_public_key().await).await;
    assert_eq!(events[4]["status"], "REFUSED");
    assert_eq!(events[4]["transactionStatusDetail"]["providerResponseCode"], "PAYMENT_PROVIDER_DECLINED");
}

#[tokio::test]
async fn a_receiver_that_fails_twice_gets_the_webhook_on_the_third_attempt() {
    let (_mock, pti, receiver) = with_receiver(2).await;
    pti.send("POST", "/users", Some(json!({"id": "u-retry", "type": "PERSON"})), &[]).await;
    pti.send(
        "POST",
        "/users/u-retry/kyc",
        Some(json!({"id": "u-retry", "type": "PERSON"})),
        &[("x-pti-request-id", "kyc-retry")],
    )
    .await;
    let events = receiver.events(2, &pti.key, &pti.pti_public_key().await).await;
    assert_eq!(events[0]["status"], "PENDING", "order is kept across retries");
    let log = pti.admin(reqwest::Method::GET, "/webhooks?provider=pti", json!({})).await;
    let first = log["deliveries"]
        .as_array()
        .and_then(|d| d.iter().find(|d| d["summary"]["status"] == "PENDING"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(first["state"], "delivered");
    let statuses: Vec<Value> =
        first["attempts"].as_array().map(|a| a.iter().map(|x| x["status"].clone()).collect()).unwrap_or_default();
    assert_eq!(statuses, [json!(500), json!(500), json!(200)]);
}

#[tokio::test]
async fn admin_decisions_and_user_status_drive_outcomes() {
    let (_mock, pti, receiver) = with_receiver(0).await;
    pti.send("POST", "/users", Some(json!({"id": "u-adm", "type": "PERSON"})), &[]).await;
    let queued = pti
        .admin(
            reqwest::Method::POST,
            "/pti/decisions",
            json!({"kind": "transaction", "user_id": "u-adm", "status": "DENY", "reason": "SANCTION_SCREENING"}),
        )
        .await;
    assert_eq!(queued["applied"], "queued");
    pti.send(
        "POST",
        "/users/u-adm/transactionLogs",
        Some(transaction("u-adm", 10.0)),
        &[("x-pti-request-id", "adm-1")],
    )
    .await;
    let events = receiver.events(2, &pti.key, &pti.pti_public_key().await).await;
    assert_eq!(events[1]["status"], "DENY");
    let later = pti
        .admin(
            reqwest::Method::POST,
            "/pti/decisions",
            json!({"kind": "transaction", "request_id": "adm-1", "status": "ACCEPT"}),
        )
        .await;
    assert_eq!(later["applied"], "now");
    let events = receiver.events(3, &pti.key, &pti.pti_public_key().await).await;
    assert_eq!(events[2]["status"], "ACCEPT");

    pti.admin(reqwest::Method::POST, "/pti/users/u-adm/status", json!({"status": "BLOCKED"})).await;
    let blocked = pti
        .send(
            "POST",
            "/users/u-adm/kyc",
            Some(json!({"id": "u-adm", "type": "PERSON"})),
            &[("x-pti-request-id", "adm-2")],
        )
        .await;
    assert_eq!((blocked.status, blocked.json["code"].as_i64()), (403, Some(4031)));
}

#[tokio::test]
async fn without_a_webhook_url_or_with_webhooks_disabled_nothing_is_sent_but_the_log_says_why() {
    let mock = start(fast_config()).await;
    let pti = Pti::new(&mock).await;
    pti.send("POST", "/users", Some(json!({"id": "u-quiet", "type": "PERSON"})), &[]).await;
    pti.send(
        "POST",
        "/users/u-quiet/kyc",
        Some(json!({"id": "u-quiet", "type": "PERSON"})),
        &[("x-pti-request-id", "quiet-1"), ("x-pti-disable-webhook", "true")],
    )
    .await;
    let log = pti.admin(reqwest::Method::GET, "/webhooks", json!({})).await;
    let first = &log["deliveries"][0];
    assert_eq!(first["state"], "not_sent");
    assert!(first["note"].as_str().is_some_and(|n| n.contains("disable")), "{first}");
}

#[tokio::test]
async fn a_client_over_its_rate_limit_gets_429_with_retry_after_in_the_v0_error_shape() {
    let mut config = fast_config();
    config.providers.pti.throttle.default =
        Some(mock_server::behaviour::throttle::RateLimit { per_second: 0.5, burst: 2 });
    let mock = start(config).await;
    let pti = Pti::new(&mock).await;
    let mut last = None;
    for _ in 0..3 {
        last = Some(pti.send("GET", "/users", None, &[]).await);
    }
    let last = last.unwrap_or_else(|| panic!("no reply"));
    assert_eq!(last.status, 429);
    assert_eq!(last.json["code"], 4290);
    let raw = pti
        .http
        .get(format!("{}/pti/v0/users", mock.base_url()))
        .header("x-pti-client-id", CLIENT)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(raw.headers().get("retry-after").is_some());
}

#[tokio::test]
async fn bodies_are_checked_against_the_published_schemas_and_errors_name_the_field() {
    let mock = start(fast_config()).await;
    let pti = Pti::new(&mock).await;
    let mut user = person("u-schema", "Doe");
    user["emails"][0]["address"] = json!("not-an-email");
    let refused = pti.send("POST", "/users", Some(user), &[]).await;
    assert_eq!(refused.status, 400);
    assert!(
        refused.json["message"].as_str().is_some_and(|m| m.starts_with("body.emails[0].address:")),
        "{}",
        refused.json
    );
    let business = pti.send("POST", "/users", Some(json!({"id": "acme", "type": "BUSINESS"})), &[]).await;
    assert!(business.json["message"].as_str().is_some_and(|m| m.contains("mainRepresentative")), "{}", business.json);
    pti.send("POST", "/users", Some(json!({"id": "u-schema", "type": "PERSON"})), &[]).await;
    let mut tx = transaction("u-schema", 50.0);
    tx["date"] = json!("yesterday");
    let bad_date =
        pti.send("POST", "/users/u-schema/transactionLogs", Some(tx), &[("x-pti-request-id", "bad-date")]).await;
    assert!(bad_date.json["message"].as_str().is_some_and(|m| m.starts_with("body.date:")), "{}", bad_date.json);
    let too_much = pti
        .send(
            "POST",
            "/users/u-schema/transactionLogs",
            Some(transaction("u-schema", 1_000_000.0)),
            &[("x-pti-request-id", "too-much")],
        )
        .await;
    assert!(too_much.json["message"].as_str().is_some_and(|m| m.starts_with("body.amount:")), "{}", too_much.json);
}

#[tokio::test]
async fn the_config_sets_the_outcome_when_nothing_else_decides() {
    let mut config = fast_config();
    config.providers.pti.outcomes.transaction = "MANUAL_REVIEW".into();
    let mock = start(config).await;
    let pti = Pti::new(&mock).await;
    let (receiver, url) = Receiver::start(0).await;
    pti.admin(reqwest::Method::PUT, &format!("/pti/clients/{CLIENT}"), json!({"webhook_url": url})).await;
    pti.send("POST", "/users", Some(json!({"id": "u-conf", "type": "PERSON"})), &[]).await;
    pti.send(
        "POST",
        "/users/u-conf/transactionLogs",
        Some(transaction("u-conf", 10.0)),
        &[("x-pti-request-id", "conf-1")],
    )
    .await;
    let events = receiver.events(2, &pti.key, &pti.pti_public_key().await).await;
    assert_eq!(events[1]["status"], "MANUAL_REVIEW");
    let mut bad = fast_config();
    bad.providers.pti.outcomes.kyc = "PERHAPS".into();
    assert!(bad.validate().is_err());
}

#[tokio::test]
async fn a_user_token_sent_by_eight_requests_at_once_is_accepted_exactly_once() {
    let mock = start(fast_config()).await;
    let pti = Pti::new(&mock).await;
    pti.send("POST", "/users", Some(json!({"id": "u-race-token", "type": "PERSON"})), &[]).await;
    let token =
        pti.send("POST", "/auth/userToken", Some(json!({"url": "/users/u-race-token", "method": "GET"})), &[]).await;
    assert_eq!(token.status, 200, "{}", token.json);
    let jwt = token.json["accessToken"].as_str().unwrap_or_default().to_owned();
    let attempts = (0..8).map(|_| {
        pti.http
            .get(format!("{}/pti/v0/users/u-race-token", mock.base_url()))
            .header("x-pti-client-id", CLIENT)
            .header("x-pti-token", jwt.clone())
            .send()
    });
    let statuses: Vec<u16> = futures_util::future::join_all(attempts)
        .await
        .into_iter()
        .map(|reply| reply.map(|r| r.status().as_u16()).unwrap_or(0))
        .collect();
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 401).count(), 7, "the rest are reused tokens: {statuses:?}");
}

/// Issue 26: what Schemathesis found with PTI's own v0 spec, each refused or accepted as the spec says.
#[tokio::test]
async fn what_generated_tests_found_with_ptis_own_spec_is_answered_as_the_spec_says() {
    let mock = start(fast_config()).await;
    let pti = Pti::new(&mock).await;
    pti.send("POST", "/users", Some(person("u-st", "Doe")), &[]).await;
    // 1. A KYC body is the user schema: a payment information that is no object naming its type is refused and not stored.
    let mut kyc = person("u-st", "Doe");
    kyc["paymentInformation"] = json!([""]);
    let refused = pti.send("POST", "/users/u-st/kyc", Some(kyc), &[("x-pti-request-id", "stkyc1")]).await;
    assert_eq!(refused.status, 400, "{}", refused.json);
    let stored = pti.send("GET", "/users/u-st", None, &[]).await;
    assert!(stored.json.get("paymentInformation").is_none(), "{}", stored.json);
    // 2. `format: email` is checked, not only the pattern (which `x@a_b.com` matches).
    let mut odd = person("u-mail", "Doe");
    odd["emails"][0]["address"] = json!("x@a_b.com");
    assert_eq!(pti.send("POST", "/users", Some(odd.clone()), &[]).await.status, 400);
    odd["id"] = json!("u-st");
    assert_eq!(pti.send("PATCH", "/users", Some(odd), &[]).await.status, 400);
    // 3. A funding that needs more about the user: 406 in the `error` shape (no inputRequest there).
    let mut funding = transaction("u-st", 50.0);
    funding["sourceMethod"] = json!({"currency": "USD", "paymentInformation": {"type": "ENCRYPTED_CREDIT_CARD", "creditCardNumberHash": "abc"}});
    let more = pti
        .send(
            "POST",
            "/users/u-st/transactions/fiat/funding",
            Some(funding),
            &[("x-pti-request-id", "st-fund"), ("x-pti-scenario-id", "withdrawal_to_erc20")],
        )
        .await;
    assert_eq!(more.status, 406, "{}", more.json);
    let error = jsonschema::validator_for(&e2e::schema("pti/error.json")).unwrap_or_else(|e| panic!("{e}"));
    assert!(error.is_valid(&more.json), "the v0 `error` shape: {}", more.json);
    assert!(more.json["message"].as_str().is_some_and(|m| m.contains("/piis/0/value") && m.contains("kyc-form")));
    // 4. A feedback body the spec requires nothing in is taken.
    pti.send(
        "POST",
        "/users/u-st/transactionLogs",
        Some(transaction("u-st", 5.0)),
        &[("x-pti-request-id", "st-log"), ("x-pti-scenario-id", "fiat_to_internalCoin")],
    )
    .await;
    let feedback = pti.send("POST", "/transactions/st-log/feedback", Some(json!({})), &[]).await;
    assert_eq!(feedback.status, 201, "{}", feedback.json);
    // 5. A user token's method follows the spec's maxLength 6: OPTIONS and CONNECT are refused.
    for method in ["OPTIONS", "CONNECT"] {
        let token = pti.send("POST", "/auth/userToken", Some(json!({"url": "/users", "method": method})), &[]).await;
        assert_eq!(token.status, 400, "{method}: {}", token.json);
    }
}

/// Issue 26's property: bodies drawn from our published user, KYC and feedback schemas (the
/// strategies `conformance probe` uses) are taken, and bodies broken in one field are refused and
/// not stored.
#[tokio::test(flavor = "multi_thread")]
async fn generated_valid_bodies_are_taken_and_broken_ones_refused_and_not_stored() {
    use proptest::strategy::{Strategy, ValueTree};
    let mock = start(fast_config()).await;
    let pti = Pti::new(&mock).await;
    let user_schema = e2e::schema("pti/user.json");
    let validator =
        jsonschema::options().should_validate_formats(true).build(&user_schema).unwrap_or_else(|e| panic!("{e}"));
    let strategy = conformance::runner::generate::values(&user_schema, &user_schema);
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let (mut taken, mut refusals) = (0, Vec::new());
    for n in 0..40 {
        let Ok(tree) = strategy.new_tree(&mut runner) else { continue };
        let mut body = tree.current();
        if !validator.is_valid(&body) {
            continue;
        }
        let id = format!("gen-{n}");
        body["id"] = json!(id);
        let created = pti.send("POST", "/users", Some(body.clone()), &[]).await;
        match created.status {
            201 => taken += 1,
            _ => refusals.push(format!("{}: {}", created.json, body)),
        }
        // The same body with one value broken: an e-mail that is no e-mail.
        let mut broken = body.clone();
        broken["id"] = json!(format!("gen-broken-{n}"));
        broken["emails"] = json!([{ "address": "x@a_b.com" }]);
        let refused = pti.send("POST", "/users", Some(broken), &[]).await;
        assert_eq!(refused.status, 400, "{}", refused.json);
        let stored = pti.send("GET", &format!("/users/gen-broken-{n}"), None, &[]).await;
        assert_eq!(stored.status, 404, "a refused user is not stored");
    }
    println!("taken {taken}, refused {}: {refusals:#?}", refusals.len());
    assert!(taken >= 10, "only {taken} generated users were valid and taken");
    assert!(refusals.is_empty(), "valid bodies refused: {refusals:#?}");

    // KYC bodies are user bodies: a valid one for a taken user starts its KYC.
    let mut kycs = 0;
    for n in 0..40 {
        let Ok(tree) = strategy.new_tree(&mut runner) else { continue };
        let mut body = tree.current();
        body["id"] = json!("gen-kyc");
        if !validator.is_valid(&body) {
            continue;
        }
        if kycs == 0 {
            let created = pti.send("POST", "/users", Some(body.clone()), &[]).await;
            assert_eq!(created.status, 201, "{}", created.json);
        }
        let request = format!("gen-kyc-{n}");
        let started =
            pti.send("POST", "/users/gen-kyc/kyc", Some(body.clone()), &[("x-pti-request-id", &request)]).await;
        assert_eq!(started.status, 201, "a valid KYC body refused: {} for {body}", started.json);
        kycs += 1;
    }
    assert!(kycs >= 5, "only {kycs} KYC bodies");

    // Feedback bodies: every valid one is taken (the empty one too), a broken one is refused.
    pti.send(
        "POST",
        "/users/gen-kyc/transactionLogs",
        Some(transaction("gen-kyc", 5.0)),
        &[("x-pti-request-id", "gen-log"), ("x-pti-scenario-id", "fiat_to_internalCoin")],
    )
    .await;
    let feedback_schema = e2e::schema("pti/transactionFeedbackType.json");
    let feedbacks = conformance::runner::generate::values(&feedback_schema, &feedback_schema);
    let feedback_valid =
        jsonschema::options().should_validate_formats(true).build(&feedback_schema).unwrap_or_else(|e| panic!("{e}"));
    let mut sent = 0;
    for _ in 0..20 {
        let Ok(tree) = feedbacks.new_tree(&mut runner) else { continue };
        let body = tree.current();
        if !feedback_valid.is_valid(&body) {
            continue;
        }
        sent += 1;
        let taken = pti.send("POST", "/transactions/gen-log/feedback", Some(body.clone()), &[]).await;
        assert_eq!(taken.status, 201, "a valid feedback refused: {} for {body}", taken.json);
    }
    assert!(sent >= 5, "only {sent} feedback bodies");
    let broken = pti.send("POST", "/transactions/gen-log/feedback", Some(json!({"feedback": "MAYBE"})), &[]).await;
    assert_eq!(broken.status, 400);
}
