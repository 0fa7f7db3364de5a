//! Benchmark helper (not a test): given a running mock's URL, creates what the measured routes
//! read (a Kasisto login, a Particeep user, a PTI user), and prints, as JSON, one ready-made
//! request per route for the load generator, plus the cost of one PTI signature check measured
//! in process. Used by `bench/run`.
//!
//! Usage: `target/release/bench_prepare http://127.0.0.1:PORT`.

use std::time::Instant;

use mock_server::providers::particeep::auth as particeep_auth;
use mock_server::providers::particeep::seed::{DEMO_KEY, DEMO_SECRET};
use mock_server::providers::pti::crypto;
use serde_json::{json, Value};

const PTI_CLIENT: &str = "00000000-0000-0000-0000-000000000000";

fn request(method: &str, url: String, headers: Value, body: Option<String>) -> Value {
    json!({ "method": method, "url": url, "headers": headers, "body": body })
}

async fn send(request: reqwest::RequestBuilder, what: &str) -> Result<Value, String> {
    let response = request.send().await.map_err(|e| format!("{what}: {e}"))?;
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    if !status.is_success() {
        return Err(format!("{what}: {status} {body}"));
    }
    Ok(body)
}

/// PTI's six-line string, signed: the headers of a signed request.
fn pti_headers(key: &crypto::KeyPair, method: &str, path: &str, body: &str) -> Result<Value, String> {
    let date = crypto::http_date(chrono::Utc::now());
    let signed =
        crypto::signed_headers(key, PTI_CLIENT, method, path, body.as_bytes(), Some("application/json"), &date)?;
    let mut headers: serde_json::Map<String, Value> =
        signed.into_iter().map(|(name, value)| (name.to_owned(), Value::from(value))).collect();
    headers.insert("content-type".into(), Value::from("application/json"));
    Ok(Value::Object(headers))
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let root = std::env::args().nth(1).ok_or("usage: bench_prepare http://127.0.0.1:PORT")?;
    let http = reqwest::Client::new();
    let mut requests = serde_json::Map::new();

    let login = json!({ "username": "joe.tester", "password": "demo-password" });
    let token = send(
        http.post(format!("{root}/kasisto/token")).header("secret", "kasisto-demo-secret").json(&login),
        "Kasisto login",
    )
    .await?;
    let token = token["token"].as_str().ok_or("Kasisto login: no token")?.to_owned();
    requests.insert(
        "kasisto_accounts".into(),
        request(
            "POST",
            format!("{root}/kasisto/accounts"),
            json!({ "secret": "kasisto-demo-secret", "token": token, "content-type": "application/json" }),
            Some(json!({ "user_id": "1234567890" }).to_string()),
        ),
    );

    requests.insert(
        "taler_kyc".into(),
        request(
            "GET",
            format!("{root}/taler/private/kyc"),
            json!({ "authorization": "Bearer secret-token:demo" }),
            None,
        ),
    );

    // Particeep signs only DateTime: one header stays valid for the skew window (15 minutes).
    let date_time = particeep_auth::date_time(chrono::Utc::now());
    let ptp = json!({ "DateTime": date_time, "Authorization": particeep_auth::authorization(DEMO_KEY, DEMO_SECRET, &date_time) });
    let mut create = http.put(format!("{root}/particeep/v1/user"));
    for (name, value) in ptp.as_object().into_iter().flatten() {
        create = create.header(name.as_str(), value.as_str().unwrap_or_default());
    }
    let user = send(create.json(&json!({ "email": "bench@example.org", "password": "x" })), "Particeep user").await?;
    let user_id = user["result"]["id"].as_str().ok_or("Particeep user: no id")?.to_owned();
    requests.insert("particeep_user".into(), request("GET", format!("{root}/particeep/v1/user/{user_id}"), ptp, None));

    let jwk: Value =
        send(http.get(format!("{root}/__admin/pti/clients/{PTI_CLIENT}/private-jwk")), "PTI private key").await?;
    let key = crypto::KeyPair::from_private_jwk(&crypto::jwk_from_json(&jwk)?)?;
    let body = json!({ "id": "u-bench", "type": "PERSON" }).to_string();
    let mut create = http.post(format!("{root}/pti/v0/users")).body(body.clone());
    for (name, value) in pti_headers(&key, "POST", "/pti/v0/users", &body)?.as_object().into_iter().flatten() {
        create = create.header(name.as_str(), value.as_str().unwrap_or_default());
    }
    send(create, "PTI user").await?;
    let path = "/pti/v0/users/u-bench";
    requests.insert(
        "pti_user_signed".into(),
        request("GET", format!("{root}{path}"), pti_headers(&key, "GET", path, "")?, None),
    );

    // The signature check alone, in process: what every signed PTI request pays, as the twin
    // makes it (the client's keys from its cache), against OpenSSL verifying the same RS512
    // signature over the same bytes with the key already parsed, measured in turn.
    let signed =
        crypto::string_to_sign("GET", b"", Some("application/json"), "Sun, 22 Nov 2026 10:00:00 GMT", PTI_CLIENT, path);
    let signature = crypto::sign_request(&key, PTI_CLIENT, &signed)?;
    let cache = mock_server::providers::pti::auth::KeyCache::default();
    let public = [crypto::jwk_to_json(&key.public_jwk)];
    let bare = BareVerify::new(&key, &signature)?;
    let (mut twin_s, mut bare_s) = (0.0, 0.0);
    let rounds = 400_u32;
    for round in 0..=5 {
        let started = Instant::now();
        for _ in 0..rounds {
            crypto::verify_request(&signature, PTI_CLIENT, &cache.keys(PTI_CLIENT, &public), &signed)
                .map_err(|e| e.to_string())?;
        }
        let twin = started.elapsed().as_secs_f64();
        let started = Instant::now();
        for _ in 0..rounds {
            bare.verify()?;
        }
        // The first round warms both up and is not counted.
        if round > 0 {
            (twin_s, bare_s) = (twin_s + twin, bare_s + started.elapsed().as_secs_f64());
        }
    }
    let per_us = |seconds: f64| seconds * 1e6 / f64::from(rounds * 5);

    println!("{}", json!({ "requests": requests, "pti_verify_us": per_us(twin_s), "bare_verify_us": per_us(bare_s) }));
    Ok(())
}

