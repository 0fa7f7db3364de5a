//! OpenAPI 3.1 documents of every twin's API (`schemas/openapi/{name}.json`, served at
//! `/__admin/openapi/{name}.json`), generated from the route tables (`OPERATIONS`), each
//! provider's description of its API ([`ApiDoc`], in its folder's `openapi.rs`) and the same model
//! types as `schemas/`: never written by hand, and a test fails when the checked-in files differ
//! from what the code generates.
//!
//! The body schemas are the contract's own (`schemas/{provider}/*.json`): each file becomes a
//! component, its `$defs` are hoisted beside it and its `#/$defs/…` references rewritten, so a tool
//! that resolves references against the OpenAPI document (Schemathesis, Prism, Postman) finds them.
//!
//! Over 400 lines: the description types the providers fill in, the document's assembly
//! (operations, responses, shared error answers and headers, components) and its tests, one job.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

use crate::operation::Operation;
use crate::provider::Registered;

/// How a client authenticates: one entry of the document's `securitySchemes`.
#[derive(Debug)]
pub enum Scheme {
    /// A credential sent in a request header (`secret`, `x-pti-signature`).
    Header {
        /// Its name among the schemes (what a security requirement names).
        id: &'static str,
        /// The header.
        header: &'static str,
        /// What goes in it.
        description: &'static str,
    },
    /// `Authorization: Bearer …`.
    Bearer {
        /// Its name among the schemes.
        id: &'static str,
        /// What the token is.
        description: &'static str,
    },
}

/// A query parameter, a request header or a response header: its name, its JSON Schema (as JSON
/// text, so the tables stay constants) and what it means.
#[derive(Debug)]
pub struct Field {
    /// The parameter's or header's name.
    pub name: &'static str,
    /// Its JSON Schema, as JSON text (`{"type": "integer", "minimum": 0}`).
    pub schema: &'static str,
    /// Whether it is always there (a response header) or must be sent (a parameter).
    pub required: bool,
    /// What it means.
    pub description: &'static str,
}

impl Field {
    /// An optional string-valued field.
    pub const fn text(name: &'static str, description: &'static str) -> Self {
        Self { name, schema: r#"{"type": "string"}"#, required: false, description }
    }

    /// The same, always present (a response header) or required (a parameter).
    pub const fn always(mut self) -> Self {
        self.required = true;
        self
    }

    /// The same with another schema.
    pub const fn schema(mut self, schema: &'static str) -> Self {
        self.schema = schema;
        self
    }
}

/// What one operation has beyond its route-table entry ([`Operation`]).
#[derive(Debug, Default)]
pub struct OperationDoc {
    /// Its query parameters.
    pub query: &'static [Field],
    /// The request headers it reads besides the credentials (`If-None-Match`, `x-pti-request-id`).
    pub headers: &'static [Field],
    /// Its security requirement where it differs from the API's: alternatives, each a set of
    /// schemes sent together (`Some(&[])`: no credentials).
    pub security: Option<&'static [&'static [&'static str]]>,
    /// Headers of its success answers but 204 (which has no entity), 304 included (`ETag`).
    pub success_headers: &'static [Field],
    /// Media types of its success answer besides `application/json`, each with its schema as JSON
    /// text (Taler's `text/plain`); `only_these` leaves JSON out.
    pub also_produces: &'static [(&'static str, &'static str)],
    /// Its success answer is not JSON at all: only [`OperationDoc::also_produces`].
    pub only_these: bool,
    /// Statuses it answers with no body (204, 304, Taler's 406).
    pub empty: &'static [u16],
    /// Statuses the twin answers with beyond the provider's documented ones, for this operation.
    pub added: &'static [u16],
    /// Its request body's media type when it is not JSON (an upload, a form), with its schema as
    /// JSON text.
    pub request_media: Option<(&'static str, &'static str)>,
    /// Its error answers' media type when they are not the API's error body (a page for a person),
    /// with its schema as JSON text.
    pub error_media: Option<(&'static str, &'static str)>,
}

/// How a provider describes one of its APIs for the OpenAPI document (each provider's
/// `openapi.rs`).
#[derive(Debug)]
pub struct ApiDoc {
    /// The document's title.
    pub title: &'static str,
    /// What the API is and which of the provider's documents the twin follows.
    pub description: &'static str,
    /// The credentials its clients send.
    pub schemes: &'static [Scheme],
    /// The security requirement of its operations: alternatives, each a set of schemes sent
    /// together.
    pub security: &'static [&'static [&'static str]],
    /// The schema files of its error bodies (`kasisto/error_response.json`); more than one: any of
    /// them.
    pub error: &'static [&'static str],
    /// Headers of every answer of the API (Particeep's metadata headers).
    pub headers: &'static [Field],
    /// Statuses the twin answers every operation with beyond the documented ones (its own
    /// refusals; 429 is added to every operation in any case).
    pub added: &'static [u16],
    /// Whether the provider's spec gives every operation a `default` answer in the error shape
    /// (PTI's does).
    pub default_error: bool,
    /// What each operation has beyond its route-table entry.
    pub operation: fn(&Operation) -> OperationDoc,
    /// What the provider's own statuses mean (Kasisto's 450–453).
    pub statuses: &'static [(u16, &'static str)],
}

