//! Particeep KYC groups, one per owner: CREATED → ASK_VALIDATION → VALIDATED | REFUSED, or
//! CANCELLED; a refused or cancelled group can start afresh, a refused one be resubmitted.

use super::ConsumerData;
use crate::providers::particeep::error::{code, ParticeepError};
use crate::providers::particeep::model::{Kyc, KycCreation, KycGroup, KycStatus, KycsEdition, Wallet, WalletStatus};
use crate::providers::particeep::query::wire_text;

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

/// The key of an owner's KYC group.
pub fn kyc_key(owner_id: &str, owner_type: &str) -> String {
    format!("{}/{owner_id}", owner_type.to_uppercase())
}

fn no_kyc(owner_id: &str, owner_type: &str) -> ParticeepError {
    ParticeepError::not_found(code::KYC_NONE, format!("{owner_type} {owner_id} has no KYC"))
}

fn wrong_status(group: &KycGroup, action: &str) -> ParticeepError {
    ParticeepError::bad_request(
        code::KYC_STATUS_INVALID,
        format!("cannot {action} a KYC that is {}", wire_text(&group.status)),
    )
}

/// A document of the group, not yet given.
fn empty_document(doc_type: String, now: &str) -> Kyc {
    Kyc {
        doc_type,
        status: KycStatus::Created,
        created_at: Some(now.to_owned()),
        update_at: None,
        refusal_reason: None,
        refusal_message: None,
        urls: Vec::new(),
        docs_ids: Vec::new(),
    }
}

/// Checks an edition before any state is read: known document types, each with files.
pub fn check_kyc_edition(edition: &KycsEdition) -> Result<(), ParticeepError> {
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
    Ok(())
}

impl ConsumerData {
    fn kyc_group(&mut self, owner_id: &str, owner_type: &str) -> Result<&mut KycGroup, ParticeepError> {
        self.kycs.get_mut(&kyc_key(owner_id, owner_type)).ok_or_else(|| no_kyc(owner_id, owner_type))
    }

    /// The owner's group, if any.
    pub fn kyc_of(&self, owner_id: &str, owner_type: &str) -> Option<KycGroup> {
        self.kycs.get(&kyc_key(owner_id, owner_type)).cloned()
    }

    /// A group for an owner that has a wallet (404 `error.wallet.none` otherwise), listing the
    /// `required` documents; 400 `error.kyc.exists` while one is open or validated.
    pub fn create_kyc(
        &mut self,
        creation: &KycCreation,
        required: &[String],
        now: &str,
    ) -> Result<KycGroup, ParticeepError> {
        self.check_owner(&creation.owner_id, &creation.owner_type)?;
        if self.wallet_of(&creation.owner_id, &creation.owner_type).is_none() {
            return Err(ParticeepError::not_found(
                code::WALLET_NONE,
                format!("{} {} has no wallet: create it before its KYC", creation.owner_type, creation.owner_id),
            ));
        }
        let key = kyc_key(&creation.owner_id, &creation.owner_type);
        if let Some(existing) = self.kycs.get(&key) {
            if !matches!(existing.status, KycStatus::Refused | KycStatus::Cancelled) {
                return Err(ParticeepError::bad_request(
                    code::KYC_EXISTS,
                    format!(
                        "{} {} already has a KYC ({})",
                        creation.owner_type,
                        creation.owner_id,
                        wire_text(&existing.status)
                    ),
                ));
            }
        }
        let group = KycGroup {
            owner_id: creation.owner_id.clone(),
            owner_type: creation.owner_type.to_uppercase(),
            user_type: creation.user_type,
            status: KycStatus::Created,
            docs: required.iter().map(|doc_type| empty_document(doc_type.clone(), now)).collect(),
        };
        self.kycs.insert(key, group.clone());
        Ok(group)
    }

    /// Attaches files per document type (a checked edition, see [`check_kyc_edition`]): each
    /// uploaded Document must be the owner's (404 `error.document.none`); allowed while `CREATED`,
    /// or `REFUSED` to resubmit; a type sent again replaces its files.
    pub fn attach_kyc_documents(&mut self, edition: KycsEdition, now: &str) -> Result<KycGroup, ParticeepError> {
        for id in edition.docs.iter().flat_map(|d| d.docs_ids.iter().flatten()) {
            let owned = self.documents.get(id).is_some_and(|d| d.document.owner_id == edition.owner_id);
            if !owned {
                return Err(ParticeepError::not_found(
                    code::DOCUMENT_NONE,
                    format!("no document {id} of owner {}", edition.owner_id),
                ));
            }
        }
        let group = self.kyc_group(&edition.owner_id, &edition.owner_type)?;
        if !matches!(group.status, KycStatus::Created | KycStatus::Refused) {
            return Err(wrong_status(group, "attach documents to"));
        }
        group.status = KycStatus::Created;
        for input in edition.docs {
            let index = match group.docs.iter().position(|d| d.doc_type == input.doc_type) {
                Some(index) => index,
                None => {
                    group.docs.push(empty_document(input.doc_type.clone(), now));
                    group.docs.len() - 1
                }
            };
            let doc = &mut group.docs[index];
            doc.urls = input.urls.unwrap_or_default();
            doc.docs_ids = input.docs_ids.unwrap_or_default();
            doc.status = KycStatus::Created;
            doc.refusal_reason = None;
            doc.refusal_message = None;
            doc.update_at = Some(now.to_owned());
        }
        Ok(group.clone())
    }

