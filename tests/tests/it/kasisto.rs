//! The Kasisto twin over real HTTP: every endpoint, every status it can return (200, 400, 401,
//! 403, 404, 405, 413, 429, 450-453), the OTP flow, balances, token rotation, and bad input.

use e2e::{demo_config, schema, start, KasistoClient, Reply};
use reqwest::Method;
use serde_json::{json, Value};

const JOE: &str = "1234567890";
const OLIVIA: &str = "2222222222";

fn assert_matches_schema(file: &str, reply: &Reply) {
    let validator = jsonschema::validator_for(&schema(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    let errors: Vec<String> =
        validator.iter_errors(&reply.json).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "{file}: {errors:?}\n{}", reply.text);
}

fn assert_error(reply: &Reply, status: u16, code: &str) {
    assert_eq!(reply.status, status, "{}", reply.text);
    assert_eq!(reply.code(), code, "{}", reply.text);
    assert_matches_schema("kasisto/error_response.json", reply);
}

fn transfer_body(amount: f64) -> Value {
    json!({"source_account_id": "123456789", "dest_account_id": "987654321", "amount": amount})
}

/// Logs in as Joe and steps up through the OTP flow; returns the stepped-up client.
async fn stepped_up(client: KasistoClient, user_id: &str) -> KasistoClient {
    let needs = client.post("/transfer", transfer_body(1.0)).await;
    assert_error(&needs, 450, "otp_required");
    let otp = client.current_otp(user_id).await;
    let validated = client.post("/validate_otp", json!({"user_id": user_id, "otp": otp})).await;
    assert_eq!(validated.status, 200, "{}", validated.text);
    KasistoClient { token: validated.json["token"].as_str().map(str::to_owned), ..client }
}

#[tokio::test]
async fn token_returns_a_token_for_good_credentials_and_401_otherwise() {
    let mock = start(demo_config()).await;
    let client = KasistoClient::new(&mock);
    let good = client.post("/token", json!({"username": "joe.tester", "password": "demo-password"})).await;
    assert_eq!(good.status, 200);
    assert_eq!(good.json["user_id"], JOE);
    assert_matches_schema("kasisto/token_response.json", &good);

    let wrong = client.post("/token", json!({"username": "joe.tester", "password": "nope"})).await;
    assert_error(&wrong, 401, "invalid_credentials");
    let empty = client.post_raw("/token", Vec::new()).await;
    assert_error(&empty, 401, "invalid_credentials");

    let no_secret = KasistoClient { secret: None, ..client.clone() };
    assert_error(
        &no_secret.post("/token", json!({"username": "joe.tester", "password": "demo-password"})).await,
        401,
        "authentication_failed",
    );
    let bad_secret = KasistoClient { secret: Some("guess".into()), ..client };
    assert_error(&bad_secret.post("/token", json!({})).await, 401, "authentication_failed");
}

#[tokio::test]
async fn every_read_endpoint_answers_200_with_bodies_matching_the_contract() {
    let mock = start(demo_config()).await;
    let joe = KasistoClient::new(&mock).login("joe.tester").await;

    let customer = joe.post("/customer", json!({"user_id": JOE})).await;
    assert_eq!(customer.status, 200, "{}", customer.text);
    assert_eq!(customer.json["full_name"], "Joe Tester");
    assert_matches_schema("kasisto/customer.json", &customer);

    let accounts = joe.post("/accounts", json!({"user_id": JOE})).await;
    assert_eq!(accounts.json.as_array().map(Vec::len), Some(2), "{}", accounts.text);
    assert_matches_schema("kasisto/accounts_response.json", &accounts);
    let one = joe.post("/accounts", json!({"user_id": JOE, "account_id": "987654321"})).await;
    assert_eq!(one.json[0]["account_type"], "savings");
    assert_eq!(one.json.as_array().map(Vec::len), Some(1));

    let transactions =
        joe.post("/transactions", json!({"user_id": JOE, "account_ids": ["123456789"], "limit": 3})).await;
    assert_eq!(transactions.status, 200, "{}", transactions.text);
    let listed = transactions.json.as_array().cloned().unwrap_or_default();
    assert_eq!(listed.len(), 3);
    assert!(listed.iter().all(|t| t["account_id"] == "123456789"));
    let dates: Vec<&str> = listed.iter().filter_map(|t| t["transaction_date"].as_str()).collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted, "newest first");
    assert_matches_schema("kasisto/transactions_response.json", &transactions);

    for (path, file, first_id) in [
        ("/merchants", "kasisto/merchants_response.json", "merchant_id"),
        ("/categories", "kasisto/categories_response.json", "category_id"),
        ("/payees", "kasisto/payees_response.json", "payee_id"),
    ] {
        let reply = joe.post(path, json!({"user_id": JOE})).await;
        assert_eq!(reply.status, 200, "{path}: {}", reply.text);
        assert!(reply.json[0][first_id].is_string(), "{path}: {}", reply.text);
        assert_matches_schema(file, &reply);
        let without_body = joe.post_raw(path, Vec::new()).await;
        assert_eq!(without_body.status, 200, "{path} takes an optional body");
    }
}

