//! Properties over arbitrary requests (proptest, bounded in cases): whatever arrives at any route
//! of a provider (any method, odd path segments and query strings, garbage or valid credentials,
//! arbitrary JSON, wrong types, non-UTF-8 bytes), the twin answers without a 5xx, an error comes in
//! that provider's own shape (checked against its schema in `schemas/`), and a rejected request
//! leaves the provider's state (`/__admin/state/{provider}`) as it was.
//!
//! Over 400 lines: one strategy per provider's routes and credentials, each beside the property
//! that uses it, so a failing case reads with what generated it.

use std::sync::OnceLock;

use e2e::{demo_config, schema, start, KasistoClient, PtiClient, PTI_CLIENT};
use mock_server::providers::particeep::auth as particeep_auth;
use mock_server::providers::particeep::seed::{DEMO_KEY, DEMO_SECRET};
use mock_server::providers::pti::crypto::{self as pti_crypto, KeyPair};
use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, TestRunner};
use serde_json::Value;

/// Cases per provider: enough to cover every route several times, few enough to stay in seconds.
/// `PROPERTY_CASES` raises it for a longer hunt.
const CASES: u32 = 160;

/// One provider under test.
struct Provider {
    name: &'static str,
    /// The twin it belongs to (its state and credentials): its name, or `pti` for `pti-v1`.
    family: &'static str,
    /// Where its API is mounted.
    mount: &'static str,
    /// `METHOD /route` of each route; `{}` is replaced by a generated segment. Requests use the
    /// route's own method two times in three, any other the third.
    routes: &'static [&'static str],
    /// Its error body's schema.
    error_schema: &'static str,
    /// Statuses whose rejection changes state by design (the OTP flow counts attempts).
    rejections_that_change_state: &'static [u16],
    /// Error statuses sent without a body by design.
    bodiless_errors: &'static [u16],
    /// State keys every authenticated request moves, accepted or not (Particeep's monthly quota
    /// counts requests, as the real API does); left out of the comparison.
    request_counters: &'static [&'static str],
}

const KASISTO: Provider = Provider {
    name: "kasisto",
    family: "kasisto",
    mount: "/kasisto",
    routes: &[
        "POST /accounts",
        "POST /categories",
        "POST /customer",
        "POST /merchants",
        "POST /otp/{}",
        "POST /payees",
        "POST /payment",
        "POST /token",
        "POST /transactions",
        "POST /transfer",
        "POST /validate_otp",
        "POST /{}",
    ],
    error_schema: "kasisto/error_response.json",
    rejections_that_change_state: &[450, 451, 452, 453],
    bodiless_errors: &[],
    request_counters: &[],
};

const TALER: Provider = Provider {
    name: "taler",
    family: "taler",
    mount: "/taler",
    routes: &[
        "GET /config",
        "GET /private/kyc",
        "GET /private/accounts",
        "GET /instances/{}/private/kyc",
        "GET /instances/{}/private/accounts",
        "GET /management/instances/{}/kyc",
        "GET /instances/{}/kyc",
        "GET /{}",
    ],
    error_schema: "taler/ErrorDetail.json",
    rejections_that_change_state: &[],
    // An Accept that allows neither JSON nor text gets a bare 406: no body it could read.
    bodiless_errors: &[406],
    request_counters: &[],
};

const PTI: Provider = Provider {
    name: "pti",
    family: "pti",
    mount: "/pti/v0",
    routes: &[
        "POST /auth/jwt",
        "POST /users",
        "POST /auth/userToken",
        "GET /users/{}",
        "POST /users/{}/kyc",
        "GET /users/{}/kyc-needed",
        "GET /users/{}/status",
        "POST /users/{}/transactionLogs",
        "GET /users/{}/transactionLogs/{}",
        "POST /users/{}/transactions/fiat/funding",
        "POST /transactions/{}/feedback",
        "GET /{}",
    ],
    error_schema: "pti/error.json",
    rejections_that_change_state: &[],
    bodiless_errors: &[],
    request_counters: &[],
};