/// An [`ApiDoc::operation`] for an API whose operations need nothing beyond their table entries.
pub fn plain(_: &Operation) -> OperationDoc {
    OperationDoc::default()
}

/// The `Retry-After` header of every 429.
const RETRY_AFTER: Field = Field {
    name: "Retry-After",
    schema: r#"{"type": "string", "pattern": "^[0-9]+$"}"#,
    required: true,
    description: "Seconds until the caller's rate limit lets a request through again.",
};

/// The OpenAPI document of `target` (a provider or a face: `kasisto`, `pti-v1`).
pub fn document(target: &Registered) -> Value {
    let doc = target.api_doc;
    let mut components = Components::default();
    let family = crate::providers::find(target.family).unwrap_or(target);
    let mut generator = crate::schemas::generator();
    for (name, schema) in family.schemas(&mut generator) {
        components.add(&format!("{}/{name}.json", family.name), Value::from(schema));
    }
    let error = error_schema(doc, &components);
    let mut paths = Map::new();
    let mut operation_ids = BTreeSet::new();
    let mut shared_responses = Map::new();
    for operation in target.operations {
        let item = paths.entry(operation.path).or_insert_with(|| json!({}));
        let entry = operation_object(doc, operation, &components, &error, &mut operation_ids, &mut shared_responses);
        if let Some(item) = item.as_object_mut() {
            item.insert(operation.method.to_ascii_lowercase(), entry);
        }
    }
    let schemes: Map<String, Value> = doc.schemes.iter().map(scheme_object).collect();
    let paths = Value::Object(paths);
    let shared_responses = Value::Object(shared_responses);
    let schemas = components.reachable_from(&json!([&paths, &shared_responses]));
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": doc.title,
            "version": env!("CARGO_PKG_VERSION"),
            "description": format!(
                "{}\n\nGenerated by `mock-server openapi` from the twin's route table and model types \
                 (fintwin {}); the body schemas are those of `schemas/{}/`.",
                doc.description,
                env!("CARGO_PKG_VERSION"),
                family.name
            ),
        },
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "servers": [{ "url": target.mount, "description": "The twin's main port (any provider's own port serves it at `/`)." }],
        "security": requirement(doc.security),
        "paths": paths,
        "components": {
            "schemas": schemas,
            "responses": shared_responses,
            "headers": header_components(doc, target.operations),
            "securitySchemes": schemes,
        },
    })
}

/// A document as its file holds it: pretty-printed, with a final newline.
pub fn render(document: &Value) -> String {
    let mut text = serde_json::to_string_pretty(document).unwrap_or_else(|_| "{}".into());
    text.push('\n');
    text
}

