//! PTI v1, the Fiant institutional API (spec 1.0.196) that PTI's SDKs and Postman collection use
//! today, mounted at `/pti/v1` beside v0 over the same state: a user created through v0 is the
//! user v1 reads, and request ids are one namespace.
//!
//! Emulated (all 44 operations of the spec): `POST /auth/jwt`; `GET|POST|PUT|PATCH /users`,
//! `GET /users/{id}`, `POST /users/{id}/documents`; `POST /users/assessments`,
//! `GET /users/{id}/assessments`; `POST /transactions/assessments`, `GET
//! /transactions/assessments/{requestId}`, `POST /transactions/validations`, `POST
//! /transactions/trades/price-estimation`; `POST /transactions/{deposits,withdrawals,payments,
//! transfers,trades,mints,purchases,sales}`, `GET|DELETE /transactions/{requestId}`, `POST
//! /transactions/{requestId}/updates`; wallets (`/users/{id}/wallets[/{walletId}[/simulate-deposit|
//! /deposit-address|/virtual-bank-account|/wire-instructions|/history]]`, `GET /wallets/`);
//! `/users/{id}/payment-information[/{id}]`; `GET /assets`; `/digital-items/{id}` and
//! `/users/{id}/digital-items`. Upstream: provenancetech/pti-docs `api/v1/public-api.yaml` and the
//! guide under `guide/readme/master/`.

pub mod auth;
pub mod error;
pub mod handlers;
pub mod model;
pub mod router;

use std::sync::Arc;

use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};

use super::Pti;
use crate::behaviour::{CommonError, ProviderFace};

/// The v1 face of the PTI twin for the shared pipeline: the same name and throttle key as v0,
/// its shared errors (429, 413, injected faults) in v1's shape.
pub struct V1Errors(pub Arc<Pti>);

impl ProviderFace for V1Errors {
    fn name(&self) -> &'static str {
        <Pti as crate::provider::Provider>::NAME
    }

    fn credential(&self, headers: &HeaderMap) -> Option<String> {
        <Pti as crate::provider::Provider>::credential(&self.0, headers)
    }

    fn common_error(&self, error: CommonError) -> Response {
        error::V1Error::from(error).into_response()
    }
}
