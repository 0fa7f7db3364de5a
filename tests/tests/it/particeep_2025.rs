//! Particeep as its 2025 Scala SDK (`Particeep/api-sdk-scala-with-play` 3.x) speaks it: requests
//! signed with HMAC-SHA256 (its `core/Security.scala`), webhooks signed with the consumer's
//! algorithm, the `DateTime` window off unless configured, failures before the consumer is known
//! readable by both body styles, and the 2025 model lineage beside the 2022 one.

use e2e::{demo_config, start, DeliveryLog};
use mock_server::providers::particeep::auth::{self, Algorithm};
use mock_server::providers::particeep::seed::{DEMO_KEY, DEMO_SECRET, SDK2025_KEY, SDK2025_SECRET};
use serde_json::{json, Value};

/// A client that signs as the 2025 SDK does (or with SHA-1, as the older SDKs do).
struct Sdk {
    http: reqwest::Client,
    root: String,
    key: &'static str,
    secret: &'static str,
    algorithm: Algorithm,
}

impl Sdk {
    fn new(root: String) -> Self {
        Self {
            http: reqwest::Client::new(),
            root,
            key: SDK2025_KEY,
            secret: SDK2025_SECRET,
            algorithm: Algorithm::Sha256,
        }
    }

    async fn send(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> (u16, Value) {
        // `DateTimeFormatter.ISO_INSTANT` of `OffsetDateTime.now(UTC).withNano(0)`.
        let date_time = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
        let mut request = self
            .http
            .request(method, format!("{}/particeep{path}", self.root))
            .header("DateTime", &date_time)
            .header("Authorization", auth::authorization_with(self.algorithm, self.key, self.secret, &date_time));
        if let Some(body) = body {
            request = request.header("content-type", "application/json").body(body.to_string());
        }
        let response = request.send().await.unwrap_or_else(|e| panic!("{path}: {e}"));
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or_default())
    }
}

#[tokio::test]
async fn the_2025_sdks_sha256_requests_are_accepted_and_its_webhooks_come_signed_sha256() {
    let mock = start(demo_config()).await;
    let sdk = Sdk::new(mock.base_url());
    let (status, info) = sdk.send(reqwest::Method::GET, "/v1/info", None).await;
    assert_eq!(status, 200, "{info}");
    assert!(info.get("error").is_none(), "the 2025 consumer has bare bodies: {info}");
    // The older SDKs' SHA-1 is accepted from the same consumer (told apart by length).
    let sha1 = Sdk { algorithm: Algorithm::Sha1, ..Sdk::new(mock.base_url()) };
    assert_eq!(sha1.send(reqwest::Method::GET, "/v1/info", None).await.0, 200);
    let wrong = Sdk { secret: "not-the-secret", ..Sdk::new(mock.base_url()) };
    let (status, refused) = wrong.send(reqwest::Method::GET, "/v1/info", None).await;
    assert_eq!((status, refused["hasError"].as_bool()), (403, Some(true)), "{refused}");

    let receiver = DeliveryLog::start().await;
    let hook = json!({"name": "user_created", "url": receiver.url});
    assert_eq!(sdk.send(reqwest::Method::PUT, "/v1/webhook", Some(hook)).await.0, 200);
    let (status, user) =
        sdk.send(reqwest::Method::PUT, "/v1/user", Some(json!({"email": "sdk@example.org", "password": "x"}))).await;
    assert_eq!(status, 200, "{user}");
    let delivery = receiver.wait(1).await.remove(0);
    let date_time = delivery.header("datetime").unwrap_or_default();
    let signature = delivery.header("authorization").unwrap_or_default();
    assert_eq!(signature, auth::authorization_with(Algorithm::Sha256, SDK2025_KEY, SDK2025_SECRET, date_time));
    assert_eq!(signature.rsplit(':').next().map(str::len), Some(88));
}