/// OpenSSL verifying an RS512 compact JWS with the key already parsed: the least a signed request
/// can cost.
struct BareVerify {
    key: openssl::pkey::PKey<openssl::pkey::Public>,
    input: Vec<u8>,
    signature: Vec<u8>,
}

impl BareVerify {
    fn new(key: &crypto::KeyPair, jws: &str) -> Result<Self, String> {
        use base64::Engine as _;
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let field = |name: &str| -> Result<openssl::bn::BigNum, String> {
            let text = key.public_jwk.parameter(name).and_then(|v| v.as_str()).ok_or(format!("no {name}"))?;
            let bytes = b64.decode(text).map_err(|e| e.to_string())?;
            openssl::bn::BigNum::from_slice(&bytes).map_err(|e| e.to_string())
        };
        let rsa = openssl::rsa::Rsa::from_public_components(field("n")?, field("e")?).map_err(|e| e.to_string())?;
        let (input, signature) = jws.rsplit_once('.').ok_or("not a compact JWS")?;
        Ok(Self {
            key: openssl::pkey::PKey::from_rsa(rsa).map_err(|e| e.to_string())?,
            input: input.as_bytes().to_vec(),
            signature: b64.decode(signature).map_err(|e| e.to_string())?,
        })
    }

    fn verify(&self) -> Result<(), String> {
        let mut verifier = openssl::sign::Verifier::new(openssl::hash::MessageDigest::sha512(), &self.key)
            .map_err(|e| e.to_string())?;
        verifier.update(&self.input).map_err(|e| e.to_string())?;
        match verifier.verify(&self.signature) {
            Ok(true) => Ok(()),
            Ok(false) => Err("the bare verification failed".into()),
            Err(e) => Err(e.to_string()),
        }
    }
}
