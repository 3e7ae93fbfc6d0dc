//! The account pages: sign-up, verification, sign-in, second factor, security setup, profile, history.

pub mod history;
pub mod profile;
pub mod second_factor;
pub mod security;
pub mod security_setup;
pub mod sign_in;
pub mod sign_out;
pub mod sign_up;
pub mod verify_email;