#[tokio::test]
async fn an_old_date_time_is_accepted_by_default_as_particeep_does_and_refused_with_a_window() {
    // The JS SDK signs once, in its constructor, and keeps the client for its whole life.
    let date_time = "2020-01-01T00:00:00Z";
    let mock = start(demo_config()).await;
    let old = |root: String| {
        reqwest::Client::new()
            .get(format!("{root}/particeep/v1/info"))
            .header("DateTime", date_time)
            .header("Authorization", auth::authorization(DEMO_KEY, DEMO_SECRET, date_time))
            .send()
    };
    assert_eq!(old(mock.base_url()).await.map(|r| r.status().as_u16()).unwrap_or_default(), 200);
    let mut config = demo_config();
    config.providers.particeep.clock_skew_secs = Some(900);
    let windowed = start(config).await;
    assert_eq!(old(windowed.base_url()).await.map(|r| r.status().as_u16()).unwrap_or_default(), 403);
}

#[tokio::test]
async fn a_refusal_before_the_consumer_is_known_reads_in_both_body_styles() {
    let mock = start(demo_config()).await;
    for authorization in [None, Some("PTP:nobody:c2lnbmF0dXJl")] {
        let mut request = reqwest::Client::new()
            .get(format!("{}/particeep/v1/info", mock.base_url()))
            .header("DateTime", "2026-12-01T10:00:00Z");
        if let Some(value) = authorization {
            request = request.header("Authorization", value);
        }
        let response = request.send().await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(response.status(), 403);
        let body: Value = response.json().await.unwrap_or_default();
        // The bare style, as the SDKs read it, and the envelope, as the document shows it.
        assert_eq!(body["hasError"], true, "{body}");
        assert_eq!(body["errors"][0]["technicalCode"], "error.api.authentication", "{body}");
        assert_eq!(body["error"]["hasError"], true, "{body}");
        assert_eq!((body["result"].clone(), body["meta"]["version"].clone()), (Value::Null, json!("1")), "{body}");
    }
}

#[tokio::test]
async fn each_consumer_gets_its_own_lineage_and_the_2022_one_is_unchanged() {
    let mock = start(demo_config()).await;
    let new = Sdk::new(mock.base_url());
    let old = Sdk {
        key: "bare-demo-key",
        secret: "bare-demo-secret",
        algorithm: Algorithm::Sha1,
        ..Sdk::new(mock.base_url())
    };
    for (sdk, email) in [(&new, "lineage-2025@example.org"), (&old, "lineage-2022@example.org")] {
        let (status, user) =
            sdk.send(reqwest::Method::PUT, "/v1/user", Some(json!({"email": email, "password": "x"}))).await;
        assert_eq!(status, 200, "{user}");
        let id = user["id"].as_str().unwrap_or_default().to_owned();
        assert_eq!(sdk.send(reqwest::Method::PUT, &format!("/v1/role/{id}/add/investor"), None).await.0, 200);
        assert_eq!(sdk.send(reqwest::Method::PUT, &format!("/v1/role/{id}/add/partner"), None).await.0, 200);
        let wallet = json!({"owner_id": id, "owner_type": "USER", "wallet_type": "NATURAL", "email": email, "first_name": "L", "last_name": "M"});
        let (status, wallet) = sdk.send(reqwest::Method::PUT, "/v1/wallet", Some(wallet)).await;
        assert_eq!(status, 200, "{wallet}");
        let wallet_id = wallet["id"].as_str().unwrap_or_default().to_owned();
        let bare_account = json!({"iban": "FR1420041010050500013M02606", "holder_name": "L M"});
        let (status, account) =
            sdk.send(reqwest::Method::PUT, &format!("/v1/wallet/{wallet_id}/bankaccount"), Some(bare_account)).await;
        let (_, rows) = sdk.send(reqwest::Method::GET, "/v1/user/search?roles=investor", None).await;
        if sdk.key == SDK2025_KEY {
            assert_eq!(status, 200, "{account}");
            assert_eq!(rows["data"][0]["roles"], json!(["investor", "partner"]), "{rows}");
            assert!(jsonschema::is_valid(&e2e::schema("particeep/UserData2025Page.json"), &rows), "{rows}");
        } else {
            assert_eq!(status, 400, "the 2022 lineage still requires bank_name: {account}");
            assert!(account["errors"][0]["message"].as_str().is_some_and(|m| m.contains("bank_name")), "{account}");
            assert_eq!(rows["data"][0]["roles"], "investor,partner", "{rows}");
            assert!(jsonschema::is_valid(&e2e::schema("particeep/UserData2022Page.json"), &rows), "{rows}");
        }
        // The 2022 SDK's remove_roles sends no list: every role goes.
        let (status, roles) = sdk.send(reqwest::Method::DELETE, &format!("/v1/role/{id}/remove_roles"), None).await;
        assert_eq!((status, roles["roles"].as_array().map(Vec::len)), (200, Some(0)), "{roles}");
    }
}

