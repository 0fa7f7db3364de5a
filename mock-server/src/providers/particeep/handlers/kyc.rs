//! The KYC module: one group of documents per owner, CREATED → ASK_VALIDATION → VALIDATED |
//! REFUSED, or CANCELLED; decisions come from the admin API, a magic last name or the config.

use std::collections::HashMap;
use std::sync::Arc;

use super::{Params, Segment};
use axum::body::Bytes;
use axum::extract::State;

use super::wallet::check_owner;
use super::{body, changed, ok, Caller, Reply};
use crate::providers::particeep::error::{code, ParticeepError};
use crate::providers::particeep::model::{Kyc, KycCreation, KycGroup, KycStatus, KycsEdition};
use crate::providers::particeep::state::{kyc_key, timestamp, ConsumerData};
use crate::providers::particeep::Particeep;

/// Every document type Particeep's SDKs know (2022 and 2025).
pub const KYC_TYPES: [&str; 19] = [
    "ID_CARD",
    "ADDRESS_PROOF",
    "COMPANY_STATUS",
    "RIB",
    "KBIS",
    "TAX_STATUS",
    "PRESIDENT_OF_ASSOCIATION",
    "OFFICIAL_JOURNAL",
    "ASSOCIATION_STATUS",
    "SHAREHOLDER_KYCS",
    "GENERAL_MEETING",
    "PASSPORT",
    "RESIDENCE_PERMIT",
    "DRIVER_LICENSE",
    "HEALTH_INSURANCE_CARD",
    "DESCRIPTION_PROJECT",
    "SHAREHOLDER_ID",
    "SHAREHOLDER_ID2",
    "SHAREHOLDER_ID3",
];

fn no_kyc(owner_id: &str, owner_type: &str) -> ParticeepError {
    ParticeepError::not_found(code::KYC_NONE, format!("{owner_type} {owner_id} has no KYC"))
}

fn wrong_status(group: &KycGroup, action: &str) -> ParticeepError {
    ParticeepError::bad_request(
        code::KYC_STATUS_INVALID,
        format!("cannot {action} a KYC that is {}", crate::providers::particeep::query::wire_text(&group.status)),
    )
}

fn group_mut<'a>(
    consumer: &'a mut ConsumerData,
    owner_id: &str,
    owner_type: &str,
) -> Result<&'a mut KycGroup, ParticeepError> {
    consumer.kycs.get_mut(&kyc_key(owner_id, owner_type)).ok_or_else(|| no_kyc(owner_id, owner_type))
}

/// `PUT /v1/kycs` (`kyc_created`): a group for an owner that has a wallet (the Kyc module depends
/// on Wallet: 404 `error.wallet.none` otherwise), listing the documents its `user_type` requires.
/// A second one while the first is open or validated is 400 `error.kyc.exists`; after a refusal or
/// a cancellation it starts afresh.
pub async fn create_kyc(State(particeep): State<Arc<Particeep>>, caller: Caller, bytes: Bytes) -> Reply {
    let creation: KycCreation = body(&bytes)?;
    let required = particeep.store.config().kyc.required_docs.get(&creation.user_type).cloned().unwrap_or_default();
    let now = timestamp(particeep.now());
    let groups = particeep.store.with(&caller.key, |consumer| {
        check_owner(consumer, &creation.owner_id, &creation.owner_type)?;
        if consumer.wallet_of(&creation.owner_id, &creation.owner_type).is_none() {
            return Err(ParticeepError::not_found(
                code::WALLET_NONE,
                format!("{} {} has no wallet: create it before its KYC", creation.owner_type, creation.owner_id),
            ));
        }
        let key = kyc_key(&creation.owner_id, &creation.owner_type);
        if let Some(existing) = consumer.kycs.get(&key) {
            if !matches!(existing.status, KycStatus::Refused | KycStatus::Cancelled) {
                return Err(ParticeepError::bad_request(
                    code::KYC_EXISTS,
                    format!(
                        "{} {} already has a KYC ({})",
                        creation.owner_type,
                        creation.owner_id,
                        crate::providers::particeep::query::wire_text(&existing.status)
                    ),
                ));
            }
        }
        let group = KycGroup {
            owner_id: creation.owner_id.clone(),
            owner_type: creation.owner_type.to_uppercase(),
            user_type: creation.user_type,
            status: KycStatus::Created,
            docs: required
                .iter()
                .map(|doc_type| Kyc {
                    doc_type: doc_type.clone(),
                    status: KycStatus::Created,
                    created_at: Some(now.clone()),
                    update_at: None,
                    refusal_reason: None,
                    refusal_message: None,
                    urls: Vec::new(),
                    docs_ids: Vec::new(),
                })
                .collect(),
        };
        consumer.kycs.insert(key, group.clone());
        Ok(vec![group])
    })?;
    changed(&particeep, &caller, "kyc_created", &groups)
}

