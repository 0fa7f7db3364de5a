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