/// Every target's document (`providers::targets()`): its file name and text.
pub fn files() -> Vec<(PathBuf, String)> {
    crate::providers::targets()
        .map(|target| (PathBuf::from(format!("{}.json", target.name)), render(&document(target))))
        .collect()
}

/// Writes every document under `out` (created if missing); returns the paths written.
pub fn write_files(out: &Path) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(out)?;
    crate::providers::write_generated(out, files())
}

fn operation_object(
    doc: &ApiDoc,
    operation: &Operation,
    components: &Components,
    error: &Value,
    operation_ids: &mut BTreeSet<String>,
    shared_responses: &mut Map<String, Value>,
) -> Value {
    let extra = (doc.operation)(operation);
    let mut parameters: Vec<Value> = operation
        .path
        .split('/')
        .filter_map(|segment| segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(|name| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }))
        .collect();
    parameters.extend(extra.query.iter().map(|field| parameter(field, "query")));
    parameters.extend(extra.headers.iter().map(|field| parameter(field, "header")));

    let mut object = Map::new();
    object.insert("operationId".into(), Value::from(operation_id(operation, operation_ids)));
    object.insert("summary".into(), Value::from(format!("{} {}", operation.method, operation.path)));
    if !parameters.is_empty() {
        object.insert("parameters".into(), Value::Array(parameters));
    }
    if let Some((media, schema)) = extra.request_media {
        object.insert(
            "requestBody".into(),
            json!({ "required": false, "content": { media: { "schema": parse_schema(schema) } } }),
        );
    } else if let Some(file) = operation.request {
        object.insert(
            "requestBody".into(),
            json!({ "required": false, "content": { "application/json": { "schema": components.reference(file) } } }),
        );
    }
    object.insert("responses".into(), responses(doc, operation, &extra, components, error, shared_responses));
    if let Some(security) = extra.security {
        object.insert("security".into(), requirement(security));
    }
    Value::Object(object)
}

fn responses(
    doc: &ApiDoc,
    operation: &Operation,
    extra: &OperationDoc,
    components: &Components,
    error: &Value,
    shared_responses: &mut Map<String, Value>,
) -> Value {
    let mut statuses: BTreeSet<u16> = operation.documented.iter().copied().collect();
    if !statuses.iter().any(|s| (200..300).contains(s)) {
        statuses.insert(200);
    }
    statuses.extend(doc.added.iter().chain(extra.added).copied());
    statuses.insert(429);
    let mut responses = Map::new();
    for status in statuses {
        let mut response = Map::new();
        response.insert("description".into(), Value::from(describe(doc, status)));
        let mut headers: Vec<&Field> = doc.headers.iter().collect();
        // A 204 says there is nothing: no entity, so none of its headers (`ETag`).
        let success = ((200..300).contains(&status) && status != 204) || status == 304;
        if success {
            headers.extend(extra.success_headers);
        }
        if status == 429 {
            headers.push(&RETRY_AFTER);
        }
        if !headers.is_empty() {
            // Each header once, under `components.headers`: Particeep's seven metadata headers on
            // every answer of 130 operations would otherwise be most of its document.
            let headers: Map<String, Value> = headers
                .into_iter()
                .map(|field| {
                    (field.name.to_owned(), json!({ "$ref": format!("#/components/headers/{}", header_key(field)) }))
                })
                .collect();
            response.insert("headers".into(), Value::Object(headers));
        }
        let empty = status == 204 || status == 304 || extra.empty.contains(&status);
        if !empty {
            let mut content = Map::new();
            if (200..300).contains(&status) {
                if !extra.only_these {
                    let schema = operation.response.map_or_else(|| json!({}), |file| components.reference(file));
                    content.insert("application/json".into(), json!({ "schema": schema }));
                }
                for (media, schema) in extra.also_produces {
                    content.insert((*media).into(), json!({ "schema": parse_schema(schema) }));
                }
            } else if let Some((media, schema)) = extra.error_media {
                content.insert(media.into(), json!({ "schema": parse_schema(schema) }));
            } else {
                content.insert("application/json".into(), json!({ "schema": error }));
            }
            response.insert("content".into(), Value::Object(content));
        }
        let shared = !(200..400).contains(&status) && !empty && extra.error_media.is_none();
        if shared {
            // An error answer is the same for every operation: written once, under
            // `components.responses`, and referred to.
            let key = format!("status{status}");
            let reference = json!({ "$ref": format!("#/components/responses/{key}") });
            shared_responses.entry(key).or_insert(Value::Object(response));
            responses.insert(status.to_string(), reference);
        } else {
            responses.insert(status.to_string(), Value::Object(response));
        }
    }
    if doc.default_error {
        responses.insert(
            "default".into(),
            json!({ "description": "Any other failure, in the provider's error shape.", "content": { "application/json": { "schema": error } } }),
        );
    }
    Value::Object(responses)
}

