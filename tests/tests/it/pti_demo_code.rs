//! PTI's own v0 example code against the twin, as integrators run it: a client key made by
//! `utils/keygen.py` (a JWK with its own uuid4 `kid`), the React demo's string amounts, the
//! funding answer's `link`, the 406 form, the `USER` webhook of a status change, and payment
//! webhooks that say `CreditCardLast4Digits` only when the funding gave it.

use e2e::{demo_config, start, Config, DeliveryLog, PtiClient as Pti, PTI_CLIENT as CLIENT};
use mock_server::providers::pti::crypto::{self, KeyPair};
use serde_json::{json, Value};

fn fast_config() -> Config {
    let mut config = demo_config();
    config.providers.pti.result_delay_ms = 30;
    config
}

/// The vector client key (an RSA key made with jwcrypto, PTI's signer's library).
fn vector_key() -> KeyPair {
    let path = e2e::workspace_root().join("mock-server/tests/vectors/pti-signing.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let vectors: Value = serde_json::from_str(&text).unwrap_or_default();
    let jwk = crypto::jwk_from_json(&vectors["client_private_jwk"]).unwrap_or_else(|e| panic!("{e}"));
    KeyPair::from_private_jwk(&jwk).unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test]
async fn a_keygen_key_with_its_own_kid_signs_requests_that_the_twin_accepts() {
    let mock = start(fast_config()).await;
    let mut pti = Pti::new(&mock).await;
    let key = vector_key();
    let mut public = crypto::jwk_to_json(&key.public_jwk);
    public["kid"] = Value::from("0f6b1e2c-8d7a-4c1e-9b7f-3a2d5c4e6f70");
    let client = "11111111-2222-3333-4444-555555555555";
    pti.admin(reqwest::Method::PUT, &format!("/pti/clients/{client}"), json!({"public_jwk": public})).await;
    pti.key = key;
    let signed = crypto::signed_headers(
        &pti.key,
        client,
        "GET",
        "/pti/v0/users",
        b"",
        None,
        &crypto::http_date(chrono::Utc::now()),
    );
    let mut request = pti.http.get(format!("{}/pti/v0/users", pti.root));
    for (name, value) in signed.unwrap_or_else(|e| panic!("{e}")) {
        request = request.header(name, value);
    }
    let answer = request.send().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(answer.status(), 200, "{}", answer.text().await.unwrap_or_default());
}

#[tokio::test]
async fn the_react_demos_string_amounts_are_taken_as_numbers() {
    let mock = start(fast_config()).await;
    let pti = Pti::new(&mock).await;
    pti.send("POST", "/users", Some(json!({"id": "u-react", "type": "PERSON"})), &[]).await;
    // PTI's React demo app (since 2022): amount and usdValue as strings.
    let body = json!({"type": "BUY", "date": "2026-11-22T10:00:00Z", "amount": "57.3", "usdValue": "57.3",
        "initiator": {"id": "u-react", "type": "PERSON"}});
    let logged =
        pti.send("POST", "/users/u-react/transactionLogs", Some(body), &[("x-pti-request-id", "react-1")]).await;
    assert_eq!(logged.status, 201, "{}", logged.json);
    let read = pti.send("GET", "/users/u-react/transactionLogs/react-1", None, &[]).await;
    assert_eq!((read.json["amount"].as_f64(), read.json["usdValue"].as_f64()), (Some(57.3), Some(57.3)));
    let words = json!({"type": "BUY", "date": "2026-11-22T10:00:00Z", "amount": "fifty",
        "initiator": {"id": "u-react", "type": "PERSON"}});
    let refused =
        pti.send("POST", "/users/u-react/transactionLogs", Some(words), &[("x-pti-request-id", "react-2")]).await;
    assert_eq!(refused.status, 400);
    assert!(refused.json["message"].as_str().is_some_and(|m| m.starts_with("body.amount")), "{}", refused.json);
}

#[tokio::test]
async fn the_funding_link_and_the_406_form_answer() {
    let mock = start(fast_config()).await;
    let pti = Pti::new(&mock).await;
    pti.send("POST", "/users", Some(json!({"id": "u-link", "type": "PERSON"})), &[]).await;
    let body = json!({"date": "2026-11-22T10:00:00Z", "amount": 25, "initiator": {"id": "u-link", "type": "PERSON"},
        "sourceMethod": {"currency": "USD", "paymentInformation": {"type": "ENCRYPTED_CREDIT_CARD"}}});
    let funded = pti
        .send("POST", "/users/u-link/transactions/fiat/funding", Some(body), &[("x-pti-request-id", "link-1")])
        .await;
    assert_eq!(funded.status, 201, "{}", funded.json);
    let link = funded.json["link"].as_str().unwrap_or_default();
    let path = link.split("/pti/v0").nth(1).unwrap_or_default();
    let read = pti.send("GET", path, None, &[]).await;
    assert_eq!((read.status, read.json["amount"].as_f64()), (200, Some(25.0)), "{link}: {}", read.text);

    let tx = json!({"type": "FUNDING", "date": "2026-11-22T10:00:00Z", "amount": 50,
        "initiator": {"id": "u-link", "type": "PERSON"}});
    let more = pti
        .send(
            "POST",
            "/users/u-link/transactionLogs",
            Some(tx.clone()),
            &[("x-pti-request-id", "link-2"), ("x-pti-scenario-id", "withdrawal_to_erc20")],
        )
        .await;
    // The demo scenario asks tier 4 from 1 USD, and this user has given nothing.
    assert_eq!(more.status, 406, "{}", more.json);
    let form_url = more.json["url"].as_str().unwrap_or_default().to_owned();
    let form = pti.http.get(&form_url).send().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(form.status(), 200, "{form_url}");
    let page = form.text().await.unwrap_or_default();
    assert!(page.contains("/name/firstName") && page.contains("<form"), "{page}");
    let fields: Vec<(String, String)> = more.json["fields"]
        .as_array()
        .map(|f| f.iter().filter_map(Value::as_str).map(|p| (p.to_owned(), "1990-01-31".to_owned())).collect())
        .unwrap_or_default();
    let sent = pti.http.post(&form_url).form(&fields).send().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sent.status(), 200);
    let user = pti.send("GET", "/users/u-link", None, &[]).await;
    assert_eq!(user.json["dateOfBirth"], "1990-01-31", "{}", user.json);
    let after = pti.http.get(&form_url).send().await.unwrap_or_else(|e| panic!("{e}")).text().await.unwrap_or_default();
    assert!(after.contains("Nothing more is needed"), "{after}");
}

