//! The Document module's handlers (the rules are in `state/documents.rs`): multipart uploads (file part `document` plus Particeep's text parts),
//! read, download, update, search and delete, with a size limit and a list of accepted types.

use std::collections::HashMap;
use std::sync::Arc;

use super::{Params, Segment};
use axum::body::{Body, Bytes};
use axum::extract::{Multipart, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;

use super::{body, changed, ok, Caller, Reply};
use crate::providers::particeep::error::{code, ParticeepError};
use crate::providers::particeep::model::{Document, DocumentEdition};
use crate::providers::particeep::query::{filter, required_ids, Filter, How, Search};
use crate::providers::particeep::state::timestamp;
use crate::providers::particeep::state::{check_custom, StoredDocument};
use crate::providers::particeep::Particeep;
use serde_json::Value;

/// Marks a response whose body is a file: the envelope leaves it alone whatever its type.
#[derive(Debug, Clone, Copy)]
pub struct RawFile;

fn multipart_error(err: impl std::fmt::Display) -> ParticeepError {
    ParticeepError::bad_request(code::DOCUMENT_MULTIPART_INVALID, format!("the multipart body is invalid: {err}"))
}

/// What an upload carried.
#[derive(Default)]
pub(super) struct Upload {
    /// The part `document`: its bytes, file name and content type.
    pub(super) file: Option<(Bytes, Option<String>, Option<String>)>,
    /// The text parts.
    pub(super) text: HashMap<String, String>,
}

/// Reads a multipart body as the SDKs send files: the file in the part `document` (at most
/// `max_bytes`: 413 `error.document.too.large` beyond), text parts beside it.
pub(super) async fn read_upload(
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
    max_bytes: usize,
) -> Result<Upload, ParticeepError> {
    let mut multipart = multipart.map_err(|rejection| multipart_error(rejection.body_text()))?;
    let mut upload = Upload::default();
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "document" {
            let file_name = field.file_name().map(str::to_owned);
            let content_type = field.content_type().map(str::to_owned);
            let bytes = field.bytes().await.map_err(multipart_error)?;
            if bytes.len() > max_bytes {
                return Err(ParticeepError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    code::DOCUMENT_TOO_LARGE,
                    format!("the file is {} bytes; at most {max_bytes} are accepted", bytes.len()),
                ));
            }
            upload.file = Some((bytes, file_name, content_type));
        } else {
            let text = field.text().await.map_err(multipart_error)?;
            upload.text.insert(name, text);
        }
    }
    Ok(upload)
}