    /// Asks for validation: every document must have files (400 `error.kyc.documents.missing`
    /// naming the others). Answers the group and the owner's last name (a magic one decides).
    pub fn ask_kyc_validation(
        &mut self,
        owner_id: &str,
        owner_type: &str,
        now: &str,
    ) -> Result<(KycGroup, Option<String>), ParticeepError> {
        let last_name = self.users.get(owner_id).and_then(|u| u.user.profile.last_name.clone());
        let group = self.kyc_group(owner_id, owner_type)?;
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
            doc.update_at = Some(now.to_owned());
        }
        let group = group.clone();
        self.kyc_asks.insert(kyc_key(owner_id, owner_type), uuid::Uuid::new_v4().to_string());
        Ok((group, last_name))
    }

    /// Cancels a group that is `CREATED` or `ASK_VALIDATION`.
    pub fn cancel_kyc(&mut self, owner_id: &str, owner_type: &str, now: &str) -> Result<KycGroup, ParticeepError> {
        let group = self.kyc_group(owner_id, owner_type)?;
        if !matches!(group.status, KycStatus::Created | KycStatus::AskValidation) {
            return Err(wrong_status(group, "cancel"));
        }
        group.status = KycStatus::Cancelled;
        for doc in &mut group.docs {
            doc.status = KycStatus::Cancelled;
            doc.update_at = Some(now.to_owned());
        }
        Ok(group.clone())
    }

    /// Decides a group waiting in `ASK_VALIDATION`: validated (its owner's wallet becomes
    /// `CONFIRMED`, answered when it changed) or refused with a reason (on `doc_types`, or every
    /// document). `ask` (automatic decisions) decides only that request, not a later one.
    pub fn decide_kyc(
        &mut self,
        group_key: &str,
        decision: &KycDecision,
        ask: Option<&str>,
        now: &str,
    ) -> Result<(KycGroup, Option<Wallet>), ParticeepError> {
        if ask.is_some_and(|ask| self.kyc_asks.get(group_key).is_none_or(|latest| latest != ask)) {
            return Err(ParticeepError::not_found(code::KYC_NONE, "a later request superseded this one"));
        }
        let group = self
            .kycs
            .get_mut(group_key)
            .ok_or_else(|| ParticeepError::not_found(code::KYC_NONE, format!("no KYC for {group_key}")))?;
        if group.status != KycStatus::AskValidation {
            return Err(ParticeepError::bad_request(
                code::KYC_STATUS_INVALID,
                format!("the KYC of {group_key} is {:?}, not ASK_VALIDATION", group.status),
            ));
        }
        let refused_types = decision.doc_types.clone().unwrap_or_default();
        for doc in &mut group.docs {
            let refused = !decision.validated && (refused_types.is_empty() || refused_types.contains(&doc.doc_type));
            doc.update_at = Some(now.to_owned());
            if refused {
                doc.status = KycStatus::Refused;
                doc.refusal_reason = Some(decision.refusal_reason.clone().unwrap_or_else(|| "DOCUMENT_REFUSED".into()));
                doc.refusal_message =
                    Some(decision.refusal_message.clone().unwrap_or_else(|| "refused by the back office".into()));
            } else {
                doc.status = KycStatus::Validated;
            }
        }
        group.status = if decision.validated { KycStatus::Validated } else { KycStatus::Refused };
        let group = group.clone();
        let mut confirmed = None;
        if decision.validated {
            let wallet_id = self.wallet_of(&group.owner_id, &group.owner_type).map(|w| w.id.clone());
            if let Some(wallet) = wallet_id.and_then(|id| self.wallets.get_mut(&id)) {
                if wallet.status != WalletStatus::Confirmed {
                    wallet.status = WalletStatus::Confirmed;
                    wallet.update_at = Some(now.to_owned());
                    confirmed = Some(wallet.clone());
                }
            }
        }
        Ok((group, confirmed))
    }
}

/// A KYC decision (the admin API's body, or an automatic one).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KycDecision {
    /// Set by the route (`validate` or `refuse`).
    #[serde(skip)]
    pub validated: bool,
    /// Why it was refused (default `DOCUMENT_REFUSED`).
    #[serde(default)]
    pub refusal_reason: Option<String>,
    /// The refusal for a person.
    #[serde(default)]
    pub refusal_message: Option<String>,
    /// The document types refused (default: all).
    #[serde(default)]
    pub doc_types: Option<Vec<String>>,
}
