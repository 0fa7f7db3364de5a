//! v1 authentication: exactly v0's (a signed request with `/v1` in the signed path, or a
//! single-use user token; `x-pti-role` accepted and not needed), refused in v1's error shape.

use std::sync::Arc;

use axum::extract::{FromRequest, Request};

use super::error::V1Error;
use crate::providers::pti::auth::Authenticated;
use crate::providers::pti::Pti;

/// An authenticated v1 request.
pub struct V1Auth(pub Authenticated);

impl FromRequest<Arc<Pti>> for V1Auth {
    type Rejection = V1Error;

    async fn from_request(request: Request, pti: &Arc<Pti>) -> Result<Self, Self::Rejection> {
        Authenticated::from_request(request, pti).await.map(V1Auth).map_err(V1Error::from)
    }
}