const PTI_V1: Provider = Provider {
    name: "pti-v1",
    family: "pti",
    mount: "/pti/v1",
    routes: &[
        "POST /auth/jwt",
        "POST /users",
        "PATCH /users",
        "GET /users",
        "GET /users/{}",
        "POST /users/assessments",
        "GET /users/{}/assessments",
        "POST /users/{}/wallets",
        "GET /users/{}/wallets/{}",
        "POST /users/{}/wallets/{}/simulate-deposit",
        "GET /users/{}/wallets/{}/history",
        "POST /users/{}/payment-information",
        "POST /transactions/assessments",
        "POST /transactions/validations",
        "POST /transactions/deposits",
        "POST /transactions/trades/price-estimation",
        "DELETE /transactions/{}",
        "POST /transactions/{}/updates",
        "POST /users/{}/digital-items",
        "GET /digital-items/{}",
        "GET /{}",
    ],
    error_schema: "pti/v1/unmanagedError.json",
    rejections_that_change_state: &[],
    bodiless_errors: &[],
    request_counters: &[],
};

const PARTICEEP: Provider = Provider {
    name: "particeep",
    family: "particeep",
    mount: "/particeep/v1",
    routes: &[
        "GET /info",
        "GET /ping",
        "PUT /user",
        "GET /user/{}",
        "GET /user/search",
        "GET /user/email/{}",
        "POST /user/authenticate",
        "PUT /wallet",
        "GET /wallet/{}",
        "POST /wallet/transfer",
        "POST /wallet/{}/cashin",
        "PUT /kycs",
        "GET /kycs/owner/{}/{}",
        "PUT /transaction",
        "DELETE /transaction/{}/cancel",
        "POST /document/{}/upload",
        "PUT /role/{}/add/{}",
        "PUT /webhook",
        "POST /webhook/createAll",
        "DELETE /webhook",
        "GET /user/company-business-name",
        "PUT /user/{}/relative",
        "PUT /user/{}/new-relative",
        "POST /user/organization/{}",
        "PUT /wallet/bankaccount/{}",
        "GET /wallet/bankaccount/search",
        "PUT /wallet/{}/sepa",
        "POST /wallet/sepa/{}/cashin",
        "POST /transaction/recurring/{}",
        "DELETE /transaction/multiple/{}",
        "POST /document/{}/dir",
        "DELETE /document/files",
        "GET /document/zip-download",
        "POST /import/user/csv",
        "POST /role/update/{}",
        "POST /kycs/document/validate",
        "POST /payment/schedule/pay",
        "GET /pay/{}",
        "GET /{}",
    ],
    error_schema: "particeep/Envelope.json",
    rejections_that_change_state: &[],
    bodiless_errors: &[],
    request_counters: &["quota_used", "quota_month"],
};

/// Credentials a request carries.
#[derive(Debug, Clone)]
enum Credentials {
    None,
    /// The provider's auth headers with arbitrary values.
    Garbage(String),
    /// Valid credentials: a Kasisto session, the Taler token, a Particeep or PTI signature made
    /// over the request itself.
    Valid,
}

/// What a request carries as its body.
#[derive(Debug, Clone)]
enum Payload {
    Empty,
    Json(Value),
    Bytes(Vec<u8>),
}

#[derive(Debug, Clone)]
struct ArbitraryRequest {
    /// `None`: the route's own method.
    method: Option<&'static str>,
    route: usize,
    segments: Vec<String>,
    query: Option<String>,
    credentials: Credentials,
    payload: Payload,
    extra_header: Option<(String, String)>,
}

/// Field names the providers read, so generated objects often hit real fields with wrong values.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "user_id", "id", "email", "amount", "otp", "type", "status", "h_wire", "currency", "first_name",
            "last_name", "username", "password", "account_id", "exchange_url", "birthday", "wallet_id", "value",
            "date", "request_id", "token", "kyc", "limit", "offset",
        ])
        .prop_map(str::to_owned),
        1 => "[a-zA-Z_]{0,12}",
    ]
}

fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        Just(Value::from(u64::MAX)),
        any::<f64>().prop_filter("JSON numbers are finite", |f| f.is_finite()).prop_map(Value::from),
        ".{0,24}".prop_map(Value::from),
        "[a-z0-9@.+-]{0,3000}".prop_map(Value::from),
        Just(Value::from("2024-13-45T99:99:99Z")),
        Just(Value::from("1e400")),
    ];
    leaf.prop_recursive(3, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::from),
            prop::collection::btree_map(key(), inner, 0..8).prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// A path segment. No `..`: the client resolves dot segments before sending, so they would test
/// the client, not the twin.
fn segment() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-zA-Z0-9_-]{1,16}",
        1 => Just("%00".to_owned()),
        1 => Just("%ff%fe".to_owned()),
        1 => Just("%2F".to_owned()),
        1 => "[a-z]{300}",
        1 => Just("00000000-0000-0000-0000-000000000000".to_owned()),
        1 => Just("default".to_owned()),
        1 => Just("shop-1".to_owned()),
        1 => Just("9999999999999999999999".to_owned()),
    ]
}

