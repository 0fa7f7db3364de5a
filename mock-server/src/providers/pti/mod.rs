//! PTI (Provenance Technologies) public API v0 twin: signed requests, user tokens, KYC and
//! transaction monitoring, with webhooks signed by PTI's key and encrypted to the client's.
//!
//! Emulated endpoints (under `/pti/v0`): `POST /auth/userToken` (alias `/auth/jwt`);
//! `POST|GET|PUT|PATCH /users`; `GET /users/{id}`; `POST|GET /users/{id}/kyc`;
//! `GET /users/{id}/kyc-needed?amount=`; `POST /users/{id}/transactionLogs`;
//! `GET /users/{id}/transactionLogs/{requestId}`; `POST /users/{id}/transactions/fiat/funding`;
//! `POST /transactions/{requestId}/feedback`.
//! Upstream: provenancetech/pti-docs `api/v0` (spec 1.0.136) and its guides.

pub mod admin;
pub mod auth;
pub mod config;
pub mod contract;
pub mod crypto;
pub mod error;
pub mod handlers;
pub mod kyc_form;
pub mod lifecycles;
pub mod model;
pub mod openapi;
pub mod router;
pub mod seed;
pub mod sender;
pub mod state;
pub mod v1;

use std::sync::{Arc, OnceLock};

use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};

use crate::behaviour::{CommonError, Shared};
use crate::config::ProvidersConfig;
use crate::provider::{BuildContext, ClientRequest, Provider};
use crate::webhooks::WebhookQueue;
use auth::Authenticated;
use config::PtiConfig;
use crypto::KeyPair;
use error::{PtiError, PtiErrorKind};
use seed::BuiltInKeys;
pub use seed::{demo_client_private_jwk, DEMO_CLIENT_PUBLIC_JWK};
pub use sender::WebhookSender;
use state::PtiStore;
pub use state::Unfinished;

/// The PTI twin.
pub struct Pti {
    /// Its state.
    pub store: PtiStore,
    /// The built-in key pairs, read on first use: reading them starts OpenSSL, which would cost
    /// every start about 3 ms and 3 MB while most sessions never need them.
    keys: OnceLock<Result<BuiltInKeys, String>>,
    /// The demo client's public JWK, registered for it at start and at every reset.
    demo_client_public_jwk: serde_json::Value,
    /// Our published `user` and `transaction` schemas, compiled on first use (at start they
    /// would delay every start by milliseconds): request bodies are checked against the contract
    /// itself.
    user_schema: OnceLock<Result<jsonschema::Validator, String>>,
    transaction_schema: OnceLock<Result<jsonschema::Validator, String>>,
    /// Each client's public keys, parsed once.
    pub verifying_keys: auth::KeyCache,
    shared: Arc<Shared>,
}

/// The request-body schemas of `schemas/pti/`.
#[derive(Debug, Clone, Copy)]
pub enum BodySchema {
    /// `user.json` (users and KYC requests).
    User,
    /// `transaction.json` (transaction logs and fundings).
    Transaction,
}

impl Pti {
    /// A twin from `config`; fails only if the bundled public JWK is not JSON (the key pairs and
    /// schemas are read on first use).
    pub fn new(config: PtiConfig, shared: Arc<Shared>) -> Result<Self, String> {
        let demo_client_public_jwk: serde_json::Value = serde_json::from_str(DEMO_CLIENT_PUBLIC_JWK)
            .map_err(|e| format!("keys/demo-client.public.jwk is not JSON: {e}"))?;
        let store = PtiStore::new(config, demo_client_public_jwk.clone());
        Ok(Self {
            store,
            keys: OnceLock::new(),
            demo_client_public_jwk,
            user_schema: OnceLock::new(),
            transaction_schema: OnceLock::new(),
            verifying_keys: auth::KeyCache::default(),
            shared,
        })
    }

    /// The built-in key pairs (read from their PEM files the first time).
    fn keys(&self) -> Result<&BuiltInKeys, String> {
        self.keys.get_or_init(BuiltInKeys::read).as_ref().map_err(Clone::clone)
    }