fn describe(doc: &ApiDoc, status: u16) -> String {
    if let Some((_, text)) = doc.statuses.iter().find(|(s, _)| *s == status) {
        return (*text).to_owned();
    }
    let reason = axum::http::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).unwrap_or("");
    match status {
        429 => "Too Many Requests: the caller's rate limit is spent; `Retry-After` says when to come back.".into(),
        _ if reason.is_empty() => format!("Status {status}."),
        _ => format!("{reason}."),
    }
}

fn error_schema(doc: &ApiDoc, components: &Components) -> Value {
    match doc.error {
        [] => json!({}),
        [one] => components.reference(one),
        many => json!({ "anyOf": many.iter().map(|file| components.reference(file)).collect::<Vec<_>>() }),
    }
}

fn parameter(field: &Field, location: &str) -> Value {
    json!({
        "name": field.name,
        "in": location,
        "required": field.required,
        "description": field.description,
        "schema": parse_schema(field.schema),
    })
}

/// A header's name under `components.headers`: its own, or `NAME.always` where it is required.
fn header_key(field: &Field) -> String {
    if field.required {
        format!("{}.always", field.name)
    } else {
        field.name.to_owned()
    }
}

/// `components.headers`: every header `doc`'s operations answer with.
fn header_components(doc: &ApiDoc, operations: &[Operation]) -> Map<String, Value> {
    let mut fields: Vec<&Field> = doc.headers.iter().chain([&RETRY_AFTER]).collect();
    let extras: Vec<OperationDoc> = operations.iter().map(|operation| (doc.operation)(operation)).collect();
    fields.extend(extras.iter().flat_map(|extra| extra.success_headers.iter()));
    fields
        .into_iter()
        .map(|field| {
            let object = json!({ "description": field.description, "required": field.required, "schema": parse_schema(field.schema) });
            (header_key(field), object)
        })
        .collect()
}

/// A schema written as JSON text in a provider's table; `{}` (anything) if it does not parse,
/// which the drift and validator tests would show.
fn parse_schema(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| json!({}))
}

fn scheme_object(scheme: &Scheme) -> (String, Value) {
    match scheme {
        Scheme::Header { id, header, description } => {
            ((*id).to_owned(), json!({ "type": "apiKey", "in": "header", "name": header, "description": description }))
        }
        Scheme::Bearer { id, description } => {
            ((*id).to_owned(), json!({ "type": "http", "scheme": "bearer", "description": description }))
        }
    }
}

fn requirement(alternatives: &[&[&str]]) -> Value {
    Value::Array(
        alternatives
            .iter()
            .map(|schemes| Value::Object(schemes.iter().map(|s| ((*s).to_owned(), json!([]))).collect()))
            .collect(),
    )
}

/// `get_users_user_id`: the method and path, unique within the document.
fn operation_id(operation: &Operation, taken: &mut BTreeSet<String>) -> String {
    let path: String =
        operation.path.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect::<String>();
    let mut words: Vec<&str> = path.split('_').filter(|w| !w.is_empty()).collect();
    let method = operation.method.to_ascii_lowercase();
    words.insert(0, &method);
    let base = words.join("_");
    // `/wallets` and `/wallets/` (PTI v1 serves both) would share a name.
    let mut id = if operation.path.len() > 1 && operation.path.ends_with('/') { format!("{base}_slash") } else { base };
    while !taken.insert(id.clone()) {
        id.push('_');
    }
    id
}