#[tokio::test]
async fn a_status_change_sends_a_user_webhook_and_payments_leave_out_an_unknown_card_number() {
    let mock = start(fast_config()).await;
    let pti = Pti::new(&mock).await;
    let receiver = DeliveryLog::start().await;
    pti.admin(reqwest::Method::PUT, &format!("/pti/clients/{CLIENT}"), json!({"webhook_url": receiver.url})).await;
    pti.send("POST", "/users", Some(json!({"id": "u-status", "type": "PERSON"})), &[]).await;
    let changed = pti
        .admin(
            reqwest::Method::POST,
            "/pti/users/u-status/status",
            json!({"status": "BLOCKED", "status_reason": "FRAUD_SUSPICION"}),
        )
        .await;
    assert_eq!(changed["webhook"]["resourceType"], "USER");
    let deliveries = receiver.wait(1).await;
    let event = crypto::open_webhook(&deliveries[0].body, &pti.key.private_jwk, &pti.pti_public_key().await)
        .unwrap_or_else(|e| panic!("a v0 user's webhook is the JWE: {e}"));
    assert_eq!(
        (event["resourceType"].as_str(), event["status"].as_str(), event["statusReason"].as_str()),
        (Some("USER"), Some("BLOCKED"), Some("FRAUD_SUSPICION"))
    );
    assert!(event["date"].as_str().is_some_and(|d| d.ends_with('Z')), "{event}");
    let schema = e2e::schema("pti/userWebhook.json");
    assert!(jsonschema::is_valid(&schema, &event), "{event}");

    pti.send("POST", "/users", Some(json!({"id": "u-card", "type": "PERSON"})), &[]).await;
    for (request_id, last4) in [("card-1", None), ("card-2", Some("4242"))] {
        let mut information = json!({"type": "ENCRYPTED_CREDIT_CARD"});
        if let Some(last4) = last4 {
            information["creditCardLast4"] = Value::from(last4);
        }
        let body = json!({"date": "2026-11-22T10:00:00Z", "amount": 10, "initiator": {"id": "u-card", "type": "PERSON"},
            "sourceMethod": {"currency": "USD", "paymentInformation": information}});
        let funded = pti
            .send("POST", "/users/u-card/transactions/fiat/funding", Some(body), &[("x-pti-request-id", request_id)])
            .await;
        assert_eq!(funded.status, 201, "{}", funded.json);
    }
    let deliveries = receiver.wait(3).await;
    let pti_public = pti.pti_public_key().await;
    let pending: Vec<Value> = deliveries
        .iter()
        .filter_map(|d| crypto::open_webhook(&d.body, &pti.key.private_jwk, &pti_public).ok())
        .filter(|e| e["resourceType"] == "PAYMENT_PROCESSOR" && e["status"] == "PENDING")
        .collect();
    let last4 = |id: &str| {
        pending
            .iter()
            .find(|e| e["requestId"] == id)
            .map(|e| e["additionalInfos"].get("CreditCardLast4Digits").cloned())
    };
    assert_eq!(last4("card-1"), Some(None), "not made up when the funding did not give it");
    assert_eq!(last4("card-2"), Some(Some(json!("4242"))));
}
