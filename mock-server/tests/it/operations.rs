//! Each provider's table of operations is its router: this reads the `.route(...)` calls of each
//! `router.rs`'s `api` function (method and path) and requires exactly the table's list, so a route
//! added without its table entry (or the reverse) fails here. Coverage reports and the OpenAPI
//! count from the table.

use std::path::Path;

use mock_server::provider::Operation;
use mock_server::providers;

/// The `(METHOD, path)` pairs routed in `api(...)` of a router file, in order.
fn routed(file: &Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let start = text.find("pub fn api(").unwrap_or_else(|| panic!("{} has no api()", file.display()));
    let body = &text[start..];
    let body = &body[..body[1..].find("\npub fn ").map_or(body.len(), |end| end + 1)];
    let mut found: Vec<(String, String)> = Vec::new();
    let mut rest = body;
    while let Some(at) = rest.find(".route(") {
        let call_start = at + ".route(".len();
        let mut depth = 1;
        let mut end = call_start;
        for (offset, c) in rest[call_start..].char_indices() {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                _ => {}
            }
            if depth == 0 {
                end = call_start + offset;
                break;
            }
        }
        let call = &rest[call_start..end];
        let path_start = call.find('"').unwrap_or(0) + 1;
        let path_end = path_start + call[path_start..].find('"').unwrap_or(0);
        let path = &call[path_start..path_end];
        let methods = &call[path_end + 1..];
        // Each method router (`get(`, `.post(`), in the order written.
        let mut hits: Vec<(usize, String)> = Vec::new();
        for method in ["get", "post", "put", "patch", "delete", "head", "options"] {
            let needle = format!("{method}(");
            let mut from = 0;
            while let Some(hit) = methods[from..].find(&needle) {
                let at = from + hit;
                let before = methods[..at].chars().last().unwrap_or(' ');
                if before.is_whitespace() || before == '.' || before == '(' || before == ',' {
                    hits.push((at, method.to_uppercase()));
                }
                from = at + needle.len();
            }
        }
        hits.sort();
        found.extend(hits.into_iter().map(|(_, method)| (method, path.to_owned())));
        rest = &rest[end..];
    }
    found
}

#[test]
fn every_table_is_what_its_router_routes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/providers");
    let files = [
        ("kasisto", "kasisto/router.rs"),
        ("pti", "pti/router.rs"),
        ("pti-v1", "pti/v1/router.rs"),
        ("taler", "taler/router.rs"),
        ("particeep", "particeep/router.rs"),
    ];
    for (name, file) in files {
        let target = providers::find_target(name).unwrap_or_else(|| panic!("{name} is a target"));
        let table: Vec<(String, String)> =
            target.operations.iter().map(|op| (op.method.to_owned(), op.path.to_owned())).collect();
        assert_eq!(table, routed(&root.join(file)), "{name}: its OPERATIONS and its router differ");
        assert!(!table.is_empty());
    }
}

#[test]
fn a_request_matches_the_most_literal_operation() {
    let by_id = Operation::new("GET", "/v1/user/{id}");
    let search = Operation::new("GET", "/v1/user/search");
    assert_eq!((by_id.matches("GET", "/v1/user/search"), search.matches("GET", "/v1/user/search")), (Some(2), Some(3)));
    assert_eq!(by_id.matches("POST", "/v1/user/42"), None);
    assert_eq!(by_id.matches("GET", "/v1/user/42/x"), None);
}

const TARGETS: [&str; 5] = ["kasisto", "pti", "pti-v1", "taler", "particeep"];

#[test]
fn every_body_schema_an_operation_names_is_published() {
    let schemas = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    let mut named = 0;
    for name in TARGETS {
        let target = providers::find_target(name).unwrap_or_else(|| panic!("{name} is a target"));
        for op in target.operations {
            for schema in [op.request, op.response].into_iter().flatten() {
                assert!(schemas.join(schema).is_file(), "{name} {} {}: no schemas/{schema}", op.method, op.path);
                named += 1;
            }
            assert!(op.documented.windows(2).all(|w| w[0] < w[1]), "{name} {}: statuses in order", op.path);
        }
    }
    assert!(named > 40, "only {named} body schemas named");
}

/// The statuses a spec lists for each operation (explicit ones; `default` aside), its path
/// parameters renamed as the twin's router names them.
fn spec_statuses(file: &Path, renamed: &[(&str, &str)]) -> Vec<((String, String), Vec<u16>)> {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let spec: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let mut found = Vec::new();
    for (path, item) in spec["paths"].as_object().into_iter().flatten() {
        let mut path = path.clone();
        for (from, to) in renamed {
            path = path.replace(&format!("{{{from}}}"), &format!("{{{to}}}"));
        }
        for (method, operation) in item.as_object().into_iter().flatten() {
            let Some(responses) = operation.get("responses").and_then(|r| r.as_object()) else { continue };
            let mut statuses: Vec<u16> = responses.keys().filter_map(|k| k.parse().ok()).collect();
            statuses.sort_unstable();
            found.push(((method.to_uppercase(), path.clone()), statuses));
        }
    }
    found
}

#[test]
fn the_documented_statuses_are_the_published_specs_where_those_are_at_hand() {
    let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/specs");
    if !specs.is_dir() {
        println!(
            "skipped: ../shared/specs is not beside this clone; the tables are checked against the specs where it is"
        );
        return;
    }
    let pti_names = [
        ("userId", "user_id"),
        ("requestId", "request_id"),
        ("walletId", "wallet_id"),
        ("paymentInformationId", "information_id"),
        ("digitalItemId", "item_id"),
    ];
    let cases = [
        ("kasisto", specs.join("kasisto/kasisto-swagger-1.0.0-2017-02-06.json")),
        ("pti", specs.join("pti/pti-docs/api/v0/index.html.embedded-spec.json")),
        ("pti-v1", specs.join("pti/pti-docs/api/v1/public-api.json")),
    ];
    for (name, file) in cases {
        let target = providers::find_target(name).unwrap_or_else(|| panic!("{name} is a target"));
        let published = spec_statuses(&file, &pti_names);
        let mut compared = 0;
        for op in target.operations {
            // v1's spec writes `/wallets/`; the twin routes both spellings with its answers.
            let path = if name == "pti-v1" && op.path == "/wallets" { "/wallets/" } else { op.path };
            let key = (op.method.to_owned(), path.to_owned());
            if let Some((_, statuses)) = published.iter().find(|(k, _)| *k == key) {
                assert_eq!(op.documented, statuses.as_slice(), "{name} {} {}: the spec's statuses", op.method, op.path);
                compared += 1;
            }
        }
        assert!(compared >= 10, "{name}: only {compared} operations found in {}", file.display());
    }
}
