//! fintwin's end-to-end tests, one binary (each area a module): the real mock on `127.0.0.1:0`,
//! driven over HTTP. A test binary links the whole stack, so one binary is less to build and link
//! than one per file. The bundled scenarios run in their own binary (`tests/scenarios.rs`), whose
//! harness (libtest-mimic) makes each scenario a test of its own.

mod core;
mod dashboard;
mod hardening;
mod kasisto;
mod mutating_proxy;
mod particeep;
mod particeep_2025;
mod properties;
mod pti;
mod pti_demo_code;
mod pti_v1;
mod readme;
mod recipes;
mod taler;
mod wrong_server;
