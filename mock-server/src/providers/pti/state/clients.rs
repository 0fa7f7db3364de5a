//! PTI clients and their single-use user tokens: registration (key, webhook URL) and a token
//! consumed once, for its method and path.

use super::*;
use crate::providers::pti::error::{PtiError, PtiErrorKind};
use chrono::{DateTime, Utc};
use serde_json::Value;

impl PtiStore {
    /// A client's keys and webhook URL.
    pub fn client(&self, client_id: &str) -> Option<ClientRecord> {
        self.lock().clients.get(client_id).cloned()
    }

    /// Registers or updates a client (`PUT /__admin/pti/clients/{id}`).
    pub fn upsert_client(
        &self,
        client_id: &str,
        public_jwk: Option<Value>,
        webhook_url: Option<String>,
        webhook_transport: Option<WebhookTransport>,
    ) -> Result<ClientRecord, String> {
        let mut data = self.lock();
        let existing = data.clients.get(client_id).cloned();
        let public_jwks = match (public_jwk, &existing) {
            (Some(jwk), _) => vec![jwk],
            (None, Some(record)) => record.public_jwks.clone(),
            (None, None) => return Err("a new client needs public_jwk".into()),
        };
        let webhook_transport = webhook_transport.or_else(|| existing.as_ref().and_then(|e| e.webhook_transport));
        let webhook_url = webhook_url.or_else(|| existing.and_then(|e| e.webhook_url));
        let record = ClientRecord { public_jwks, webhook_url, webhook_transport };
        data.clients.insert(client_id.to_owned(), record.clone());
        Ok(record)
    }

    /// Records an issued user token.
    pub fn remember_token(&self, jti: &str, record: TokenRecord) {
        let mut data = self.lock();
        let now = Utc::now();
        if data.tokens.len() > 10_000 {
            data.tokens.retain(|_, t| t.expires_at > now && !t.consumed);
        }
        data.tokens.insert(jti.to_owned(), record);
    }

    /// Uses a token once: 401 when unknown, expired or used, 403 for another URL or method.
    pub fn consume_token(
        &self,
        jti: &str,
        client_id: &str,
        method: &str,
        path: &str,
        now: DateTime<Utc>,
    ) -> Result<(), PtiError> {
        let mut data = self.lock();
        let token = data
            .tokens
            .get_mut(jti)
            .ok_or_else(|| PtiError::new(PtiErrorKind::BadToken, "unknown x-pti-token".into()))?;
        if token.client_id != client_id {
            return Err(PtiError::new(PtiErrorKind::BadToken, "the x-pti-token belongs to another client".into()));
        }
        if token.expires_at <= now {
            return Err(PtiError::new(PtiErrorKind::BadToken, "the x-pti-token has expired".into()));
        }
        if token.consumed {
            return Err(PtiError::new(
                PtiErrorKind::TokenUsed,
                "the x-pti-token was already used (user tokens are single-use)".into(),
            ));
        }
        if !token.method.eq_ignore_ascii_case(method) || token.path != path {
            return Err(PtiError::new(
                PtiErrorKind::WrongTokenTarget,
                format!("the x-pti-token allows {} {}, not {method} {path}", token.method, token.path),
            ));
        }
        token.consumed = true;
        Ok(())
    }
}
