//! Notices of action (DOMAIN.md §3): the Form I-797 family and the Account Access Notice, rendered to PDF.
//! Pure: a [`Notice`] in, PDF bytes out, no IO. Text uses the PDF base-14 Helvetica with WinAnsi encoding
//! (Latin-1), which covers names as USCIS forms take them; anything else prints as `?`.

mod layout;

use ellis_core::notice_kind::{NoticeForm, NoticeKind};
use time::Date;

/// Everything a notice prints. Dates are written `November 26, 2026`. Serialisable, so a notice can be
/// stored as data and rendered again, identically, whenever it is downloaded.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Notice {
    pub form: NoticeForm,
    pub kind: NoticeKind,
    pub receipt_number: String,
    /// Form number and title: `I-90 - Application to Replace Permanent Resident Card`.
    pub case_type: String,
    pub received_date: Date,
    pub priority_date: Option<Date>,
    pub notice_date: Date,
    /// The applicant or petitioner.
    pub applicant_name: String,
    pub mailing_address: Vec<String>,
    pub beneficiary_name: Option<String>,
    pub a_number: Option<String>,
    /// Printed only for cases that belong to an online account (`1234-5678-9012`).
    pub account_number: Option<String>,
    pub amount_received_cents: Option<i64>,
    /// What this notice says: the paragraphs particular to its kind (appointment, due date, access code ...).
    pub body: Vec<String>,
    pub office_name: String,
    pub office_address: Vec<String>,
    /// The code anyone can check at `verify_url`.
    pub verification_code: String,
    pub verify_url: String,
}

/// The heading on the right of the first line: `I-797C, Notice of Action`.
pub fn form_heading(form: NoticeForm) -> &'static str {
    match form {
        NoticeForm::I797 => "I-797, Notice of Action",
        NoticeForm::I797C => "I-797C, Notice of Action",
        NoticeForm::I797D => "I-797D, Notice of Action",
        NoticeForm::I797E => "I-797E, Notice of Action",
        NoticeForm::AccountAccess => "Account Access Notice",
    }
}

/// The contact center every notice names.
pub const CONTACT_CENTER: &str = "USCIS Contact Center: 800-375-5283 (TTY 800-767-1833), www.uscis.gov";
pub const NOT_A_VISA: &str = "THIS FORM IS NOT A VISA AND MAY NOT BE USED IN PLACE OF A VISA";

/// Renders the notice as a one-page (or longer, if the body needs it) US Letter PDF.
pub fn render(notice: &Notice) -> Vec<u8> {
    layout::render(notice)
}

/// `November 26, 2026`.
/// A typical I-797C receipt notice with invented data, for the sample program and the benchmark.
pub fn sample() -> Notice {
    Notice {
        form: NoticeForm::I797C,
        kind: NoticeKind::Receipt,
        receipt_number: "IOE2700000042".into(),
        case_type: "I-90 - Application to Replace Permanent Resident Card".into(),
        received_date: time::macros::date!(2026 - 11 - 26),
        priority_date: None,
        notice_date: time::macros::date!(2026 - 11 - 26),
        applicant_name: "Ana María Díaz".into(),
        mailing_address: vec!["1 Main St".into(), "Austin, TX 78701".into()],
        beneficiary_name: None,
        a_number: Some("A012345678".into()),
        account_number: Some("1234-5678-9012".into()),
        amount_received_cents: Some(41_500),
        body: vec!["We have received your form and the fee shown above.".into()],
        office_name: "USCIS Electronic Immigration System".into(),
        office_address: vec!["Washington, DC 20529".into()],
        verification_code: "K7Q2-9XMW-4HRT".into(),
        verify_url: "http://127.0.0.1:8080/notices/verify".into(),
    }
}

pub fn long_date(date: Date) -> String {
    ellis_core::status::english_date(date)
}

/// `$415.00`.
pub fn dollars(cents: i64) -> String {
    format!("${}.{:02}", cents / 100, cents % 100)
}
