//! Particeep webhooks: one URL per event name, per consumer.

use super::ConsumerData;
use crate::providers::particeep::error::{code, ParticeepError};
use crate::providers::particeep::model::{WebHook, WebHookCreation, EVENTS};

/// A webhook body: a known event name and an `http(s)` URL.
pub fn check_webhook(creation: &WebHookCreation) -> Result<(), ParticeepError> {
    if !EVENTS.contains(&creation.name.as_str()) {
        return Err(ParticeepError::bad_request(
            code::WEBHOOK_NAME_UNKNOWN,
            format!("`{}` is not an event name ({})", creation.name, EVENTS.join(", ")),
        ));
    }
    if !(creation.url.starts_with("http://") || creation.url.starts_with("https://")) {
        return Err(ParticeepError::bad_request(code::WEBHOOK_URL_INVALID, "`url` must be an http(s) URL"));
    }
    Ok(())
}

fn name_taken(name: &str) -> ParticeepError {
    ParticeepError::bad_request(code::WEBHOOK_NAME_EXISTS, format!("a webhook for `{name}` exists (one URL per event)"))
}

fn no_webhook(id: &str) -> ParticeepError {
    ParticeepError::not_found(code::WEBHOOK_NONE, format!("no webhook with id {id}"))
}

impl ConsumerData {
    /// Every webhook.
    pub fn all_webhooks(&self) -> Vec<WebHook> {
        self.webhooks.values().cloned().collect()
    }

    /// Registers a (checked) webhook; a second one for the same name is 400
    /// `error.webhook.name.exists`.
    pub fn create_webhook(&mut self, creation: WebHookCreation, now: &str) -> Result<WebHook, ParticeepError> {
        if self.webhooks.values().any(|w| w.name == creation.name) {
            return Err(name_taken(&creation.name));
        }
        let hook = WebHook {
            id: uuid::Uuid::new_v4().to_string(),
            created_at: now.to_owned(),
            name: creation.name,
            url: creation.url,
        };
        self.webhooks.insert(hook.id.clone(), hook.clone());
        Ok(hook)
    }

    /// Changes a webhook's name and URL (the name still unique).
    pub fn update_webhook(&mut self, id: &str, edition: WebHookCreation) -> Result<WebHook, ParticeepError> {
        if self.webhooks.values().any(|w| w.name == edition.name && w.id != id) {
            return Err(name_taken(&edition.name));
        }
        let hook = self.webhooks.get_mut(id).ok_or_else(|| no_webhook(id))?;
        hook.name = edition.name;
        hook.url = edition.url;
        Ok(hook.clone())
    }

    /// Deletes a webhook; answers it.
    pub fn delete_webhook(&mut self, id: &str) -> Result<WebHook, ParticeepError> {
        self.webhooks.remove(id).ok_or_else(|| no_webhook(id))
    }

    /// Registers every (checked) webhook of a list, or none: a name twice, or already hooked, is
    /// 400 `error.webhook.name.exists`.
    pub fn create_webhooks(
        &mut self,
        creations: Vec<WebHookCreation>,
        now: &str,
    ) -> Result<Vec<WebHook>, ParticeepError> {
        let mut names = std::collections::BTreeSet::new();
        for creation in &creations {
            if !names.insert(creation.name.clone()) || self.webhooks.values().any(|w| w.name == creation.name) {
                return Err(name_taken(&creation.name));
            }
        }
        creations.into_iter().map(|creation| self.create_webhook(creation, now)).collect()
    }

    /// Deletes every webhook of `ids`, or none (404 `error.webhook.none` for an unknown one).
    pub fn delete_webhooks(&mut self, ids: &[String]) -> Result<Vec<WebHook>, ParticeepError> {
        if let Some(unknown) = ids.iter().find(|id| !self.webhooks.contains_key(*id)) {
            return Err(no_webhook(unknown));
        }
        let mut seen = std::collections::BTreeSet::new();
        ids.iter().filter(|id| seen.insert(id.as_str())).map(|id| self.delete_webhook(id)).collect()
    }
}