/// `POST /v1/document/{owner_id}/upload` (`document_created`): multipart with the file in the
/// part `document` and the text parts `target_id`, `target_type`, `description`, `name` (default:
/// the file's name), `path` (default `/`), `locked` and `override_existing_file` (`true`/`false`,
/// default false), `tag`. Over `documents.max_bytes` → 413 `error.document.too.large`; a type not
/// in `documents.content_types` → 400 `error.document.content_type.invalid`; the same name in the
/// same folder and target without `override_existing_file=true` → 400 `error.document.exists`.
pub async fn upload(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(owner_id): Segment<String>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Reply {
    let settings = particeep.store.config().documents.clone();
    let upload = read_upload(multipart, settings.max_bytes).await?;
    let Some((bytes, file_name, content_type)) = upload.file else {
        return Err(ParticeepError::bad_request(
            code::DOCUMENT_FILE_MISSING,
            "the multipart body needs the file in a part named `document`",
        ));
    };
    let content_type = content_type.unwrap_or_else(|| "application/octet-stream".into());
    let essence = content_type.split(';').next().unwrap_or_default().trim().to_lowercase();
    if !settings.content_types.is_empty() && !settings.content_types.iter().any(|t| t.eq_ignore_ascii_case(&essence)) {
        return Err(ParticeepError::bad_request(
            code::DOCUMENT_CONTENT_TYPE_INVALID,
            format!("`{essence}` is not accepted ({})", settings.content_types.join(", ")),
        ));
    }
    let flag = |name: &str| -> Result<bool, ParticeepError> {
        match upload.text.get(name).map(|v| v.trim().to_lowercase()).as_deref() {
            None | Some("") | Some("false") => Ok(false),
            Some("true") => Ok(true),
            Some(other) => Err(ParticeepError::bad_request(
                code::API_PARAMETER_INVALID,
                format!("`{name}` must be true or false, not `{other}`"),
            )),
        }
    };
    let (locked, replace) = (flag("locked")?, flag("override_existing_file")?);
    let text = |name: &str| upload.text.get(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    let name = text("name").or(file_name).unwrap_or_else(|| "document".into());
    let path = text("path").unwrap_or_else(|| "/".into());
    let scope = text("scope").map(|s| s.to_lowercase()).unwrap_or_else(|| "private".into());
    if scope != "public" && scope != "private" {
        return Err(ParticeepError::bad_request(
            code::API_PARAMETER_INVALID,
            format!("`scope` must be public or private, not `{scope}`"),
        ));
    }
    let document = Document {
        id: uuid::Uuid::new_v4().to_string(),
        created_at: timestamp(particeep.now()),
        owner_id: owner_id.clone(),
        target_id: text("target_id"),
        target_type: text("target_type").map(|t| t.to_uppercase()),
        name,
        description: text("description"),
        content_type: Some(essence),
        path,
        doc_type: "FILE".into(),
        size: Some(bytes.len() as u64),
        locked,
        scope,
        folder_id: None,
        tag: text("tag"),
        custom: None,
    };
    let content_base64 = base64::engine::general_purpose::STANDARD.encode(&bytes);
    let stored =
        particeep.store.with(&caller.key, |consumer| consumer.store_document(document, content_base64, replace))?;
    changed(&particeep, &caller, "document_created", &stored)
}

/// `GET /v1/document/{id}`.
pub async fn get_document(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(id): Segment<String>,
) -> Reply {
    let found = particeep.store.with(&caller.key, |consumer| consumer.document(&id))?;
    ok(&found)
}

/// `GET /v1/document?ids=a,b`.
pub async fn documents_by_ids(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Params(query): Params<HashMap<String, String>>,
) -> Reply {
    let ids = required_ids(&query)?;
    let found: Vec<Document> = particeep.store.with(&caller.key, |consumer| consumer.documents_by_ids(&ids));
    ok(&found)
}

/// `GET /v1/document/download/{id}`: the bytes, with the upload's type and its name as the
/// attachment's file name; on failure the body is the JSON error.
pub async fn download(State(particeep): State<Arc<Particeep>>, caller: Caller, Segment(id): Segment<String>) -> Reply {
    let stored = particeep.store.with(&caller.key, |consumer| consumer.stored_document(&id))?;
    file_response(&stored)
}

/// A stored file as its download: its bytes, type and name.
pub(super) fn file_response(stored: &StoredDocument) -> Reply {
    let bytes = base64::engine::general_purpose::STANDARD.decode(&stored.content_base64).map_err(|_| {
        ParticeepError::new(StatusCode::INTERNAL_SERVER_ERROR, code::DOCUMENT_CORRUPT, "stored bytes unreadable")
    })?;
    let content_type = stored.document.content_type.as_deref().unwrap_or("application/octet-stream");
    let mut response = Response::new(Body::from(bytes));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(content_type).unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    // Quotes and control characters cannot reach the header: they are replaced.
    let file_name: String =
        stored.document.name.chars().map(|c| if c == '"' || c == '\\' || c.is_control() { '_' } else { c }).collect();
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response.extensions_mut().insert(RawFile);
    Ok(response.into_response())
}

/// `POST /v1/document/{id}` (`document_updated`): `name`, `description`, `tag`, `custom`.
pub async fn update_document(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(id): Segment<String>,
    bytes: Bytes,
) -> Reply {
    let edition: DocumentEdition = body(&bytes)?;
    check_custom(edition.custom.as_ref())?;
    let updated = particeep.store.with(&caller.key, |consumer| consumer.update_document(&id, edition))?;
    changed(&particeep, &caller, "document_updated", &updated)
}

/// The filters of `GET /v1/document/search`: the 2025 SDK's `DocumentSearch`.
const DOCUMENT_FILTERS: &[Filter] = &[
    filter("ids", "/id", How::OneOf),
    filter("owner_id", "/owner_id", How::Exact),
    filter("target_id", "/target_id", How::Exact),
    filter("target_type", "/target_type", How::Exact),
    filter("path", "/path", How::Exact),
    filter("name", "/name", How::Contains),
    filter("description", "/description", How::Contains),
    filter("content_type", "/content_type", How::Exact),
    filter("external_id", "/external_id", How::Exact),
    filter("doc_type", "/doc_type", How::Exact),
    filter("tag", "/tag", How::Contains),
    filter("custom", "/custom_text", How::Contains),
];

/// `GET /v1/document/search`: every filter of [`DOCUMENT_FILTERS`] (`custom` looks inside the
/// document's custom JSON; another parameter is 400 naming it), `global_search` (name,
/// description, tag); sorted and paginated.
pub async fn search_documents(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Params(query): Params<HashMap<String, String>>,
) -> Reply {
    let search = Search::strict(&query, DOCUMENT_FILTERS, &["/name", "/description", "/tag"])?;
    let rows: Vec<Document> = particeep.store.with(&caller.key, |consumer| {
        consumer
            .all_documents()
            .filter(|d| {
                let mut view = serde_json::to_value(d).unwrap_or_default();
                if let (Some(object), Some(custom)) = (view.as_object_mut(), d.custom.as_ref()) {
                    object.insert("custom_text".into(), Value::from(custom.to_string()));
                }
                search.keeps(&view)
            })
            .cloned()
            .collect()
    });
    ok(&search.sorted_page(rows)?)
}

/// `DELETE /v1/document/{id}` (`document_deleted`): returns it; a locked one is 400
/// `error.document.locked`.
pub async fn delete_document(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(id): Segment<String>,
) -> Reply {
    let deleted = particeep.store.with(&caller.key, |consumer| consumer.delete_document(&id))?;
    changed(&particeep, &caller, "document_deleted", &deleted)
}

/// `POST /v1/document/{owner_id}/dir` (`document_created`): a folder (`doc_type` `FOLDER`) from a
/// `DocumentCreation` (`name` required; `path`, `target_id`, `target_type`, `scope`...).
pub async fn create_folder(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment(owner_id): Segment<String>,
    bytes: Bytes,
) -> Reply {
    #[derive(serde::Deserialize)]
    struct FolderCreation {
        name: Option<String>,
        path: Option<String>,
        target_id: Option<String>,
        target_type: Option<String>,
        description: Option<String>,
        locked: Option<bool>,
        scope: Option<String>,
        tag: Option<String>,
        custom: Option<Value>,
    }
    let creation: FolderCreation = body(&bytes)?;
    let name = creation.name.filter(|n| !n.trim().is_empty()).ok_or_else(|| {
        ParticeepError::bad_request(code::API_PARAMETER_MISSING, "`name` (the folder's name) is required")
    })?;
    let scope = creation.scope.map(|s| s.to_lowercase()).unwrap_or_else(|| "private".into());
    if scope != "public" && scope != "private" {
        return Err(ParticeepError::bad_request(code::API_PARAMETER_INVALID, "`scope` must be public or private"));
    }
    let folder = Document {
        id: uuid::Uuid::new_v4().to_string(),
        created_at: timestamp(particeep.now()),
        owner_id,
        target_id: creation.target_id,
        target_type: creation.target_type.map(|t| t.to_uppercase()),
        name,
        description: creation.description,
        content_type: None,
        path: creation.path.unwrap_or_else(|| "/".into()),
        doc_type: "FOLDER".into(),
        size: None,
        locked: creation.locked.unwrap_or(false),
        scope,
        folder_id: None,
        tag: creation.tag,
        custom: creation.custom,
    };
    let stored = particeep.store.with(&caller.key, |consumer| consumer.store_document(folder, String::new(), false))?;
    changed(&particeep, &caller, "document_created", &stored)
}

/// Body of `DELETE /v1/document/files`.
#[derive(Debug, serde::Deserialize)]
pub struct DocumentIds {
    ids: Vec<String>,
}

/// `DELETE /v1/document/files` `{ids}` (`document_deleted` each): all or none.
pub async fn delete_files(State(particeep): State<Arc<Particeep>>, caller: Caller, bytes: Bytes) -> Reply {
    let DocumentIds { ids } = body(&bytes)?;
    let deleted = particeep.store.with(&caller.key, |consumer| consumer.delete_documents(&ids))?;
    particeep.emit_all(&caller.key, "document_deleted", &deleted);
    ok(&deleted)
}