#[tokio::test]
async fn a_time_bounded_url_opens_the_file_without_credentials_until_it_expires_and_the_zip_holds_the_files() {
    let mock = start(demo_config()).await;
    let sdk = Sdk::new(mock.base_url());
    let (_, user) =
        sdk.send(reqwest::Method::PUT, "/v1/user", Some(json!({"email": "files@example.org", "password": "x"}))).await;
    let owner = user["id"].as_str().unwrap_or_default().to_owned();
    let mut ids = Vec::new();
    for (name, content) in [("a.txt", "first file"), ("b.txt", "second file")] {
        let date_time = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
        // A multipart body as the SDK's `postFile` sends it: the file part and a text part.
        let boundary = "twin-test-boundary";
        let body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"document\"; filename=\"{name}\"\r\n\
             Content-Type: text/plain\r\n\r\n{content}\r\n--{boundary}\r\nContent-Disposition: form-data; \
             name=\"path\"\r\n\r\n/docs\r\n--{boundary}--\r\n"
        );
        let uploaded: Value = reqwest::Client::new()
            .post(format!("{}/particeep/v1/document/{owner}/upload", mock.base_url()))
            .header("DateTime", &date_time)
            .header(
                "Authorization",
                auth::authorization_with(Algorithm::Sha256, SDK2025_KEY, SDK2025_SECRET, &date_time),
            )
            .header("content-type", format!("multipart/form-data; boundary={boundary}"))
            .body(body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .json()
            .await
            .unwrap_or_default();
        ids.push(uploaded["id"].as_str().unwrap_or_else(|| panic!("{uploaded}")).to_owned());
    }
    let (status, links) = sdk
        .send(reqwest::Method::GET, &format!("/v1/document/generate-time-bounded-urls?ids={}", ids.join(",")), None)
        .await;
    assert_eq!(status, 200, "{links}");
    let url = links["urls"][0].as_str().unwrap_or_default().to_owned();
    let opened = reqwest::get(&url).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(opened.status(), 200);
    assert_eq!(opened.text().await.unwrap_or_default(), "first file");
    let forged =
        reqwest::get(url.replace("signature=", "signature=0")).await.map(|r| r.status().as_u16()).unwrap_or_default();
    assert_eq!(forged, 403);
    let clock = reqwest::Client::new()
        .post(format!("{}/__admin/clock", mock.base_url()))
        .json(&json!({"advance_secs": 3601}))
        .send()
        .await;
    assert_eq!(clock.map(|r| r.status().as_u16()).unwrap_or_default(), 200);
    assert_eq!(reqwest::get(&url).await.map(|r| r.status().as_u16()).unwrap_or_default(), 403, "expired after an hour");

    let date_time = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let zipped = reqwest::Client::new()
        .get(format!("{}/particeep/v1/document/zip-download?ids={}", mock.base_url(), ids.join(",")))
        .header("DateTime", &date_time)
        .header("Authorization", auth::authorization_with(Algorithm::Sha256, SDK2025_KEY, SDK2025_SECRET, &date_time))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(zipped.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("application/zip"));
    let bytes = zipped.bytes().await.unwrap_or_default();
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap_or_else(|e| panic!("a real zip: {e}"));
    let mut names: Vec<String> =
        (0..archive.len()).filter_map(|i| archive.by_index(i).ok().map(|f| f.name().to_owned())).collect();
    names.sort();
    assert_eq!(names, ["docs/a.txt", "docs/b.txt"]);
    let mut second = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("docs/b.txt").unwrap_or_else(|e| panic!("{e}")), &mut second)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(second, "second file");
}