    /// The stand-in for PTI's webhook-signing key.
    pub fn pti_key(&self) -> Result<&KeyPair, String> {
        self.keys().map(|keys| &keys.pti)
    }

    /// The twin's Ed25519 webhook key (PTI's 2026 scheme).
    pub fn webhook_key(&self) -> Result<&crypto::WebhookSigningKey, String> {
        self.keys().map(|keys| &keys.webhook)
    }

    /// The demo client's key pair.
    pub fn demo_client_key(&self) -> Result<&KeyPair, String> {
        self.keys().map(|keys| &keys.demo_client)
    }

    /// 400 naming the first field that breaks the contract's schema. A string holding a number
    /// where the schema says number is taken as that number, and `body` rewritten so: PTI's own
    /// React demo has sent `"amount": "57.3"` since 2022, so the real server evidently accepts them
    /// (our reading; the spec says number).
    pub fn check_body(&self, schema: BodySchema, body: &mut serde_json::Value) -> Result<(), PtiError> {
        let (slot, name) = match schema {
            BodySchema::User => (&self.user_schema, "user"),
            BodySchema::Transaction => (&self.transaction_schema, "transaction"),
        };
        let validator = match slot.get_or_init(|| contract::compile(name)) {
            Ok(validator) => validator,
            Err(problem) => {
                // Our own generated schema; `the_contract_schemas_compile` keeps this unreachable.
                // The typed extractors still check the body's shape.
                tracing::error!(%problem, "request body not checked against the contract");
                return Ok(());
            }
        };
        contract::check_against(validator, body)
    }

    /// How long after the PENDING webhook the result follows.
    fn result_delay(&self) -> std::time::Duration {
        std::time::Duration::from_millis(self.store.config().result_delay_ms)
    }

    /// Decides an asynchronous result after the result delay and sends its webhooks: a KYC or a
    /// transaction log once, a funding step by step (PENDING → AUTHORIZED or REFUSED → SETTLED).
    /// One already decided meanwhile (admin API, reset) is left alone.
    pub fn schedule(self: &Arc<Self>, kind: Unfinished, client_id: &str, request_id: &str, sender: WebhookSender) {
        let (twin, client_id, request_id) = (self.clone(), client_id.to_owned(), request_id.to_owned());
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(twin.result_delay()).await;
                if kind == Unfinished::Execution {
                    let Some(outcome) = twin.store.advance_execution(&client_id, &request_id) else { break };
                    for event in outcome.events {
                        sender.send(event);
                    }
                    if outcome.more {
                        continue;
                    }
                    break;
                }
                let event = match kind {
                    Unfinished::Kyc => twin.store.finish_kyc(&client_id, &request_id),
                    Unfinished::TransactionLog => twin.store.finish_transaction(&client_id, &request_id),
                    Unfinished::Funding | Unfinished::Execution => twin.store.advance_funding(&client_id, &request_id),
                };
                let Some(event) = event else { break };
                sender.send(event);
                if kind != Unfinished::Funding {
                    break;
                }
            }
        });
    }

    /// The twins' clock.
    pub fn now(&self) -> DateTime<Utc> {
        self.shared.clock.now()
    }

    /// A single-use JWT bound to a method and normalised path; returns it, its `jti` and expiry.
    pub fn issue_token(
        &self,
        client_id: &str,
        path: &str,
        method: &str,
    ) -> Result<(String, String, DateTime<Utc>), PtiError> {
        let failed =
            |e: josekit::JoseError| PtiError::new(PtiErrorKind::InvalidRequest, format!("cannot issue a token: {e}"));
        let jti = uuid::Uuid::new_v4().to_string();
        let lifetime = i64::try_from(self.store.config().user_token_lifetime_secs).unwrap_or(600);
        let expires_at = self.now() + chrono::Duration::seconds(lifetime);
        let mut payload = josekit::jwt::JwtPayload::new();
        payload.set_jwt_id(&jti);
        payload.set_issuer("fintwin-pti");
        payload.set_issued_at(&std::time::SystemTime::from(self.now()));
        payload.set_expires_at(&std::time::SystemTime::from(expires_at));
        payload.set_claim("cid", Some(client_id.into())).map_err(failed)?;
        payload.set_claim("url", Some(path.into())).map_err(failed)?;
        payload.set_claim("method", Some(method.into())).map_err(failed)?;
        let mut header = josekit::jws::JwsHeader::new();
        header.set_token_type("JWT");
        let signer = josekit::jws::HS512.signer_from_bytes(self.store.token_key()).map_err(failed)?;
        let token = josekit::jwt::encode_with_signer(&payload, &header, &signer).map_err(failed)?;
        Ok((token, jti, expires_at))
    }

    /// The `jti` of a token this twin signed for `client_id` (401 otherwise).
    pub fn token_id(&self, token: &str, client_id: &str) -> Result<String, PtiError> {
        user_token_id(&self.store.token_key(), token, client_id)
    }

    /// Sends the webhooks of one request (or none, under `x-pti-disable-webhook: true`).
    pub fn sender(self: &Arc<Self>, auth: &Authenticated) -> WebhookSender {
        WebhookSender { pti: self.clone(), jku: self.jku(auth.header("host")), disabled: auth.webhooks_disabled() }
    }

    /// Sends webhooks decided through the admin API.
    pub fn admin_sender(self: &Arc<Self>) -> WebhookSender {
        WebhookSender { pti: self.clone(), jku: self.jku(None), disabled: false }
    }

    fn jku(&self, host: Option<&str>) -> String {
        format!("http://{}/__admin/pti/jwks", host.unwrap_or("127.0.0.1"))
    }

    fn queue(&self) -> &Arc<WebhookQueue> {
        &self.shared.webhooks
    }
}