#[tokio::test]
async fn tokens_are_checked_with_403_and_the_secret_with_401() {
    let mock = start(demo_config()).await;
    let joe = KasistoClient::new(&mock).login("joe.tester").await;

    let no_token = KasistoClient { token: None, ..joe.clone() };
    assert_error(&no_token.post("/accounts", json!({})).await, 403, "access_denied");
    let unknown = KasistoClient { token: Some("12345-56788-434343-131123131".into()), ..joe.clone() };
    assert_error(&unknown.post("/accounts", json!({})).await, 403, "access_denied");
    assert_error(&joe.post("/accounts", json!({"user_id": OLIVIA})).await, 403, "access_denied");
    assert_error(&joe.post("/transactions", json!({"account_ids": ["222200001"]})).await, 403, "access_denied");
    let wrong_secret = KasistoClient { secret: Some("x".into()), ..joe.clone() };
    assert_error(&wrong_secret.post("/accounts", json!({})).await, 401, "authentication_failed");

    // One hour later (the token lifetime), without waiting for it.
    let advanced = joe.admin_send(Method::POST, "/__admin/clock", json!({"advance_secs": 3601})).await;
    assert_eq!(advanced.status, 200, "{}", advanced.text);
    assert_error(&joe.post("/accounts", json!({})).await, 403, "token_expired");
}

#[tokio::test]
async fn the_full_otp_flow_steps_up_a_token_and_the_transfer_then_moves_money() {
    let mock = start(demo_config()).await;
    let joe = KasistoClient::new(&mock).login("joe.tester").await;

    let first = joe.post("/transfer", transfer_body(100.0)).await;
    assert_error(&first, 450, "otp_required");
    assert!(first.json["otp_details"].as_str().is_some_and(|d| d.contains("1234")), "{}", first.text);
    let otp = joe.current_otp(JOE).await;
    assert_eq!(otp.len(), 6);

    let wrong = joe.post("/validate_otp", json!({"user_id": JOE, "otp": "not-it"})).await;
    assert_error(&wrong, 451, "otp_invalid");
    assert_eq!(wrong.json["meta"][0], json!({"name": "remaining_attempts", "value": "2"}));

    let right = joe.post("/validate_otp", json!({"user_id": JOE, "otp": otp})).await;
    assert_eq!(right.status, 200, "{}", right.text);
    assert_matches_schema("kasisto/validate_otp_response.json", &right);
    let new_token = right.json["token"].as_str().map(str::to_owned);
    assert_ne!(new_token, joe.token, "a new token carries the step-up");

    let elevated = KasistoClient { token: new_token, ..joe.clone() };
    let done = elevated.post("/transfer", transfer_body(100.0)).await;
    assert_eq!(done.status, 200, "{}", done.text);
    assert_eq!(done.json["status"], "processed");
    assert_matches_schema("kasisto/transfer.json", &done);
    let accounts = elevated.post("/accounts", json!({})).await;
    assert_eq!(accounts.json[0]["available_balance"], 1135.5);
    assert_eq!(accounts.json[1]["available_balance"], 1335.5);

    // The old token never stepped up; the used OTP cannot be replayed.
    assert_error(
        &joe.post("/payment", json!({"source_account_id": "123456789", "payee_id": "payee1", "amount": 5})).await,
        450,
        "otp_required",
    );
    let replay = elevated.post("/validate_otp", json!({"otp": otp})).await;
    assert_eq!(replay.status, 451, "{}", replay.text);
}

