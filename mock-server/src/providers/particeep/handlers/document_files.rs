//! Particeep's document files beyond a single download: time-bounded URLs that open a file
//! without credentials for an hour, and the zip download of several files.

use std::collections::HashMap;
use std::sync::Arc;

use super::document::{file_response, RawFile};
use super::{Params, Segment};
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use base64::Engine;

use super::{ok, Caller, Reply};
use crate::providers::particeep::error::{code, ParticeepError};
use crate::providers::particeep::query::required_ids;
use crate::providers::particeep::state::StoredDocument;
use crate::providers::particeep::Particeep;

/// How long a time-bounded URL opens its file.
const LINK_LIFETIME_SECS: i64 = 3600;

/// The signature of a time-bounded link: HMAC-SHA256 of `key/id/expires` with the consumer's
/// secret, lower-case hex.
fn link_signature(secret: &str, key: &str, id: &str, expires: i64) -> String {
    use hmac::Mac;
    let Ok(mut mac) = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()) else { return String::new() };
    mac.update(format!("{key}/{id}/{expires}").as_bytes());
    format!("{:x}", mac.finalize().into_bytes())
}

/// `GET /v1/document/generate-time-bounded-urls?ids=`: `{urls}`, one per document, each opening
/// the file without credentials for an hour (`/document/link/{id}`).
pub async fn time_bounded_urls(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Params(query): Params<HashMap<String, String>>,
) -> Reply {
    let ids = required_ids(&query)?;
    let secret = particeep.store.consumer(&caller.key).map(|c| c.secret.clone()).unwrap_or_default();
    let expires = particeep.now().timestamp() + LINK_LIFETIME_SECS;
    let urls = particeep.store.with(&caller.key, |consumer| {
        ids.iter()
            .map(|id| {
                consumer.document(id)?;
                let signature = link_signature(&secret, &caller.key, id, expires);
                Ok(format!(
                    "{}/document/link/{id}?key={}&expires={expires}&signature={signature}",
                    caller.base_url, caller.key
                ))
            })
            .collect::<Result<Vec<String>, ParticeepError>>()
    })?;
    ok(&serde_json::json!({ "urls": urls }))
}

/// Query of a time-bounded link.
#[derive(Debug, serde::Deserialize)]
pub struct LinkQuery {
    key: String,
    expires: i64,
    signature: String,
}

/// `GET /document/link/{id}?key=&expires=&signature=`: the file, while the link is valid (403
/// once it has expired or when it was not made by the twin).
pub async fn open_link(
    State(particeep): State<Arc<Particeep>>,
    Segment(id): Segment<String>,
    query: Result<axum::extract::Query<LinkQuery>, axum::extract::rejection::QueryRejection>,
) -> Reply {
    let refused = || {
        ParticeepError::new(StatusCode::FORBIDDEN, code::API_AUTHENTICATION, "this link is not valid (or has expired)")
    };
    let axum::extract::Query(link) = query.map_err(|_| refused())?;
    let secret = particeep.store.consumer(&link.key).map(|c| c.secret.clone()).ok_or_else(refused)?;
    let expected = link_signature(&secret, &link.key, &id, link.expires);
    if !crate::secret::constant_time_eq(&expected, &link.signature) || particeep.now().timestamp() > link.expires {
        return Err(refused());
    }
    let stored = particeep.store.with(&link.key, |consumer| consumer.stored_document(&id))?;
    file_response(&stored)
}

/// `GET /v1/document/zip-download?ids=`: a zip archive of the files (folders left out), each under
/// its path and name.
pub async fn zip_download(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Params(query): Params<HashMap<String, String>>,
) -> Reply {
    use std::io::Write;
    let ids = required_ids(&query)?;
    let stored = particeep.store.with(&caller.key, |consumer| {
        ids.iter().map(|id| consumer.stored_document(id)).collect::<Result<Vec<StoredDocument>, ParticeepError>>()
    })?;
    let corrupt = || {
        ParticeepError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            code::DOCUMENT_CORRUPT,
            "the archive could not be written",
        )
    };
    let mut archive = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut names = std::collections::BTreeSet::new();
    for document in stored.iter().filter(|d| d.document.doc_type != "FOLDER") {
        let bytes =
            base64::engine::general_purpose::STANDARD.decode(&document.content_base64).map_err(|_| corrupt())?;
        let folder = document.document.path.trim_matches('/');
        let mut name = if folder.is_empty() {
            document.document.name.clone()
        } else {
            format!("{folder}/{}", document.document.name)
        };
        if !names.insert(name.clone()) {
            name = format!("{}-{name}", document.document.id);
        }
        archive.start_file(name, options).map_err(|_| corrupt())?;
        archive.write_all(&bytes).map_err(|_| corrupt())?;
    }
    let bytes = archive.finish().map_err(|_| corrupt())?.into_inner();
    let mut response = Response::new(Body::from(bytes));
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/zip"));
    response
        .headers_mut()
        .insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"documents.zip\""));
    response.extensions_mut().insert(RawFile);
    Ok(response)
}