/// The `components.schemas` of a document: each schema file and its hoisted `$defs`.
#[derive(Default)]
struct Components {
    /// Component name → schema.
    schemas: BTreeMap<String, Value>,
    /// Schema file (`kasisto/accounts_request.json`) → its component name.
    files: BTreeMap<String, String>,
}

impl Components {
    /// Adds a schema file: its `$defs` become components of their own (a definition of the same
    /// name and another content is named after its file), its references are rewritten to them.
    fn add(&mut self, file: &str, mut schema: Value) {
        let name = component_name(file);
        let defs = schema.as_object_mut().and_then(|object| object.remove("$defs"));
        if let Some(object) = schema.as_object_mut() {
            object.remove("$schema");
        }
        let mut renamed: BTreeMap<String, String> = BTreeMap::new();
        let defs: Vec<(String, Value)> = match defs {
            Some(Value::Object(defs)) => defs.into_iter().collect(),
            _ => Vec::new(),
        };
        // Names first, so references between definitions are rewritten with the final names.
        for (def, value) in &defs {
            let taken = self.schemas.get(def).is_some_and(|existing| {
                let mut candidate = value.clone();
                rewrite(&mut candidate, &BTreeMap::new());
                existing != value && existing != &candidate
            });
            let chosen = if taken || def == &name { format!("{name}.{def}") } else { def.clone() };
            renamed.insert(def.clone(), chosen);
        }
        for (def, mut value) in defs {
            rewrite(&mut value, &renamed);
            if let Some(chosen) = renamed.get(&def) {
                self.schemas.entry(chosen.clone()).or_insert(value);
            }
        }
        rewrite(&mut schema, &renamed);
        self.schemas.insert(name.clone(), schema);
        self.files.insert(file.to_owned(), name);
    }

    /// `{"$ref": "#/components/schemas/NAME"}` for a schema file; `{}` for a file the provider
    /// does not publish (a test requires every named file to exist).
    fn reference(&self, file: &str) -> Value {
        match self.files.get(file) {
            Some(name) => json!({ "$ref": format!("#/components/schemas/{name}") }),
            None => json!({}),
        }
    }

    /// The components `root` refers to, directly or through others.
    fn reachable_from(&self, root: &Value) -> Map<String, Value> {
        let mut wanted: Vec<String> = Vec::new();
        collect_refs(root, &mut wanted);
        let mut kept = Map::new();
        while let Some(name) = wanted.pop() {
            if kept.contains_key(&name) {
                continue;
            }
            if let Some(schema) = self.schemas.get(&name) {
                collect_refs(schema, &mut wanted);
                kept.insert(name, schema.clone());
            }
        }
        kept
    }
}

/// `kasisto/accounts_request.json` → `accounts_request`; `pti/v1/user.json` → `v1.user`.
fn component_name(file: &str) -> String {
    let inside = file.split_once('/').map_or(file, |(_, rest)| rest);
    inside.trim_end_matches(".json").replace('/', ".")
}

