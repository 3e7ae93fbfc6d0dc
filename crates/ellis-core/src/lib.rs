//! The ellis domain, pure: identifiers that parse themselves, the rules of accounts, passwords, second
//! factors and lockout. Nothing here performs IO; time and randomness come in as arguments.

pub mod a_number;
pub mod access_code;
pub mod account_number;
pub mod backup_codes;
pub mod email;
pub mod events;
pub mod evidence;
pub mod forms;
pub mod ids;
pub mod lockout;
pub mod notice_kind;
pub mod password;
pub mod profile;
pub mod receipt_number;
pub mod recovery;
pub mod security_questions;
pub mod session;
pub mod staff;
pub mod status;
pub mod tokens;
pub mod totp;
pub mod validation;

pub use a_number::ANumber;
pub use account_number::AccountNumber;
pub use email::EmailAddress;
pub use ids::AccountId;
pub use receipt_number::ReceiptNumber;
pub use validation::{FieldError, FieldErrors};
