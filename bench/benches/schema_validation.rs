//! Benchmark (criterion, not a test): schema validations per second on responses recorded from
//! the twin, beside a baseline measured in the same run (parsing the same body as JSON), so a
//! slowdown in the runner's hottest check shows as a ratio, not as noise of the machine.
//!
//! `cargo bench -p fintwin-bench --bench schema_validation` (`bench/run` adds
//! `-- --output-format bencher` and writes the figures to BENCHMARKS.md).

use std::hint::black_box;
use std::net::SocketAddr;
use std::path::Path;

use conformance::schema::SchemaRegistry;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use serde_json::Value;

/// A response body recorded from the twin and the schema it must satisfy.
struct Recorded {
    label: &'static str,
    schema: &'static str,
    body: String,
}

/// Starts the twin on loopback and records a few responses of different sizes and shapes.
fn record() -> Result<Vec<Recorded>, String> {
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let config = mock_server::Config { bind: SocketAddr::from(([127, 0, 0, 1], 0)), ..Default::default() };
        let twin = mock_server::spawn(config).await.map_err(|e| e.to_string())?;
        let root = twin.url();
        let client = reqwest::Client::new();
        let text = |request: reqwest::RequestBuilder| async move {
            let response = request.send().await.map_err(|e| e.to_string())?;
            if !response.status().is_success() {
                return Err(format!("the twin answered {}", response.status()));
            }
            response.text().await.map_err(|e| e.to_string())
        };
        let bearer = "Bearer secret-token:demo";
        let secret = "kasisto-demo-secret";
        let login = serde_json::json!({ "username": "joe.tester", "password": "demo-password" });
        let login = text(client.post(format!("{root}/kasisto/token")).header("secret", secret).json(&login)).await?;
        let login: Value = serde_json::from_str(&login).map_err(|e| e.to_string())?;
        let token = login["token"].as_str().ok_or("the Kasisto login gave no token")?;
        let recorded = vec![
            Recorded {
                label: "taler_kyc",
                schema: "taler/MerchantAccountKycRedirectsResponse.json",
                body: text(client.get(format!("{root}/taler/private/kyc")).header("authorization", bearer)).await?,
            },
            Recorded {
                label: "taler_config",
                schema: "taler/MerchantVersionResponse.json",
                body: text(client.get(format!("{root}/taler/config"))).await?,
            },
            Recorded {
                label: "kasisto_accounts",
                schema: "kasisto/accounts_response.json",
                body: text(
                    client
                        .post(format!("{root}/kasisto/accounts"))
                        .header("secret", secret)
                        .header("token", token)
                        .json(&serde_json::json!({"user_id": "1234567890"})),
                )
                .await?,
            },
        ];
        twin.shutdown().await.map_err(|e| e.to_string())?;
        Ok(recorded)
    })
}

fn schema_validation(c: &mut Criterion) {
    let schemas = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    let registry = SchemaRegistry::load(&schemas).unwrap_or_else(|e| panic!("the schemas load: {e}"));
    let recorded = record().unwrap_or_else(|e| panic!("recording responses from the twin: {e}"));
    for Recorded { label, schema, body } in &recorded {
        let document: Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("{label} is JSON: {e}"));
        let violations = registry.validate(schema, &document).unwrap_or_else(|e| panic!("{label}: {e}"));
        assert!(violations.is_empty(), "{label} breaks {schema}: {violations:?}");
        // The failing path builds every violation: measured on the same body with its first
        // field's value replaced by a wrong type.
        let mut broken = document.clone();
        break_first_field(&mut broken);
        assert!(!registry.validate(schema, &broken).unwrap_or_default().is_empty(), "{label}: the broken copy fails");

        let mut group = c.benchmark_group(*label);
        group.throughput(Throughput::Elements(1));
        group.bench_function("baseline_parse_json", |b| {
            b.iter(|| serde_json::from_str::<Value>(black_box(body)).map(|v| v.is_object()))
        });
        group.bench_function("validate_valid", |b| b.iter(|| registry.validate(schema, black_box(&document))));
        group.bench_function("validate_invalid", |b| b.iter(|| registry.validate(schema, black_box(&broken))));
        group.finish();
    }
}

/// Replaces the first scalar it finds with a value of another type.
fn break_first_field(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(first) = map.values_mut().next() {
                break_first_field(first);
            }
        }
        Value::Array(items) => {
            if let Some(first) = items.first_mut() {
                break_first_field(first);
            }
        }
        Value::String(_) => *value = Value::from(12),
        _ => *value = Value::from("not this type"),
    }
}

criterion_group!(benches, schema_validation);
criterion_main!(benches);
