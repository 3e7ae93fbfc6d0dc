//! The JSON API (API.md). Each file under `v1/` serves the URLs its name says.

pub mod v1;
