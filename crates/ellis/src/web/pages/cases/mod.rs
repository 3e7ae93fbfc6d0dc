//! The case pages: the applicant's cases, filing a form, one case with its notices; and the public
//! status look-up and notice verification, which need no sign-in.

pub mod file;
pub mod link;
pub mod list;
pub mod public;
pub mod show;
