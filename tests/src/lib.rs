//! Helpers for the end-to-end tests: start the real mock on `127.0.0.1:0` and talk HTTP to it.

// The library crates document every public item, and export nothing by accident.
#![warn(missing_docs, unreachable_pub)]

use std::net::SocketAddr;

use mock_server::providers::pti::crypto::{self, KeyPair};
pub use mock_server::{Config, Running};

/// The PTI demo client, whose requests [`PtiClient`] signs.
pub const PTI_CLIENT: &str = mock_server::providers::pti::seed::DEMO_CLIENT_ID;
use serde_json::Value;

/// The demo config, bound to any free loopback port.
pub fn demo_config() -> Config {
    Config { bind: SocketAddr::from(([127, 0, 0, 1], 0)), ..Config::default() }
}

/// Starts a mock with `config` on `127.0.0.1:0`, through the library API ([`fintwin::Twin`], which
/// derefs to the [`Running`] server and stops it when dropped).
pub async fn start(config: Config) -> fintwin::Twin {
    match fintwin::Twin::builder().config(config).start().await {
        Ok(twin) => twin,
        Err(err) => panic!("the mock did not start: {err}"),
    }
}

/// A response, read whole.
#[derive(Debug, Clone)]
pub struct Reply {
    /// Status code.
    pub status: u16,
    /// Headers.
    pub headers: reqwest::header::HeaderMap,
    /// Body parsed as JSON (`Null` when empty or not JSON).
    pub json: Value,
    /// Body as text.
    pub text: String,
}

impl Reply {
    /// A header's value as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The Kasisto error `code` of the body.
    pub fn code(&self) -> &str {
        self.json["code"].as_str().unwrap_or_default()
    }
}

async fn read(response: reqwest::Response) -> Reply {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap_or_default();
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    Reply { status, headers, json, text }
}

/// A Kasisto client: the secret, and the token once logged in.
#[derive(Clone)]
pub struct KasistoClient {
    /// HTTP client.
    pub http: reqwest::Client,
    /// `http://ADDR/kasisto`.
    pub base: String,
    /// `http://ADDR` (for the admin API).
    pub root: String,
    /// The `secret` header sent.
    pub secret: Option<String>,
    /// The `token` header sent.
    pub token: Option<String>,
}

impl KasistoClient {
    /// A client of the mock at `running`, with the demo secret and no token.
    pub fn new(running: &Running) -> Self {
        Self {
            http: reqwest::Client::new(),
            base: format!("{}/kasisto", running.url()),
            root: running.url(),
            secret: Some("kasisto-demo-secret".into()),
            token: None,
        }
    }

    /// Logs in (`/token`) and keeps the token.
    pub async fn login(mut self, username: &str) -> Self {
        let reply = self.post("/token", serde_json::json!({"username": username, "password": "demo-password"})).await;
        assert_eq!(reply.status, 200, "login of {username}: {}", reply.text);
        self.token = reply.json["token"].as_str().map(str::to_owned);
        self
    }

    /// `POST {base}{path}` with a JSON body.
    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.post_raw(path, body.to_string().into_bytes()).await
    }

    /// `POST {base}{path}` with raw bytes as the body.
    pub async fn post_raw(&self, path: &str, body: Vec<u8>) -> Reply {
        let mut request =
            self.http.post(format!("{}{path}", self.base)).header("content-type", "application/json").body(body);
        if let Some(secret) = &self.secret {
            request = request.header("secret", secret);
        }
        if let Some(token) = &self.token {
            request = request.header("token", token);
        }
        match request.send().await {
            Ok(response) => read(response).await,
            Err(err) => panic!("POST {path}: {err}"),
        }
    }

    /// `GET {root}{path}` on the admin API.
    pub async fn admin_get(&self, path: &str) -> Reply {
        match self.http.get(format!("{}{path}", self.root)).send().await {
            Ok(response) => read(response).await,
            Err(err) => panic!("GET {path}: {err}"),
        }
    }

    /// `{method} {root}{path}` on the admin API with a JSON body.
    pub async fn admin_send(&self, method: reqwest::Method, path: &str, body: Value) -> Reply {
        match self.http.request(method, format!("{}{path}", self.root)).json(&body).send().await {
            Ok(response) => read(response).await,
            Err(err) => panic!("{path}: {err}"),
        }
    }

    /// The customer's current OTP, read through the admin API.
    pub async fn current_otp(&self, user_id: &str) -> String {
        let reply = self.admin_get(&format!("/__admin/kasisto/otp/{user_id}")).await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        reply.json["otp"].as_str().unwrap_or_default().to_owned()
    }
}

/// The workspace root (where `schemas/` and `scenarios/` live).
pub fn workspace_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(std::path::Path::to_path_buf).unwrap_or_default()
}

