//! The Particeep twin over real HTTP: the document's vector accepted with the skew window off, the
//! window, consumers kept apart, a consumer added by a reload, the monthly quota (429), bad bodies
//! (400, never 5xx, nothing lost), and a signed webhook a receiver can verify.
//!
//! Over 400 lines: one provider's HTTP behaviours, each a short test over the same signed caller.

use e2e::{demo_config, start};
use mock_server::providers::particeep::auth;
use mock_server::providers::particeep::{
    config::ConsumerSeed,
    seed::{DEMO_KEY, DEMO_SECRET},
};
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
        let mut request = self.http.request(method, format!("{}/particeep{path}", self.root));
        for (name, value) in auth::signed_headers(&self.key, &self.secret, chrono::Utc::now()) {
            request = request.header(name, value);
        }
        if let Some(body) = body {
            request = request.header("content-type", "application/json").body(body.to_owned());
        }
        let response = request.send().await.unwrap_or_else(|e| panic!("{path}: {e}"));
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        (status, headers, response.json().await.unwrap_or_default())
    }

    /// Creates a user with this e-mail (`PUT /v1/user`); answers its id.
    async fn create_user(&self, email: &str) -> String {
        let body = json!({"email": email, "password": "x"}).to_string();
        let (status, _, created) = self.send(reqwest::Method::PUT, "/v1/user", Some(&body)).await;
        assert_eq!(status, 200, "{created}");
        created["result"]["id"].as_str().unwrap_or_default().to_owned()
    }
}

#[tokio::test]
async fn the_documents_vector_is_accepted_when_the_skew_window_is_off() {
    let mut config = demo_config();
    config.providers.particeep.clock_skew_secs = None;
    let mock = start(config).await;
    let response = reqwest::Client::new()
        .get(format!("{}/particeep/v1/info", mock.base_url()))
        .header("DateTime", "2015-10-19T11:04:18Z")
        .header("Authorization", "PTP:1234567890:YzgwZWEyYjJjOWY4ZTZlNTA5NzgzZWU2N2IzZWNhMGFhMDZhY2RkMA==")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(response.status().as_u16(), 200);
    let upper = reqwest::Client::new()
        .get(format!("{}/particeep/v1/info", mock.base_url()))
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
    let sandbox = Caller::new(mock.base_url(), DEMO_KEY, DEMO_SECRET);
    let bare = Caller::new(mock.base_url(), "bare-demo-key", "bare-demo-secret");
    let id = sandbox.create_user("a@example.org").await;
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
async fn a_consumer_a_reload_adds_is_let_in_at_once_and_the_users_made_before_stay() {
    let twin = start(demo_config()).await;
    let sandbox = Caller::new(twin.base_url(), DEMO_KEY, DEMO_SECRET);
    let newcomer = Caller::new(twin.base_url(), "reloaded-key", "reloaded-secret");
    let id = sandbox.create_user("before@example.org").await;
    let (status, _, _) = newcomer.send(reqwest::Method::GET, "/v1/info", None).await;
    assert_eq!(status, 403, "an unknown key, before the reload");

    let mut config = twin.config();
    config.providers.particeep.consumers.push(ConsumerSeed {
        key: "reloaded-key".into(),
        secret: "reloaded-secret".into(),
        email: "reloaded@example.org".into(),
        quota_max: 0,
        envelope: true,
        debug: false,
        signature: Default::default(),
        models: Default::default(),
    });
    let reloaded = twin.reload(config).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(reloaded.changed, ["providers.particeep.consumers"]);
    let (status, _, info) = newcomer.send(reqwest::Method::GET, "/v1/info", None).await;
    assert_eq!(status, 200, "the new consumer at once: {info}");
    let (status, _, user) = sandbox.send(reqwest::Method::GET, &format!("/v1/user/{id}"), None).await;
    assert_eq!((status, &user["result"]["email"]), (200, &json!("before@example.org")), "the state stays: {user}");
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
        signature: Default::default(),
        models: Default::default(),
    });
    let mock = start(config).await;
    let small = Caller::new(mock.base_url(), "small", "small-secret");
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
    let caller = Caller::new(mock.base_url(), DEMO_KEY, DEMO_SECRET);
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
    let caller = Caller::new(mock.base_url(), DEMO_KEY, DEMO_SECRET);
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

/// Creates a user and its wallet; returns the wallet id.
async fn user_with_wallet(caller: &Caller, name: &str) -> String {
    let body = json!({ "email": format!("{name}@example.org"), "password": "x" }).to_string();
    let (status, _, user) = caller.send(reqwest::Method::PUT, "/v1/user", Some(&body)).await;
    assert_eq!(status, 200, "{user}");
    let wallet = json!({
        "owner_id": user["result"]["id"], "owner_type": "USER", "wallet_type": "NATURAL",
        "email": format!("{name}@example.org"), "first_name": name, "last_name": "Race"
    });
    let (status, _, wallet) = caller.send(reqwest::Method::PUT, "/v1/wallet", Some(&wallet.to_string())).await;
    assert_eq!(status, 200, "{wallet}");
    wallet["result"]["id"].as_str().unwrap_or_default().to_owned()
}