/// `POST /v1/kycs` (`kyc_updated`): attaches files per document type, by URL (`urls`, 2022 SDKs)
/// or by uploaded Document (`docs_ids`, 2025 SDKs; each must be a document of the owner, 404
/// `error.document.none`). Allowed while `CREATED`, or `REFUSED` to resubmit (the group goes back to
/// `CREATED`); a type sent again replaces its files.
pub async fn attach_documents(State(particeep): State<Arc<Particeep>>, caller: Caller, bytes: Bytes) -> Reply {
    let edition: KycsEdition = body(&bytes)?;
    for doc in &edition.docs {
        if !KYC_TYPES.contains(&doc.doc_type.as_str()) {
            return Err(ParticeepError::bad_request(
                code::KYC_DOC_TYPE_INVALID,
                format!("`{}` is not a KYC document type ({})", doc.doc_type, KYC_TYPES.join(", ")),
            ));
        }
        if doc.urls.as_ref().is_none_or(Vec::is_empty) && doc.docs_ids.as_ref().is_none_or(Vec::is_empty) {
            return Err(ParticeepError::bad_request(
                code::KYC_DOCUMENT_EMPTY,
                format!("`{}` needs `urls` or `docs_ids`", doc.doc_type),
            ));
        }
    }
    let now = timestamp(particeep.now());
    let groups = particeep.store.with(&caller.key, |consumer| {
        for id in edition.docs.iter().flat_map(|d| d.docs_ids.iter().flatten()) {
            let owned = consumer.documents.get(id).is_some_and(|d| d.document.owner_id == edition.owner_id);
            if !owned {
                return Err(ParticeepError::not_found(
                    code::DOCUMENT_NONE,
                    format!("no document {id} of owner {}", edition.owner_id),
                ));
            }
        }
        let group = group_mut(consumer, &edition.owner_id, &edition.owner_type)?;
        if !matches!(group.status, KycStatus::Created | KycStatus::Refused) {
            return Err(wrong_status(group, "attach documents to"));
        }
        group.status = KycStatus::Created;
        for input in edition.docs {
            let position = group.docs.iter().position(|d| d.doc_type == input.doc_type);
            let doc = match position {
                Some(index) => &mut group.docs[index],
                None => {
                    group.docs.push(Kyc {
                        doc_type: input.doc_type.clone(),
                        status: KycStatus::Created,
                        created_at: Some(now.clone()),
                        update_at: None,
                        refusal_reason: None,
                        refusal_message: None,
                        urls: Vec::new(),
                        docs_ids: Vec::new(),
                    });
                    let last = group.docs.len() - 1;
                    &mut group.docs[last]
                }
            };
            doc.urls = input.urls.unwrap_or_default();
            doc.docs_ids = input.docs_ids.unwrap_or_default();
            doc.status = KycStatus::Created;
            doc.refusal_reason = None;
            doc.refusal_message = None;
            doc.update_at = Some(now.clone());
        }
        Ok(vec![group.clone()])
    })?;
    changed(&particeep, &caller, "kyc_updated", &groups)
}

/// `POST /v1/kycs/askValidation/owner/{owner_id}/{owner_type}` (`kyc_ask_validation`): every
/// required document must have files (400 `error.kyc.documents.missing` naming the others).
pub async fn ask_validation(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment((owner_id, owner_type)): Segment<(String, String)>,
) -> Reply {
    let now = timestamp(particeep.now());
    let (groups, last_name) = particeep.store.with(&caller.key, |consumer| {
        let last_name = consumer.users.get(&owner_id).and_then(|u| u.user.profile.last_name.clone());
        let group = group_mut(consumer, &owner_id, &owner_type)?;
        if group.status != KycStatus::Created {
            return Err(wrong_status(group, "ask validation of"));
        }
        let missing: Vec<&str> = group
            .docs
            .iter()
            .filter(|d| d.urls.is_empty() && d.docs_ids.is_empty())
            .map(|d| d.doc_type.as_str())
            .collect();
        if !missing.is_empty() {
            return Err(ParticeepError::bad_request(
                code::KYC_DOCUMENTS_MISSING,
                format!("documents missing: {}", missing.join(", ")),
            ));
        }
        group.status = KycStatus::AskValidation;
        for doc in &mut group.docs {
            doc.status = KycStatus::AskValidation;
            doc.update_at = Some(now.clone());
        }
        let groups = vec![group.clone()];
        consumer.kyc_asks.insert(kyc_key(&owner_id, &owner_type), uuid::Uuid::new_v4().to_string());
        Ok((groups, last_name))
    })?;
    particeep.schedule_kyc(&caller.key, &kyc_key(&owner_id, &owner_type), last_name.as_deref());
    changed(&particeep, &caller, "kyc_ask_validation", &groups)
}

/// `GET /v1/kycs/owner/{owner_id}/{owner_type}`: the owner's group (an empty list when none).
pub async fn kyc_of_owner(
    State(particeep): State<Arc<Particeep>>,
    caller: Caller,
    Segment((owner_id, owner_type)): Segment<(String, String)>,
) -> Reply {
    let groups: Vec<KycGroup> = particeep.store.with(&caller.key, |consumer| {
        consumer.kycs.get(&kyc_key(&owner_id, &owner_type)).cloned().into_iter().collect()
    });
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
    let groups = particeep.store.with(&caller.key, |consumer| {
        let group = group_mut(consumer, &owner_id, &owner_type)?;
        if !matches!(group.status, KycStatus::Created | KycStatus::AskValidation) {
            return Err(wrong_status(group, "cancel"));
        }
        group.status = KycStatus::Cancelled;
        for doc in &mut group.docs {
            doc.status = KycStatus::Cancelled;
            doc.update_at = Some(now.clone());
        }
        Ok(vec![group.clone()])
    })?;
    changed(&particeep, &caller, "kyc_cancelled", &groups)
}
