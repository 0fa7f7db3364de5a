//! PTI (Provenance Technologies) public API v0 twin: signed requests, user tokens, KYC and
//! transaction monitoring, with webhooks signed by PTI's key and encrypted to the client's.
//!
//! Upstream: provenancetech/pti-docs `api/v0` (spec 1.0.136) and its guides.

pub mod crypto;