/// Cashes `amount` cents in by card and has the admin API accept it.
async fn fund(caller: &Caller, admin: &str, wallet: &str, amount: i64) {
    let cash_in = json!({
        "amount": amount, "accept_url": "https://x.example/ok", "decline_url": "https://x.example/ko",
        "pending_url": "https://x.example/wait", "owner_ip": "127.0.0.1"
    });
    let (status, _, url) =
        caller.send(reqwest::Method::POST, &format!("/v1/wallet/{wallet}/cashin"), Some(&cash_in.to_string())).await;
    assert_eq!(status, 200, "{url}");
    let id = url["result"].as_str().and_then(|u| u.rsplit('/').next()).unwrap_or_default().to_owned();
    let settled = reqwest::Client::new()
        .post(format!("{admin}/__admin/particeep/payments/{id}/succeed"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(settled.status().as_u16(), 200);
}

async fn balance(caller: &Caller, wallet: &str) -> i64 {
    let (status, _, body) = caller.send(reqwest::Method::GET, &format!("/v1/wallet/{wallet}"), None).await;
    assert_eq!(status, 200, "{body}");
    body["result"]["amount"].as_i64().unwrap_or(i64::MIN)
}

#[tokio::test]
async fn transfers_racing_in_every_direction_keep_the_sum_and_never_overdraw() {
    let mock = start(demo_config()).await;
    let caller = std::sync::Arc::new(Caller::new(mock.base_url(), DEMO_KEY, DEMO_SECRET));
    let mut wallets = Vec::new();
    for name in ["ann", "bob", "cat", "dan"] {
        let wallet = user_with_wallet(&caller, name).await;
        fund(&caller, &mock.base_url(), &wallet, 10_000).await;
        wallets.push(wallet);
    }
    // 240 transfers between every pair, in both directions, with amounts that often exceed
    // what the debited wallet holds by then.
    let mut tasks = tokio::task::JoinSet::new();
    for round in 0..240_usize {
        let caller = caller.clone();
        let from = wallets[round % 4].clone();
        let to = wallets[(round / 4 + round + 1) % 4].clone();
        let amount = 500 + (round * 997) % 4_000;
        tasks.spawn(async move {
            if from == to {
                return 0;
            }
            let body = json!({ "debited_wallet_id": from, "credited_wallet_id": to, "amount": amount }).to_string();
            let (status, _, answer) = caller.send(reqwest::Method::POST, "/v1/wallet/transfer", Some(&body)).await;
            assert!(status == 200 || status == 400, "{status}: {answer}");
            if status == 400 {
                assert_eq!(answer["error"]["errors"][0]["technicalCode"], "error.wallet.balance.insufficient");
            }
            u32::from(status == 200)
        });
    }
    let mut passed = 0;
    while let Some(result) = tasks.join_next().await {
        passed += result.unwrap_or_else(|e| panic!("{e}"));
    }
    assert!(passed > 0, "some transfers must pass");
    let mut sum = 0;
    for wallet in &wallets {
        let amount = balance(&caller, wallet).await;
        assert!(amount >= 0, "{wallet} went negative: {amount}");
        sum += amount;
    }
    assert_eq!(sum, 40_000, "money was lost or made");
    let (_, _, ledger) =
        caller.send(reqwest::Method::GET, "/v1/wallet/search?operations=WALLET_PAYMENT&limit=1", None).await;
    assert_eq!(ledger["result"]["total_size"], passed, "the ledger holds exactly the transfers that passed");
}

#[tokio::test]
async fn rejected_money_movements_change_no_balance_and_no_ledger() {
    let mock = start(demo_config()).await;
    let caller = Caller::new(mock.base_url(), DEMO_KEY, DEMO_SECRET);
    let ann = user_with_wallet(&caller, "ann").await;
    let bob = user_with_wallet(&caller, "bob").await;
    fund(&caller, &mock.base_url(), &ann, 1_000).await;
    let state = || async {
        let state: Value = reqwest::get(format!("{}/__admin/state/particeep", mock.base_url()))
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .json()
            .await
            .unwrap_or_default();
        let consumer = &state["consumers"][DEMO_KEY];
        (consumer["wallets"].clone(), consumer["wallet_transactions"].clone(), consumer["pending_payments"].clone())
    };
    let before = state().await;
    let rejected = [
        json!({ "debited_wallet_id": ann, "credited_wallet_id": bob, "amount": 1_001 }),
        json!({ "debited_wallet_id": ann, "credited_wallet_id": "nope", "amount": 10 }),
        json!({ "debited_wallet_id": "nope", "credited_wallet_id": bob, "amount": 10 }),
        json!({ "debited_wallet_id": ann, "credited_wallet_id": bob, "amount": -5 }),
        json!({ "debited_wallet_id": ann, "credited_wallet_id": bob, "amount": 5, "fees": 6 }),
        json!({ "debited_wallet_id": ann, "credited_wallet_id": bob, "amount": "ten" }),
        json!({ "debited_wallet_id": ann, "credited_wallet_id": bob, "amount": 1e300 }),
    ];
    for body in rejected {
        let (status, _, answer) =
            caller.send(reqwest::Method::POST, "/v1/wallet/transfer", Some(&body.to_string())).await;
        assert!(status == 400 || status == 404, "{body}: {status} {answer}");
        assert_eq!(answer["error"]["hasError"], true, "{answer}");
    }
    let (status, _, _) =
        caller.send(reqwest::Method::POST, &format!("/v1/wallet/{bob}/cashout"), Some(r#"{"amount": 1}"#)).await;
    assert_eq!(status, 400, "a LIGHT wallet cannot cash out");
    assert_eq!(state().await, before);
}

#[tokio::test]
async fn configured_automatic_outcomes_decide_kyc_and_card_payments() {
    let mut config = demo_config();
    config.providers.particeep.kyc.decision = mock_server::providers::particeep::config::AutoDecision::Accept;
    config.providers.particeep.kyc.decision_delay_ms = 20;
    config.providers.particeep.payments.card_decision = mock_server::providers::particeep::config::AutoDecision::Refuse;
    config.providers.particeep.payments.card_delay_ms = 20;
    let mock = start(config).await;
    let caller = Caller::new(mock.base_url(), DEMO_KEY, DEMO_SECRET);
    let wallet = user_with_wallet(&caller, "eve").await;
    let (_, _, owner) = caller.send(reqwest::Method::GET, &format!("/v1/wallet/{wallet}"), None).await;
    let owner = owner["result"]["owner_id"].as_str().unwrap_or_default().to_owned();
    let kyc = json!({ "owner_id": owner, "owner_type": "USER", "user_type": "NATURAL" }).to_string();
    assert_eq!(caller.send(reqwest::Method::PUT, "/v1/kycs", Some(&kyc)).await.0, 200);
    let docs = json!({ "owner_id": owner, "owner_type": "USER", "docs": [
        { "doc_type": "ID_CARD", "urls": ["https://f.example/1"] }, { "doc_type": "ADDRESS_PROOF", "urls": ["https://f.example/2"] }
    ]});
    assert_eq!(caller.send(reqwest::Method::POST, "/v1/kycs", Some(&docs.to_string())).await.0, 200);
    let ask = format!("/v1/kycs/askValidation/owner/{owner}/USER");
    assert_eq!(caller.send(reqwest::Method::POST, &ask, None).await.0, 200);
    let cash_in = json!({
        "amount": 1000, "accept_url": "https://x.example/ok", "decline_url": "https://x.example/ko",
        "pending_url": "https://x.example/wait", "owner_ip": "127.0.0.1"
    });
    let cash_in_path = format!("/v1/wallet/{wallet}/cashin");
    assert_eq!(caller.send(reqwest::Method::POST, &cash_in_path, Some(&cash_in.to_string())).await.0, 200);
    // Polls, bounded: the outcomes are due 20 ms after the calls.
    let mut decided = (String::new(), String::new());
    for _ in 0..100 {
        let (_, _, group) = caller.send(reqwest::Method::GET, &format!("/v1/kycs/owner/{owner}/USER"), None).await;
        let (_, _, moves) = caller.send(reqwest::Method::GET, &format!("/v1/wallet/{wallet}/transactions"), None).await;
        decided = (
            group["result"][0]["status"].as_str().unwrap_or_default().to_owned(),
            moves["result"]["data"][0]["status"].as_str().unwrap_or_default().to_owned(),
        );
        if decided.0 == "VALIDATED" && decided.1 == "FAILED" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(decided, ("VALIDATED".to_owned(), "FAILED".to_owned()));
    let (_, _, wallet_now) = caller.send(reqwest::Method::GET, &format!("/v1/wallet/{wallet}"), None).await;
    assert_eq!(wallet_now["result"]["status"], "CONFIRMED");
    assert_eq!(wallet_now["result"]["amount"], 0);
}

#[tokio::test]
async fn one_email_created_twelve_times_at_once_makes_exactly_one_user() {
    let mock = start(demo_config()).await;
    let caller = Caller::new(mock.base_url(), DEMO_KEY, DEMO_SECRET);
    let attempts = (0..12)
        .map(|_| caller.send(reqwest::Method::PUT, "/v1/user", Some(r#"{"email":"race@example.org","password":"x"}"#)));
    let replies = futures_util::future::join_all(attempts).await;
    let created: Vec<&Value> =
        replies.iter().filter(|(status, _, _)| *status == 200).map(|(_, _, body)| body).collect();
    assert_eq!(created.len(), 1, "{:?}", replies.iter().map(|r| r.0).collect::<Vec<_>>());
    for (status, _, body) in replies.iter().filter(|(status, _, _)| *status != 200) {
        assert!((400..500).contains(status), "a duplicate is refused with a 4xx, not {status}");
        assert_eq!(body["error"]["hasError"], true, "in Particeep's envelope: {body}");
    }
    let id = created[0]["result"]["id"].as_str().unwrap_or_default();
    let (status, _, found) = caller.send(reqwest::Method::GET, "/v1/user/email/race@example.org", None).await;
    assert_eq!(status, 200, "{found}");
    assert_eq!(found["result"]["id"], id, "the one stored is the one answered 200");
}