fn query() -> impl Strategy<Value = Option<String>> {
    let pair = (
        prop::sample::select(vec![
            "timeout_ms",
            "lp_status",
            "lp_not_status",
            "lp_not_etag",
            "lpt",
            "h_wire",
            "exchange_url",
            "limit",
            "offset",
            "page",
            "q",
            "x",
        ]),
        prop_oneof!["[a-zA-Z0-9%._-]{0,12}", Just("-1".to_owned()), Just("99999999999999999999".to_owned())],
    )
        .prop_map(|(name, value)| format!("{name}={value}"));
    prop::option::of(prop::collection::vec(pair, 1..4).prop_map(|pairs| pairs.join("&")))
}

fn request(routes: usize) -> impl Strategy<Value = ArbitraryRequest> {
    let credentials = prop_oneof![
        1 => Just(Credentials::None),
        1 => "[ -~]{0,80}".prop_map(Credentials::Garbage),
        2 => Just(Credentials::Valid),
    ];
    let payload = prop_oneof![
        1 => Just(Payload::Empty),
        4 => json().prop_map(Payload::Json),
        1 => prop::collection::vec(any::<u8>(), 0..200).prop_map(Payload::Bytes),
    ];
    let extra_header = prop::option::of((
        prop::sample::select(vec!["accept", "if-none-match", "content-type", "x-pti-request-id", "datetime"]),
        "[ -~]{0,60}",
    ))
    .prop_map(|header| header.map(|(name, value)| (name.to_owned(), value)));
    (
        prop_oneof![2 => Just(None), 1 => prop::sample::select(vec!["GET", "POST", "PUT", "PATCH", "DELETE"]).prop_map(Some)],
        0..routes,
        prop::collection::vec(segment(), 2),
        query(),
        credentials,
        payload,
        extra_header,
    )
        .prop_map(|(method, route, segments, query, credentials, payload, extra_header)| ArbitraryRequest {
            method,
            route,
            segments,
            query,
            credentials,
            payload,
            extra_header,
        })
}

/// One runtime for every case, so each provider's mock keeps running between cases.
fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap_or_else(|e| panic!("a runtime: {e}"))
    })
}

struct Target {
    running: fintwin::Twin,
    http: reqwest::Client,
    kasisto_token: Option<String>,
    pti_key: Option<KeyPair>,
}

impl Target {
    async fn state(&self, provider: &str) -> Value {
        let url = format!("{}/__admin/state/{provider}", self.running.base_url());
        let response = self.http.get(url).send().await.unwrap_or_else(|e| panic!("state: {e}"));
        response.json().await.unwrap_or_else(|e| panic!("state is JSON: {e}"))
    }