/// The v1 API (Fiant institutional, 1.0.196) beside v0, over the same state.
pub const V1_FACE: crate::provider::Face = crate::provider::Face {
    name: "pti-v1",
    mount: "/pti/v1",
    own_port_path: "/v1",
    scenario_doc: "PTI v1, the Fiant institutional API (mounted at `/pti/v1` on the twin; the same state as `pti`).",
    operations: v1::router::OPERATIONS,
    lifecycles: lifecycles::V1_LIFECYCLES,
    api_doc: &openapi::V1_API,
};

impl Provider for Pti {
    const NAME: &'static str = "pti";
    const MOUNT: &'static str = "/pti/v0";
    const SCENARIO_DOC: &'static str = "PTI public API v0 (mounted at `/pti/v0` on the twin).";
    const AUTH_DOC: &'static str = "PTI: `x-pti-client-id` (variable `client_id`), `Date`, and `x-pti-signature` signed with\nthe variable `private_jwk` as PTI's reference signer does.";
    const OPERATIONS: &'static [crate::provider::Operation] = router::OPERATIONS;
    const LIFECYCLES: &'static [crate::provider::Lifecycle] = lifecycles::V0_LIFECYCLES;
    const API_DOC: &'static crate::openapi::ApiDoc = &openapi::V0_API;
    type Section = PtiConfig;

    fn section(providers: &ProvidersConfig) -> &PtiConfig {
        &providers.pti
    }

    fn validate(section: &PtiConfig) -> Result<(), (String, String)> {
        section.validate()
    }

    fn build(section: &PtiConfig, context: &BuildContext) -> Result<Self, String> {
        // The keys are compiled in; this fails only with a corrupt build.
        Self::new(section.clone(), context.shared.clone())
    }

    fn api(twin: Arc<Self>) -> axum::Router {
        router::api(twin)
    }

    fn admin(twin: Arc<Self>) -> axum::Router {
        router::admin(twin)
    }

    fn schemas(generator: &mut schemars::SchemaGenerator) -> Vec<(&'static str, schemars::Schema)> {
        model::schemas(generator)
    }

    fn credential(&self, headers: &HeaderMap) -> Option<String> {
        headers.get("x-pti-client-id").and_then(|v| v.to_str().ok()).map(|id| format!("client:{id}"))
    }

    fn common_error(&self, error: CommonError) -> Response {
        PtiError::Common(error).into_response()
    }

    fn durable(&self) -> &dyn crate::durable::Durable {
        self.store.durable()
    }