/// The fields each lineage's model reader requires (a field that is neither an `Option` nor
/// defaulted where the reader honours defaults), read from the SDKs' `models/**` case classes:
/// `Particeep/api-sdk-scala` (2022) and `Particeep/api-sdk-scala-with-play` 3.x (2025).
const REQUIRED_2022: &[(&str, &[&str])] = &[
    ("User", &["email"]),
    ("Wallet", &["id", "owner_id", "owner_type", "wallet_type", "amount"]),
    ("BankAccount", &["id", "bank_name", "iban", "bic"]),
    ("TransactionWallet", &["id"]),
    ("Roles", &["user_id", "roles"]),
    ("Role", &["id", "role_name"]),
    ("WebHook", &["id", "name", "url"]),
    (
        "Transaction",
        &["id", "issuer_id", "issuer_type", "recipient_id", "recipient_type", "amount", "fees", "currency", "status"],
    ),
    ("Document", &["id", "owner_id", "name", "path", "doc_type", "locked"]),
];

/// The same for the 2025 SDK (its `Transaction`, `User` and `UserData` readers honour defaults).
const REQUIRED_2025: &[(&str, &[&str])] = &[
    ("User", &["email"]),
    ("Wallet", &["id", "owner_id", "owner_type", "wallet_type", "amount"]),
    ("BankAccount", &["id", "iban"]),
    ("TransactionWallet", &["id"]),
    ("TransactionWalletFeesOpt", &["transaction_wallet"]),
    ("Roles", &["user_id", "roles"]),
    ("Role", &["id", "role_name"]),
    ("WebHook", &["id", "name", "url"]),
    ("Document", &["id", "owner_id", "name", "path", "doc_type", "locked", "scope"]),
    (
        "SddMandate",
        &["id", "holder", "bic", "iban", "is_b2b", "street", "zip", "city", "country", "wallet_id", "status"],
    ),
    ("KycValidation", &["is_valid", "external_id", "service_name", "service_response"]),
];

fn reads(rules: &[(&str, &[&str])], model: &str, answer: &Value) {
    let (_, fields) = rules.iter().find(|(name, _)| *name == model).unwrap_or_else(|| panic!("no rule for {model}"));
    for field in *fields {
        assert!(answer.get(*field).is_some_and(|v| !v.is_null()), "{model} needs `{field}`: {answer}");
    }
}