    async fn send(&self, provider: &Provider, request: &ArbitraryRequest) -> (u16, String) {
        let mut segments = request.segments.iter();
        let mut path = String::new();
        let (own_method, route) = provider.routes[request.route].split_once(' ').unwrap_or(("GET", "/"));
        let method = request.method.unwrap_or(own_method);
        for (index, piece) in route.split("{}").enumerate() {
            if index > 0 {
                path.push_str(segments.next().map_or("x", String::as_str));
            }
            path.push_str(piece);
        }
        let mut url = format!("{}{}{path}", self.running.base_url(), provider.mount);
        if let Some(query) = &request.query {
            url.push('?');
            url.push_str(query);
        }
        let mut builder =
            self.http.request(reqwest::Method::from_bytes(method.as_bytes()).unwrap_or(reqwest::Method::GET), url);
        let body: Option<Vec<u8>> = match &request.payload {
            Payload::Empty => None,
            Payload::Json(value) => Some(value.to_string().into_bytes()),
            Payload::Bytes(bytes) => Some(bytes.clone()),
        };
        builder = match (&request.credentials, provider.family) {
            (Credentials::None, _) => builder,
            (Credentials::Garbage(value), "kasisto") => builder.header("secret", value).header("token", value),
            (Credentials::Garbage(value), "taler") => builder.header("authorization", format!("Bearer {value}")),
            (Credentials::Garbage(value), "pti") => builder
                .header("x-pti-client-id", "00000000-0000-0000-0000-000000000000")
                .header("x-pti-signature", value)
                .header("x-pti-token", value)
                .header("date", value),
            (Credentials::Garbage(value), _) => {
                builder.header("authorization", format!("PTP:{value}")).header("datetime", value)
            }
            (Credentials::Valid, "kasisto") => {
                let builder = builder.header("secret", "kasisto-demo-secret");
                match &self.kasisto_token {
                    Some(token) => builder.header("token", token),
                    None => builder,
                }
            }
            (Credentials::Valid, "taler") => builder.header("authorization", "Bearer secret-token:demo"),
            (Credentials::Valid, "particeep") => {
                particeep_auth::signed_headers(DEMO_KEY, DEMO_SECRET, chrono::Utc::now())
                    .into_iter()
                    .fold(builder, |builder, (name, value)| builder.header(name, value))
            }
            // Signed as PTI's reference signer does, over this request's own body and path.
            (Credentials::Valid, "pti") => {
                let content_type = body.is_some().then_some("application/json");
                let full_path = format!("{}{path}", provider.mount);
                let bytes = body.as_deref().unwrap_or_default();
                let key = self.pti_key.as_ref().unwrap_or_else(|| panic!("the PTI key is read at start"));
                let date = pti_crypto::http_date(chrono::Utc::now());
                let signed =
                    pti_crypto::signed_headers(key, PTI_CLIENT, method, &full_path, bytes, content_type, &date);
                let signed = signed.unwrap_or_else(|e| panic!("{e}"));
                signed.into_iter().fold(builder, |builder, (name, value)| builder.header(name, value))
            }
            (Credentials::Valid, _) => builder,
        };
        if let Some((name, value)) = &request.extra_header {
            builder = builder.header(name, value);
        }
        if let Some(body) = body {
            builder = builder.header("content-type", "application/json").body(body);
        }
        let response = builder.send().await.unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let status = response.status().as_u16();
        (status, response.text().await.unwrap_or_default())
    }
}

