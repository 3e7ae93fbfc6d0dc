//! Which notice a case event produces (DOMAIN.md §3): the form of the I-797 family (or the Account Access
//! Notice) and the notice type printed under "NOTICE OF ACTION".

/// The printed form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum NoticeForm {
    /// Approval of an application or petition.
    I797,
    /// Receipts, rejections, transfers, appointments, reopenings.
    I797C,
    /// Sent with benefit cards.
    I797D,
    /// Request for evidence.
    I797E,
    /// For a paper filing: the account number and the Online Access Code.
    AccountAccess,
}

/// The notice type line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum NoticeKind {
    Receipt,
    Rejection,
    Transfer,
    BiometricsAppointment,
    InterviewAppointment,
    Reopening,
    RequestForEvidence,
    Approval,
    CardMailed,
    AccountAccess,
}

impl NoticeForm {
    pub const ALL: &[NoticeForm] = &[Self::I797, Self::I797C, Self::I797D, Self::I797E, Self::AccountAccess];

    /// As printed and stored: `I-797C`, or `Account Access Notice`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::I797 => "I-797",
            Self::I797C => "I-797C",
            Self::I797D => "I-797D",
            Self::I797E => "I-797E",
            Self::AccountAccess => "Account Access Notice",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|form| form.as_str() == text)
    }
}

impl NoticeKind {
    pub const ALL: &[NoticeKind] = &[
        Self::Receipt,
        Self::Rejection,
        Self::Transfer,
        Self::BiometricsAppointment,
        Self::InterviewAppointment,
        Self::Reopening,
        Self::RequestForEvidence,
        Self::Approval,
        Self::CardMailed,
        Self::AccountAccess,
    ];

    /// The stored, stable name (also the API's `kind`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Receipt => "receipt",
            Self::Rejection => "rejection",
            Self::Transfer => "transfer",
            Self::BiometricsAppointment => "biometrics_appointment",
            Self::InterviewAppointment => "interview_appointment",
            Self::Reopening => "reopening",
            Self::RequestForEvidence => "request_for_evidence",
            Self::Approval => "approval",
            Self::CardMailed => "card_mailed",
            Self::AccountAccess => "account_access",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|kind| kind.as_str() == text)
    }

    /// The notice type line as printed.
    pub fn printed(self) -> &'static str {
        match self {
            Self::Receipt => "Receipt",
            Self::Rejection => "Rejection",
            Self::Transfer => "Transfer",
            Self::BiometricsAppointment => "Biometrics Appointment",
            Self::InterviewAppointment => "Interview Appointment",
            Self::Reopening => "Reopening",
            Self::RequestForEvidence => "Request for Evidence",
            Self::Approval => "Approval",
            Self::CardMailed => "Card Notice",
            Self::AccountAccess => "Account Access",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_and_kinds_round_trip_through_their_stored_names() {
        for form in NoticeForm::ALL {
            assert_eq!(NoticeForm::parse(form.as_str()), Some(*form));
        }
        for kind in NoticeKind::ALL {
            assert_eq!(NoticeKind::parse(kind.as_str()), Some(*kind));
        }
    }
}