#[tokio::test]
async fn every_answer_reads_back_into_its_lineages_models() {
    let mock = start(demo_config()).await;
    for (sdk, rules, tag) in [
        (Sdk::new(mock.base_url()), REQUIRED_2025, "2025"),
        (
            Sdk {
                key: "bare-demo-key",
                secret: "bare-demo-secret",
                algorithm: Algorithm::Sha1,
                ..Sdk::new(mock.base_url())
            },
            REQUIRED_2022,
            "2022",
        ),
    ] {
        use reqwest::Method;
        let email = |who: &str| format!("{who}.{tag}@lineage.example");
        let (_, ann) = sdk.send(Method::PUT, "/v1/user", Some(json!({"email": email("ann"), "password": "x"}))).await;
        reads(rules, "User", &ann);
        let (_, bob) = sdk.send(Method::PUT, "/v1/user", Some(json!({"email": email("bob"), "password": "x"}))).await;
        let wallet_of = |user: &Value, who: &str| json!({"owner_id": user["id"], "owner_type": "USER", "wallet_type": "NATURAL", "email": email(who), "first_name": who, "last_name": "L"});
        let (_, ann_wallet) = sdk.send(Method::PUT, "/v1/wallet", Some(wallet_of(&ann, "ann"))).await;
        reads(rules, "Wallet", &ann_wallet);
        let (_, bob_wallet) = sdk.send(Method::PUT, "/v1/wallet", Some(wallet_of(&bob, "bob"))).await;
        let ann_wallet_id = ann_wallet["id"].as_str().unwrap_or_default().to_owned();
        let account =
            json!({"iban": "FR1420041010050500013M02606", "bic": "BNPAFRPP", "bank_name": "BNP", "holder_name": "Ann"});
        let (_, account) =
            sdk.send(Method::PUT, &format!("/v1/wallet/{ann_wallet_id}/bankaccount"), Some(account)).await;
        reads(rules, "BankAccount", &account);
        // 100.42 EUR is a magic amount that succeeds by itself.
        let cash_in = json!({"amount": 10042, "accept_url": "https://x.example/ok", "decline_url": "https://x.example/ko",
            "pending_url": "https://x.example/wait", "owner_ip": "127.0.0.1"});
        sdk.send(Method::POST, &format!("/v1/wallet/{ann_wallet_id}/cashin"), Some(cash_in)).await;
        for _ in 0..100 {
            if sdk.send(Method::GET, &format!("/v1/wallet/{ann_wallet_id}"), None).await.1["amount"] == 10042 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        let transfer =
            json!({"debited_wallet_id": ann_wallet_id, "credited_wallet_id": bob_wallet["id"], "amount": 100});
        let (status, moved) = sdk.send(Method::POST, "/v1/wallet/transfer", Some(transfer)).await;
        assert_eq!(status, 200, "{moved}");
        if tag == "2025" {
            reads(rules, "TransactionWalletFeesOpt", &moved);
            reads(rules, "TransactionWallet", &moved["transaction_wallet"]);
        } else {
            reads(rules, "TransactionWallet", &moved);
        }
        let (_, roles) = sdk
            .send(Method::PUT, &format!("/v1/role/{}/add/investor", ann["id"].as_str().unwrap_or_default()), None)
            .await;
        reads(rules, "Roles", &roles);
        reads(rules, "Role", &roles["roles"][0]);
        let (_, hook) = sdk
            .send(Method::PUT, "/v1/webhook", Some(json!({"name": "user_created", "url": "https://h.example/x"})))
            .await;
        reads(rules, "WebHook", &hook);
        let ticket = json!({"issuer_id": bob["id"], "issuer_type": "USER", "recipient_id": ann["id"], "recipient_type": "USER", "amount": 500});
        let (_, transaction) = sdk.send(Method::PUT, "/v1/transaction", Some(ticket)).await;
        if tag == "2022" {
            reads(rules, "Transaction", &transaction);
        }
        let (_, folder) = sdk
            .send(
                Method::POST,
                &format!("/v1/document/{}/dir", ann["id"].as_str().unwrap_or_default()),
                Some(json!({"name": "f"})),
            )
            .await;
        reads(rules, "Document", &folder);
        if tag == "2025" {
            let mandate = json!({"owner_ip": "127.0.0.1", "holder": "Ann", "bic": "BNPAFRPP", "iban": "FR1420041010050500013M02606",
                "street": "1 rue", "zip": "75001", "city": "Paris", "country": "FR"});
            let (_, mandate) = sdk.send(Method::PUT, &format!("/v1/wallet/{ann_wallet_id}/sepa"), Some(mandate)).await;
            reads(rules, "SddMandate", &mandate);
            let (_, check) = sdk
                .send(
                    Method::POST,
                    "/v1/kycs/document/validate",
                    Some(json!({"url": "https://f.example/id.png", "document_input_data": {}})),
                )
                .await;
            reads(rules, "KycValidation", &check);
        }
    }
}