#[tokio::test]
async fn an_otp_validated_after_its_lifetime_answers_452() {
    let mock = start(demo_config()).await;
    let joe = KasistoClient::new(&mock).login("joe.tester").await;
    assert_error(&joe.post("/transfer", transfer_body(1.0)).await, 450, "otp_required");
    let otp = joe.current_otp(JOE).await;
    joe.admin_send(Method::POST, "/__admin/clock", json!({"advance_secs": 301})).await;
    assert_error(&joe.post("/validate_otp", json!({"otp": otp})).await, 452, "otp_expired");
    assert_error(&joe.post("/validate_otp", json!({"otp": otp})).await, 452, "otp_expired");
    let view = joe.admin_get(&format!("/__admin/kasisto/otp/{JOE}")).await;
    assert_eq!(view.json["state"], "expired");
}

#[tokio::test]
async fn the_third_wrong_otp_answers_453_and_the_right_one_no_longer_works() {
    let mock = start(demo_config()).await;
    let joe = KasistoClient::new(&mock).login("joe.tester").await;
    assert_error(
        &joe.post("/payment", json!({"source_account_id": "123456789", "payee_id": "payee1", "amount": 5})).await,
        450,
        "otp_required",
    );
    let otp = joe.current_otp(JOE).await;
    assert_error(&joe.post("/validate_otp", json!({"otp": "000000x"})).await, 451, "otp_invalid");
    assert_error(&joe.post("/validate_otp", json!({"otp": "000000y"})).await, 451, "otp_invalid");
    assert_error(&joe.post("/validate_otp", json!({"otp": "000000z"})).await, 453, "otp_too_many_failures");
    assert_error(&joe.post("/validate_otp", json!({"otp": otp})).await, 453, "otp_too_many_failures");
    // A new 450 issues a fresh OTP, and the flow can start over.
    assert_error(
        &joe.post("/payment", json!({"source_account_id": "123456789", "payee_id": "payee1", "amount": 5})).await,
        450,
        "otp_required",
    );
    let fresh = joe.current_otp(JOE).await;
    assert_eq!(joe.post("/validate_otp", json!({"otp": fresh})).await.status, 200);
}

#[tokio::test]
async fn racing_wrong_otps_never_let_a_right_one_through_after_the_limit() {
    let mock = start(demo_config()).await;
    let joe = KasistoClient::new(&mock).login("joe.tester").await;
    assert_error(&joe.post("/transfer", transfer_body(1.0)).await, 450, "otp_required");
    let otp = joe.current_otp(JOE).await;
    let attempts = (0..8).map(|i| {
        let joe = joe.clone();
        let code = if i == 7 { otp.clone() } else { format!("bad{i}") };
        async move { joe.post("/validate_otp", json!({"otp": code})).await.status }
    });
    let statuses = futures_util::future::join_all(attempts).await;
    assert_eq!(
        statuses.iter().filter(|s| **s == 453).count()
            + statuses.iter().filter(|s| **s == 451).count()
            + statuses.iter().filter(|s| **s == 200).count(),
        8,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 451).count(),
        2,
        "exactly two wrong codes are answered 451: {statuses:?}"
    );
    if let Some(success) = statuses.iter().position(|s| *s == 200) {
        assert_eq!(success, 7, "only the right code can succeed: {statuses:?}");
    }
}

#[tokio::test]
async fn olivia_must_step_up_for_every_450_capable_endpoint() {
    let mock = start(demo_config()).await;
    let olivia = KasistoClient::new(&mock).login("olivia.otp").await;
    for path in ["/customer", "/accounts", "/transactions"] {
        assert_error(&olivia.post(path, json!({"user_id": OLIVIA})).await, 450, "otp_required");
    }
    assert_eq!(olivia.post("/merchants", json!({})).await.status, 200, "merchants never demand an OTP");
    let olivia = stepped_up(olivia, OLIVIA).await;
    for path in ["/customer", "/accounts", "/transactions"] {
        assert_eq!(olivia.post(path, json!({"user_id": OLIVIA})).await.status, 200, "{path}");
    }
}

