//! The HTTP layer: `router.rs` is the map of every URL; handlers extract, call one service, map the result.

pub mod api;
pub mod error;
pub mod extract;
pub mod flood_shield;
pub mod health;
pub mod metrics;
pub mod pages;
pub mod request;
pub mod router;
pub mod routes;
pub mod security_headers;
pub mod static_files;

pub use router::router;
