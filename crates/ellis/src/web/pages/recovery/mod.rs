//! The recovery pages, open to anyone: forgot password (and its reset link, with the lost-factor path),
//! forgot username, and the links that security emails carry.

pub mod forgot_password;
pub mod forgot_username;
pub mod links;
pub mod reset_password;