/// Whether `body` is an error in `provider`'s own shape.
fn error_problem(provider: &Provider, status: u16, body: &str) -> Option<String> {
    static VALIDATORS: OnceLock<Vec<(&'static str, jsonschema::Validator)>> = OnceLock::new();
    let validators = VALIDATORS.get_or_init(|| {
        [
            KASISTO.error_schema,
            TALER.error_schema,
            PTI.error_schema,
            PARTICEEP.error_schema,
            "pti/inputRequest.json",
            PTI_V1.error_schema,
            "pti/v1/invalidRequestError.json",
            "pti/v1/missingInformationError.json",
        ]
        .into_iter()
        .map(|name| {
            let validator = jsonschema::validator_for(&schema(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, validator)
        })
        .collect()
    });
    if provider.bodiless_errors.contains(&status) {
        return (!body.is_empty()).then(|| format!("the {status} should have no body: {body:.200}"));
    }
    let wanted = match (provider.name, status) {
        ("pti", 406) => "pti/inputRequest.json",
        ("pti-v1", 400) => "pti/v1/invalidRequestError.json",
        ("pti-v1", 422) => "pti/v1/missingInformationError.json",
        _ => provider.error_schema,
    };
    let json: Value = match serde_json::from_str(body) {
        Ok(json) => json,
        Err(_) => return Some(format!("the {status} body is not JSON: {body:.200}")),
    };
    let validator = validators.iter().find(|(name, _)| *name == wanted).map(|(_, v)| v)?;
    if let Some(error) = validator.iter_errors(&json).next() {
        return Some(format!("the {status} body breaks {wanted}: {error}: {body:.300}"));
    }
    if provider.name == "particeep" && json["error"].is_null() {
        return Some(format!("the Particeep {status} envelope has no error: {body:.300}"));
    }
    None
}

/// `state` with the `keys` removed wherever they appear.
fn without(mut state: Value, keys: &[&str]) -> Value {
    fn strip(value: &mut Value, keys: &[&str]) {
        match value {
            Value::Object(map) => {
                map.retain(|key, _| !keys.contains(&key.as_str()));
                map.values_mut().for_each(|inner| strip(inner, keys));
            }
            Value::Array(items) => items.iter_mut().for_each(|inner| strip(inner, keys)),
            _ => {}
        }
    }
    strip(&mut state, keys);
    state
}

fn check(provider: &'static Provider) {
    let target = runtime().block_on(async {
        // No rate limits: they would answer most cases with 429 before the route sees them (the
        // throttle has tests of its own).
        let mut config = demo_config();
        config.providers.kasisto.throttle = Default::default();
        config.providers.pti.throttle = Default::default();
        config.providers.taler.throttle = Default::default();
        config.providers.particeep.throttle = Default::default();
        let running = start(config).await;
        let kasisto_token = if provider.name == "kasisto" {
            KasistoClient::new(&running).login("joe.tester").await.token
        } else {
            None
        };
        let pti_key = if provider.family == "pti" { Some(PtiClient::new(&running).await.key) } else { None };
        Target { running, http: reqwest::Client::new(), kasisto_token, pti_key }
    });
    let cases = std::env::var("PROPERTY_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(CASES);
    let config = ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() };
    let mut runner = TestRunner::new(config);
    let outcome = runner.run(&request(provider.routes.len()), |request| {
        let (status, body, before, after) = runtime().block_on(async {
            let before = target.state(provider.family).await;
            let (status, body) = target.send(provider, &request).await;
            let after = target.state(provider.family).await;
            (status, body, before, after)
        });
        prop_assert!(status < 500, "{} answered {status}: {body:.300}", provider.name);
        if status >= 400 {
            if let Some(problem) = error_problem(provider, status, &body) {
                prop_assert!(false, "{problem}");
            }
            if !provider.rejections_that_change_state.contains(&status) {
                let (before, after) =
                    (without(before, provider.request_counters), without(after, provider.request_counters));
                prop_assert_eq!(&before, &after, "a rejected request ({}) changed the state", status);
            }
        }
        Ok(())
    });
    runtime().block_on(async {
        let _ = target.running.shutdown().await;
    });
    if let Err(failure) = outcome {
        panic!("{}: {failure}", provider.name);
    }
}

#[test]
fn kasisto_answers_any_request_without_a_5xx_in_its_own_error_shape_and_rejections_change_nothing() {
    check(&KASISTO);
}

#[test]
fn taler_answers_any_request_without_a_5xx_in_its_own_error_shape_and_rejections_change_nothing() {
    check(&TALER);
}

#[test]
fn pti_answers_any_request_without_a_5xx_in_its_own_error_shape_and_rejections_change_nothing() {
    check(&PTI);
}

#[test]
fn pti_v1_answers_any_request_without_a_5xx_in_its_own_error_shapes_and_rejections_change_nothing() {
    check(&PTI_V1);
}

#[test]
fn particeep_answers_any_request_without_a_5xx_in_its_own_error_shape_and_rejections_change_nothing() {
    check(&PARTICEEP);
}

/// The cases the properties above first found, pinned: each answered in its provider's own shape.
#[test]
fn odd_paths_and_undecodable_segments_get_the_providers_own_errors() {
    runtime().block_on(async {
        let running = start(demo_config()).await;
        let http = reqwest::Client::new();
        let cases: [(&Provider, &str, u16); 8] = [
            (&KASISTO, "/kasisto/", 404),
            (&TALER, "/taler/", 404),
            (&PTI, "/pti/v0/", 404),
            (&PTI_V1, "/pti/v1/", 404),
            (&PARTICEEP, "/particeep/", 404),
            (&PARTICEEP, "/particeep/v1/no-such-endpoint", 404),
            (&TALER, "/taler/instances/%ff%fe/private/kyc", 404),
            (&TALER, "/taler/private/kyc?timeout_ms=%ff", 400),
        ];
        for (provider, path, status) in cases {
            let response = http
                .get(format!("{}{path}", running.base_url()))
                .header("authorization", "Bearer secret-token:demo")
                .send()
                .await
                .unwrap_or_else(|e| panic!("{path}: {e}"));
            assert_eq!(response.status().as_u16(), status, "{path}");
            let body = response.text().await.unwrap_or_default();
            assert_eq!(error_problem(provider, status, &body), None, "{path}");
        }
        // Past Particeep's authentication, a segment that does not decode is its own 400.
        let date_time = particeep_auth::date_time(chrono::Utc::now());
        let response = http
            .get(format!("{}/particeep/v1/user/%ff%fe", running.base_url()))
            .header("datetime", &date_time)
            .header("authorization", particeep_auth::authorization(DEMO_KEY, DEMO_SECRET, &date_time))
            .send()
            .await
            .unwrap_or_else(|e| panic!("particeep: {e}"));
        assert_eq!(response.status().as_u16(), 400);
        let body = response.text().await.unwrap_or_default();
        assert_eq!(error_problem(&PARTICEEP, 400, &body), None);
        assert!(body.contains("error.api.path.invalid"), "{body}");
        let _ = running.shutdown().await;
    });
}