    fn snapshot(&self) -> serde_json::Value {
        let mut value = serde_json::to_value(self.store.snapshot()).unwrap_or_default();
        if let Some(map) = value.as_object_mut() {
            map.remove("token_key");
        }
        value
    }

    fn reset(&self) {
        self.store.reset(&self.demo_client_public_jwk);
    }

    fn reconfigure(&self, section: &PtiConfig) {
        self.store.reconfigure(section.clone(), &self.demo_client_public_jwk);
    }

    fn resume(self: Arc<Self>) {
        // The requests' own webhook settings and Host are gone with the process: results read
        // back from `--state-dir` are sent as admin decisions are.
        for (kind, client_id, request_id) in self.store.unfinished() {
            self.schedule(kind, &client_id, &request_id, self.admin_sender());
        }
    }

    const FACES: &'static [crate::provider::Face] = &[V1_FACE];

    fn face(
        twin: Arc<Self>,
        face: &'static crate::provider::Face,
    ) -> Option<(axum::Router, Arc<dyn crate::behaviour::ProviderFace>)> {
        (face.name == V1_FACE.name).then(|| (v1::router::api(twin.clone()), Arc::new(v1::V1Errors(twin)) as _))
    }

    fn demo_vars() -> Vec<(&'static str, serde_json::Value)> {
        let mut vars = vec![("client_id", serde_json::Value::from(seed::DEMO_CLIENT_ID))];
        if let Ok(jwk) = demo_client_private_jwk() {
            vars.push(("private_jwk", jwk));
        }
        vars
    }

    /// `x-pti-client-id`, `Date` and `x-pti-signature` as PTI's reference signer makes them; the
    /// signed path is the URL's path, mount prefix included, without the query.
    fn authenticate(request: &mut ClientRequest<'_>) -> Result<(), String> {
        let client_id = request.required("client_id", Self::NAME, "")?;
        let jwk = (request.var)("private_jwk")
            .ok_or("`auth: pti` needs the variable `private_jwk` (the client's private JWK)")?;
        let key = KeyPair::from_private_jwk(&crypto::jwk_from_json(&jwk)?)?;
        let date = request.header("date").unwrap_or_else(|| crypto::http_date(chrono::Utc::now()));
        let content_type = request.header("content-type");
        let signed = crypto::signed_headers(
            &key,
            &client_id,
            request.method,
            request.path,
            request.body,
            content_type.as_deref(),
            &date,
        )?;
        request.headers.retain(|(n, _)| !signed.iter().any(|(h, _)| n.eq_ignore_ascii_case(h)));
        request.headers.extend(signed.into_iter().map(|(name, value)| (name.to_owned(), value)));
        Ok(())
    }
}

/// The `jti` of a user token signed (HS512) with `secret` for `client_id`; 401 (4012) for anything
/// else. A free function so the fuzzer can drive it without a running twin.
pub fn user_token_id(secret: &[u8], token: &str, client_id: &str) -> Result<String, PtiError> {
    let invalid = || PtiError::new(PtiErrorKind::BadToken, "x-pti-token is not a token of this twin".into());
    let verifier = josekit::jws::HS512.verifier_from_bytes(secret).map_err(|_| invalid())?;
    let (payload, _) = josekit::jwt::decode_with_verifier(token, &verifier).map_err(|_| invalid())?;
    if payload.claim("cid").and_then(|v| v.as_str()) != Some(client_id) {
        return Err(PtiError::new(PtiErrorKind::BadToken, "the x-pti-token belongs to another client".into()));
    }
    payload.jwt_id().map(str::to_owned).ok_or_else(invalid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_clients_public_jwk_file_is_the_public_half_of_its_pem() {
        let keys = BuiltInKeys::read().unwrap_or_else(|e| panic!("the built-in keys read: {e}"));
        let from_file: serde_json::Value =
            serde_json::from_str(DEMO_CLIENT_PUBLIC_JWK).unwrap_or_else(|e| panic!("the JWK file is JSON: {e}"));
        assert_eq!(from_file, crypto::jwk_to_json(&keys.demo_client.public_jwk));
        assert_ne!(from_file, crypto::jwk_to_json(&keys.pti.public_jwk));
    }
}
