//! The KYC module's handlers: one group of documents per owner (the rules are in
//! `state/kyc.rs`); decisions come from the admin API, a magic last name or the config.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;

use super::{body, changed, ok, Caller, Params, Reply, Segment};
use crate::providers::particeep::model::{KycCreation, KycGroup, KycsEdition};
use crate::providers::particeep::state::{check_kyc_edition, kyc_key, timestamp};
use crate::providers::particeep::Particeep;

/// `PUT /v1/kycs` (`kyc_created`): a group for an owner that has a wallet (the Kyc module depends
/// on Wallet: 404 `error.wallet.none` otherwise), listing the documents its `user_type` requires.
/// A second one while the first is open or validated is 400 `error.kyc.exists`; after a refusal or
/// a cancellation it starts afresh.
pub async fn create_kyc(State(particeep): State<Arc<Particeep>>, caller: Caller, bytes: Bytes) -> Reply {
    let creation: KycCreation = body(&bytes)?;
    let required = particeep.store.config().kyc.required_docs.get(&creation.user_type).cloned().unwrap_or_default();
    let now = timestamp(particeep.now());
    let group = particeep.store.with(&caller.key, |consumer| consumer.create_kyc(&creation, &required, &now))?;
    changed(&particeep, &caller, "kyc_created", &vec![group])
}

/// `POST /v1/kycs` (`kyc_updated`): attaches files per document type, by URL (`urls`, 2022 SDKs)
/// or by uploaded Document (`docs_ids`, 2025 SDKs; each must be a document of the owner, 404
/// `error.document.none`). Allowed while `CREATED`, or `REFUSED` to resubmit (the group goes back to
/// `CREATED`); a type sent again replaces its files.
pub async fn attach_documents(State(particeep): State<Arc<Particeep>>, caller: Caller, bytes: Bytes) -> Reply {
    let edition: KycsEdition = body(&bytes)?;
    check_kyc_edition(&edition)?;
    let now = timestamp(particeep.now());
    let group = particeep.store.with(&caller.key, |consumer| consumer.attach_kyc_documents(edition, &now))?;
    changed(&particeep, &caller, "kyc_updated", &vec![group])
}

/// `POST /v1/kycs/askValidation/owner/{owner_id}/{owner_type}` (`kyc_ask_validation`): every
/// required document must have files (400 `error.kyc.documents.missing` naming the others).
pub async fn ask_validation(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment((owner_id, owner_type)): Segment<(String, String)>,
) -> Reply {
    let now = timestamp(particeep.now());
    let (group, last_name) =
        particeep.store.with(&caller.key, |consumer| consumer.ask_kyc_validation(&owner_id, &owner_type, &now))?;
    particeep.schedule_kyc(&caller.key, &kyc_key(&owner_id, &owner_type), last_name.as_deref());
    changed(&particeep, &caller, "kyc_ask_validation", &vec![group])
}

/// `GET /v1/kycs/owner/{owner_id}/{owner_type}`: the owner's group (an empty list when none).
pub async fn kyc_of_owner(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment((owner_id, owner_type)): Segment<(String, String)>,
) -> Reply {
    let groups: Vec<KycGroup> =
        particeep.store.with(&caller.key, |consumer| consumer.kyc_of(&owner_id, &owner_type).into_iter().collect());
    ok(&groups)
}

/// `DELETE /v1/kycs/cancel/owner/{owner_id}/{owner_type}` (`kyc_cancelled`): from `CREATED` or
/// `ASK_VALIDATION` (a pending automatic decision is then dropped).
pub async fn cancel_kyc(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment((owner_id, owner_type)): Segment<(String, String)>,
    Params(_query): Params<HashMap<String, String>>,
) -> Reply {
    let now = timestamp(particeep.now());
    let group = particeep.store.with(&caller.key, |consumer| consumer.cancel_kyc(&owner_id, &owner_type, &now))?;
    changed(&particeep, &caller, "kyc_cancelled", &vec![group])
}

/// `POST /v1/kycs/document/validate` (`DocumentValidation {url, document_type?, part?,
/// document_input_data}`): the twin's document check, as Particeep's provider answers it
/// (`KycValidation`): valid unless the URL says `invalid` (a magic value) or is not http(s).
pub async fn validate_document(State(_particeep): State<Arc<Particeep>>, _caller: Caller, bytes: Bytes) -> Reply {
    #[derive(serde::Deserialize)]
    struct DocumentValidation {
        url: String,
        document_type: Option<String>,
        #[allow(dead_code)]
        part: Option<String>,
        #[allow(dead_code)]
        document_input_data: Option<serde_json::Value>,
    }
    let asked: DocumentValidation = body(&bytes)?;
    if !(asked.url.starts_with("http://") || asked.url.starts_with("https://")) {
        return Err(crate::providers::particeep::error::ParticeepError::bad_request(
            crate::providers::particeep::error::code::API_PARAMETER_INVALID,
            "`url` must be an http(s) URL of the document",
        ));
    }
    let valid = !asked.url.to_lowercase().contains("invalid");
    let status = if valid { "OK" } else { "ERROR" };
    ok(&serde_json::json!({
        "is_valid": valid,
        "external_id": uuid::Uuid::new_v4().to_string(),
        "service_name": "fintwin-document-check",
        "service_response": {
            "lastReport": {
                "checks": [
                    { "identifier": "DOCUMENT_READABLE", "status": status },
                    { "identifier": asked.document_type.unwrap_or_else(|| "DOCUMENT_TYPE".into()), "status": status }
                ]
            }
        }
    }))
}