/// A validator for `schemas/{relative}`.
pub fn schema(relative: &str) -> Value {
    let path = workspace_root().join("schemas").join(relative);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A client of the PTI twin that signs every request as PTI's reference signer does.
#[derive(Clone)]
pub struct PtiClient {
    /// The HTTP client.
    pub http: reqwest::Client,
    /// `http://ADDR` of the mock.
    pub root: String,
    /// The demo client's key pair.
    pub key: KeyPair,
    /// The API's mount: `/pti/v0`, or `/pti/v1` after [`PtiClient::v1`].
    pub base: &'static str,
}

impl PtiClient {
    /// A client with the demo client's key (read from the admin API).
    pub async fn new(mock: &Running) -> Self {
        let http = reqwest::Client::new();
        let root = mock.url();
        let jwk: Value = http
            .get(format!("{root}/__admin/pti/clients/{PTI_CLIENT}/private-jwk"))
            .send()
            .await
            .ok()
            .map(|r| r.json())
            .unwrap_or_else(|| panic!("no key"))
            .await
            .unwrap_or_default();
        let key = KeyPair::from_private_jwk(&crypto::jwk_from_json(&jwk).unwrap_or_else(|e| panic!("{e}")))
            .unwrap_or_else(|e| panic!("{e}"));
        Self { http, root, key, base: "/pti/v0" }
    }

    /// The same client, talking to the v1 API (`/pti/v1`).
    pub fn v1(mut self) -> Self {
        self.base = "/pti/v1";
        self
    }

    /// A signed request; `headers` are added after the signature's.
    pub async fn send(&self, method: &str, path: &str, body: Option<Value>, headers: &[(&str, &str)]) -> Reply {
        let full_path = format!("{}{path}", self.base);
        let body_text = body.map(|b| b.to_string()).unwrap_or_default();
        let date = crypto::http_date(chrono::Utc::now());
        let signed = crypto::signed_headers(
            &self.key,
            PTI_CLIENT,
            method,
            &full_path,
            body_text.as_bytes(),
            Some("application/json"),
            &date,
        );
        let mut request =
            self.http.request(method.parse().unwrap_or(reqwest::Method::GET), format!("{}{full_path}", self.root));
        for (name, value) in signed.unwrap_or_else(|e| panic!("{e}")) {
            request = request.header(name, value);
        }
        if method != "GET" {
            request = request.header("content-type", "application/json").body(body_text);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap_or_default();
        let json = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply { status, headers, json, text }
    }

    /// An admin call with a JSON body; the answer's JSON.
    pub async fn admin(&self, method: reqwest::Method, path: &str, body: Value) -> Value {
        let response = self
            .http
            .request(method, format!("{}/__admin{path}", self.root))
            .json(&body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        response.json().await.unwrap_or(Value::Null)
    }

    /// PTI's public key, as webhooks are verified with it.
    pub async fn pti_public_key(&self) -> josekit::jwk::Jwk {
        let jwks: Value = self
            .http
            .get(format!("{}/__admin/pti/jwks", self.root))
            .send()
            .await
            .ok()
            .map(|r| r.json())
            .unwrap_or_else(|| panic!("jwks"))
            .await
            .unwrap_or_default();
        crypto::jwk_from_json(&jwks["keys"][0]).unwrap_or_else(|e| panic!("{e}"))
    }
}

/// One webhook delivery as a receiver saw it.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// Its headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// Its body.
    pub body: String,
}

impl Delivery {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// A webhook receiver on loopback that keeps every delivery (headers and body) and answers 200.
#[derive(Clone, Default)]
pub struct DeliveryLog {
    deliveries: std::sync::Arc<std::sync::Mutex<Vec<Delivery>>>,
    /// Its URL (`http://127.0.0.1:PORT/webhook`).
    pub url: String,
}

impl DeliveryLog {
    /// Starts one.
    pub async fn start() -> Self {
        let deliveries: std::sync::Arc<std::sync::Mutex<Vec<Delivery>>> = std::sync::Arc::default();
        let kept = deliveries.clone();
        let router = axum::Router::new().route(
            "/webhook",
            axum::routing::post(move |headers: axum::http::HeaderMap, body: String| {
                let kept = kept.clone();
                async move {
                    let headers = headers
                        .iter()
                        .map(|(n, v)| (n.as_str().to_owned(), v.to_str().unwrap_or_default().to_owned()))
                        .collect();
                    kept.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(Delivery { headers, body });
                    axum::http::StatusCode::OK
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap_or_else(|e| panic!("{e}"));
        let url = format!("http://{}/webhook", listener.local_addr().unwrap_or_else(|e| panic!("{e}")));
        tokio::spawn(async move { axum::serve(listener, router).await });
        Self { deliveries, url }
    }

    /// Waits (at most 5 s) until `count` deliveries arrived; returns them all.
    pub async fn wait(&self, count: usize) -> Vec<Delivery> {
        for _ in 0..200 {
            let seen = self.deliveries.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
            if seen.len() >= count {
                return seen;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        panic!("{count} webhooks did not arrive within 5 s");
    }
}
