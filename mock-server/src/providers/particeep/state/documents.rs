//! Particeep documents: stored with their bytes, one name per folder and target of an owner
//! (replaced only when asked and not locked), edited and deleted unless locked.

use super::{user, ConsumerData, StoredDocument};
use crate::providers::particeep::error::{code, ParticeepError};
use crate::providers::particeep::model::{Document, DocumentEdition};

/// 404 `error.document.none`.
fn no_document(id: &str) -> ParticeepError {
    ParticeepError::not_found(code::DOCUMENT_NONE, format!("no document with id {id}"))
}

impl ConsumerData {
    /// Stores an uploaded document of a user. The same name in the same folder and target is 400
    /// `error.document.exists` unless `replace`, and a locked one is never replaced.
    pub fn store_document(
        &mut self,
        document: Document,
        content_base64: String,
        replace: bool,
    ) -> Result<Document, ParticeepError> {
        user(self, &document.owner_id)?;
        let same = |d: &StoredDocument| {
            d.document.owner_id == document.owner_id
                && d.document.path == document.path
                && d.document.name == document.name
                && d.document.target_id == document.target_id
        };
        let existing: Vec<String> =
            self.documents.values().filter(|d| same(d)).map(|d| d.document.id.clone()).collect();
        if !existing.is_empty() {
            if !replace {
                return Err(ParticeepError::bad_request(
                    code::DOCUMENT_EXISTS,
                    format!(
                        "`{}` exists in `{}` (send override_existing_file=true to replace it)",
                        document.name, document.path
                    ),
                ));
            }
            if let Some(locked) = existing.iter().find(|id| self.documents.get(*id).is_some_and(|d| d.document.locked))
            {
                return Err(ParticeepError::bad_request(code::DOCUMENT_LOCKED, format!("document {locked} is locked")));
            }
            for id in existing {
                self.documents.remove(&id);
            }
        }
        self.documents.insert(document.id.clone(), StoredDocument { document: document.clone(), content_base64 });
        Ok(document)
    }

    /// A document (404 `error.document.none`).
    pub fn document(&self, id: &str) -> Result<Document, ParticeepError> {
        self.documents.get(id).map(|d| d.document.clone()).ok_or_else(|| no_document(id))
    }

    /// A document with its bytes (404 `error.document.none`).
    pub fn stored_document(&self, id: &str) -> Result<StoredDocument, ParticeepError> {
        self.documents.get(id).cloned().ok_or_else(|| no_document(id))
    }

    /// The documents found, in the order asked (unknown ids are left out).
    pub fn documents_by_ids(&self, ids: &[&str]) -> Vec<Document> {
        ids.iter().filter_map(|id| self.documents.get(*id).map(|d| d.document.clone())).collect()
    }

    /// Every document, for a search to filter.
    pub fn all_documents(&self) -> impl Iterator<Item = &Document> {
        self.documents.values().map(|d| &d.document)
    }

    /// Changes what an edition gives: `name` (not blank), `description`, `tag`, `custom`.
    pub fn update_document(&mut self, id: &str, edition: DocumentEdition) -> Result<Document, ParticeepError> {
        let stored = self.documents.get_mut(id).ok_or_else(|| no_document(id))?;
        let document = &mut stored.document;
        if let Some(name) = edition.name.filter(|n| !n.trim().is_empty()) {
            document.name = name;
        }
        if edition.description.is_some() {
            document.description = edition.description;
        }
        if edition.tag.is_some() {
            document.tag = edition.tag;
        }
        if edition.custom.is_some() {
            document.custom = edition.custom;
        }
        Ok(document.clone())
    }

    /// Deletes a document that is not locked (400 `error.document.locked`); answers it.
    pub fn delete_document(&mut self, id: &str) -> Result<Document, ParticeepError> {
        let stored = self.documents.get(id).ok_or_else(|| no_document(id))?;
        if stored.document.locked {
            return Err(ParticeepError::bad_request(code::DOCUMENT_LOCKED, format!("document {id} is locked")));
        }
        self.documents.remove(id).map(|d| d.document).ok_or_else(|| no_document(id))
    }

    /// Deletes every document of `ids`, or none: an unknown one is 404, a locked one 400.
    pub fn delete_documents(&mut self, ids: &[String]) -> Result<Vec<Document>, ParticeepError> {
        for id in ids {
            let stored = self.documents.get(id).ok_or_else(|| no_document(id))?;
            if stored.document.locked {
                return Err(ParticeepError::bad_request(code::DOCUMENT_LOCKED, format!("document {id} is locked")));
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        Ok(ids
            .iter()
            .filter(|id| seen.insert(id.as_str()))
            .filter_map(|id| self.documents.remove(id))
            .map(|stored| stored.document)
            .collect())
    }
}