#[tokio::test]
async fn transfers_and_payments_keep_balances_and_refuse_overdrafts() {
    let mock = start(demo_config()).await;
    let joe = stepped_up(KasistoClient::new(&mock).login("joe.tester").await, JOE).await;

    let overdraft = joe.post("/transfer", transfer_body(1235.51)).await;
    assert_eq!(overdraft.status, 200, "{}", overdraft.text);
    assert_eq!(overdraft.json["status"], "failed");
    assert_eq!(overdraft.json["meta"][0], json!({"name": "reason", "value": "insufficient_funds"}));

    let payment =
        joe.post("/payment", json!({"source_account_id": "987654321", "payee_id": "payee3", "amount": 35.5})).await;
    assert_eq!(payment.status, 200, "{}", payment.text);
    assert_eq!(payment.json["status"], "processed");
    assert_matches_schema("kasisto/payment.json", &payment);

    let accounts = joe.post("/accounts", json!({})).await;
    assert_eq!(accounts.json[0]["available_balance"], 1235.5, "the failed transfer moved nothing");
    assert_eq!(accounts.json[1]["available_balance"], 1200.0);
    let history = joe.post("/transactions", json!({"account_ids": ["987654321"], "limit": 1})).await;
    assert_eq!(history.json[0]["description"], "Payment to City Power & Light");

    assert_error(
        &joe.post("/payment", json!({"source_account_id": "987654321", "payee_id": "payee-olivia-1", "amount": 1}))
            .await,
        403,
        "access_denied",
    );
    assert_error(
        &joe.post("/transfer", json!({"source_account_id": "123456789", "dest_account_id": "222200001", "amount": 1}))
            .await,
        403,
        "access_denied",
    );
    assert_error(&joe.post("/transfer", transfer_body(-5.0)).await, 400, "invalid_request");
    assert_error(
        &joe.post("/transfer", json!({"source_account_id": "123456789", "dest_account_id": "123456789", "amount": 1}))
            .await,
        400,
        "invalid_request",
    );
    let scheduled = joe.post("/transfer", json!({"source_account_id": "123456789", "dest_account_id": "987654321", "amount": 1, "date": "2999-01-01"})).await;
    assert_eq!(scheduled.json["status"], "pending", "{}", scheduled.text);
    let mismatch = joe.post("/transfer", json!({"source_account_id": "123456789", "dest_account_id": "987654321", "amount": 1, "currency_code": "EUR"})).await;
    assert_eq!(mismatch.json["meta"][0]["value"], "currency_mismatch");
}