/// Rewrites `#/$defs/NAME` references to `#/components/schemas/RENAMED`.
fn rewrite(value: &mut Value, renamed: &BTreeMap<String, String>) {
    match value {
        Value::Object(object) => {
            for (key, child) in object.iter_mut() {
                if key == "$ref" {
                    if let Some(def) = child.as_str().and_then(|r| r.strip_prefix("#/$defs/")) {
                        let target = renamed.get(def).cloned().unwrap_or_else(|| def.to_owned());
                        *child = Value::from(format!("#/components/schemas/{target}"));
                    }
                } else {
                    rewrite(child, renamed);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| rewrite(item, renamed)),
        _ => {}
    }
}

fn collect_refs(value: &Value, into: &mut Vec<String>) {
    match value {
        Value::Object(object) => {
            for (key, child) in object {
                match (key.as_str(), child.as_str()) {
                    ("$ref", Some(reference)) => {
                        if let Some(name) = reference.strip_prefix("#/components/schemas/") {
                            into.push(name.to_owned());
                        }
                    }
                    _ => collect_refs(child, into),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_refs(item, into)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_ref(value: &Value, into: &mut Vec<String>) {
        match value {
            Value::Object(object) => {
                for (key, child) in object {
                    match (key.as_str(), child.as_str()) {
                        ("$ref", Some(reference)) => into.push(reference.to_owned()),
                        _ => every_ref(child, into),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|item| every_ref(item, into)),
            _ => {}
        }
    }

    #[test]
    fn every_reference_of_every_document_resolves_inside_it() {
        for target in crate::providers::targets() {
            let document = document(target);
            let mut refs = Vec::new();
            every_ref(&document, &mut refs);
            assert!(!refs.is_empty(), "{}: no schema referenced", target.name);
            for reference in refs {
                let pointer = reference.strip_prefix('#').unwrap_or("not local");
                assert!(document.pointer(pointer).is_some(), "{}: {reference} does not resolve", target.name);
            }
        }
    }

    #[test]
    fn every_operation_of_the_route_table_is_in_its_document_with_its_statuses() {
        for target in crate::providers::targets() {
            let document = document(target);
            let mut ids = BTreeSet::new();
            for operation in target.operations {
                let pointer = format!(
                    "/paths/{}/{}",
                    operation.path.replace('~', "~0").replace('/', "~1"),
                    operation.method.to_ascii_lowercase()
                );
                let entry = document.pointer(&pointer).unwrap_or(&Value::Null);
                assert!(entry.is_object(), "{}: {} {} missing", target.name, operation.method, operation.path);
                for status in operation.documented.iter().chain([&429]) {
                    assert!(
                        entry["responses"].get(status.to_string()).is_some(),
                        "{}: {} {} lacks {status}",
                        target.name,
                        operation.method,
                        operation.path
                    );
                }
                assert!(ids.insert(entry["operationId"].as_str().unwrap_or_default().to_owned()), "operationId twice");
                for name in
                    operation.path.split('/').filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
                {
                    let declared = entry["parameters"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .any(|p| p["name"] == name && p["in"] == "path");
                    assert!(declared, "{}: {} lacks path parameter {name}", target.name, operation.path);
                }
                // Followed through the shared answer and the shared header.
                let follow = |value: &'_ Value| -> Value {
                    let pointer = value["$ref"].as_str().and_then(|r| r.strip_prefix('#'));
                    pointer.and_then(|p| document.pointer(p)).cloned().unwrap_or_else(|| value.clone())
                };
                let throttled = follow(&follow(&entry["responses"]["429"])["headers"]["Retry-After"]);
                assert_eq!(throttled["required"], true, "{}: 429 without Retry-After", target.name);
                if let Some(file) = operation.response {
                    let name = component_name(file);
                    assert!(
                        document["components"]["schemas"].get(&name).is_some(),
                        "{}: {file} not a component",
                        target.name
                    );
                }
            }
        }
    }

    #[test]
    fn hoisted_definitions_keep_their_content_and_clashing_ones_are_renamed() {
        let mut components = Components::default();
        components.add("p/a.json", json!({"$defs": {"Item": {"type": "string"}}, "items": {"$ref": "#/$defs/Item"}}));
        components.add("p/b.json", json!({"$defs": {"Item": {"type": "integer"}}, "items": {"$ref": "#/$defs/Item"}}));
        assert_eq!(components.schemas["Item"], json!({"type": "string"}));
        assert_eq!(components.schemas["b.Item"], json!({"type": "integer"}));
        assert_eq!(components.schemas["b"]["items"]["$ref"], "#/components/schemas/b.Item");
        assert_eq!(components.schemas["a"]["items"]["$ref"], "#/components/schemas/Item");
    }
}
