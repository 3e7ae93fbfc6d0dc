//! Internal keys. They never leave the server: the public names of things are account numbers, receipt
//! numbers and random tokens.

/// The internal key of an account row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccountId(pub i64);

/// The internal key of a session row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SessionId(pub i64);

/// The internal key of a case row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CaseId(pub i64);

/// The internal key of a staff member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StaffId(pub i64);