#[tokio::test]
async fn malformed_bodies_get_400_in_kasisto_shape_and_never_a_5xx() {
    let mut config = demo_config();
    config.providers.kasisto.throttle.default = None;
    let mock = start(config).await;
    let joe = stepped_up(KasistoClient::new(&mock).login("joe.tester").await, JOE).await;

    let wrong_type = joe
        .post("/transfer", json!({"source_account_id": "123456789", "dest_account_id": "987654321", "amount": "ten"}))
        .await;
    assert_error(&wrong_type, 400, "invalid_request");
    assert!(wrong_type.json["message"].as_str().is_some_and(|m| m.contains("amount")), "{}", wrong_type.text);
    let missing = joe.post("/transfer", json!({"source_account_id": "123456789", "amount": 1})).await;
    assert!(missing.json["message"].as_str().is_some_and(|m| m.contains("dest_account_id")), "{}", missing.text);
    assert_error(&joe.post_raw("/customer", Vec::new()).await, 400, "invalid_request");
    assert_error(&joe.post_raw("/accounts", b"{\"user_id\": ".to_vec()).await, 400, "invalid_request");

    let garbage: Vec<Vec<u8>> = vec![
        b"null".to_vec(),
        b"[]".to_vec(),
        b"42".to_vec(),
        b"\"text\"".to_vec(),
        vec![0xff, 0xfe, 0x00, 0x7b],
        b"{\"limit\": 99999999999999999999}".to_vec(),
        b"{\"account_ids\": \"not-a-list\"}".to_vec(),
        b"{\"user_id\": 12}".to_vec(),
        format!("{{\"user_id\": \"{}\"}}", "x".repeat(100_000)).into_bytes(),
        b"{\"amount\": 1e400, \"source_account_id\": \"a\", \"dest_account_id\": \"b\"}".to_vec(),
    ];
    for path in [
        "/token",
        "/validate_otp",
        "/customer",
        "/accounts",
        "/transactions",
        "/merchants",
        "/categories",
        "/transfer",
        "/payment",
        "/payees",
    ] {
        for body in &garbage {
            let reply = joe.post_raw(path, body.clone()).await;
            assert!(reply.status < 500, "{path} {:?}: {}", String::from_utf8_lossy(body), reply.text);
            if reply.status != 200 {
                assert!(reply.json["code"].is_string(), "{path}: {}", reply.text);
            }
        }
    }
    // Nothing stored was lost.
    let accounts = joe.post("/accounts", json!({})).await;
    assert_eq!(accounts.json[0]["available_balance"], 1235.5);
}

#[tokio::test]
async fn unknown_paths_wrong_methods_and_huge_bodies_get_kasisto_errors() {
    let mock = start(demo_config()).await;
    let joe = KasistoClient::new(&mock).login("joe.tester").await;
    assert_error(&joe.post("/balance", json!({})).await, 404, "not_found");
    let get = reqwest::get(format!("{}/accounts", joe.base)).await.map_err(|e| e.to_string());
    let get = get.map(|r| r.status().as_u16());
    assert_eq!(get, Ok(405));
    let huge = joe.post_raw("/accounts", vec![b' '; 1024 * 1024 + 1]).await;
    assert_error(&huge, 413, "payload_too_large");
}

#[tokio::test]
async fn a_concurrent_burst_is_throttled_with_429_and_retry_after() {
    let mock = start(demo_config()).await;
    let joe = KasistoClient::new(&mock).login("joe.tester").await;
    let burst = (0..400).map(|_| {
        let joe = joe.clone();
        async move { joe.post("/merchants", json!({})).await }
    });
    let replies = futures_util::future::join_all(burst).await;
    let throttled: Vec<&Reply> = replies.iter().filter(|r| r.status == 429).collect();
    let passed = replies.iter().filter(|r| r.status == 200).count();
    assert!(passed >= 100, "the burst of 100 passes: {passed}");
    assert!(!throttled.is_empty(), "the rest is throttled");
    assert_eq!(passed + throttled.len(), 400);
    for reply in throttled {
        assert_error(reply, 429, "too_many_requests");
        assert!(
            reply.header("retry-after").and_then(|v| v.parse::<u64>().ok()).is_some_and(|s| s >= 1),
            "{:?}",
            reply.headers
        );
    }
    // Another customer's token has a bucket of its own.
    let olivia = KasistoClient::new(&mock).login("olivia.otp").await;
    assert_eq!(olivia.post("/merchants", json!({})).await.status, 200);
}

#[tokio::test]
async fn rotation_sends_a_fresh_token_header_and_can_revoke_the_old_one() {
    let mut config = demo_config();
    config.providers.kasisto.token_rotation = mock_server::providers::kasisto::config::TokenRotation::RotateAndRevoke;
    let mock = start(config).await;
    let joe = KasistoClient::new(&mock).login("joe.tester").await;
    let first = joe.post("/accounts", json!({})).await;
    assert_eq!(first.status, 200);
    let rotated = first.header("token").map(str::to_owned);
    assert!(rotated.is_some() && rotated != joe.token, "{:?}", first.headers);
    assert_error(&joe.post("/accounts", json!({})).await, 403, "access_denied");
    let next = KasistoClient { token: rotated, ..joe };
    assert_eq!(next.post("/accounts", json!({})).await.status, 200);
}
