//! Cases (DESIGN.md §5): filing forms online, following them, their notices, and the public status look-up.

pub mod evidence;
pub mod filing;
pub mod intake;
pub mod linking;
pub mod notices;
pub mod public_status;
pub mod status_change;
pub mod tracking;

use ellis_core::ReceiptNumber;

use super::{ServiceResult, invalid};

/// A receipt number as typed, or 422 naming `field`.
pub fn parse_receipt(typed: &str, field: &str) -> ServiceResult<ReceiptNumber> {
    ReceiptNumber::parse(typed).map_err(|e| invalid(field, e.to_string()))
}

/// Where a case is handled, by the receipt number's prefix (the prefix never changes on transfer).
/// The prefix of receipt numbers for cases filed online.
pub const ONLINE_PREFIX: &str = "IOE";

pub(crate) fn office_for(receipt: &ReceiptNumber) -> &'static str {
    receipt.office().unwrap_or("U.S. Citizenship and Immigration Services")
}
