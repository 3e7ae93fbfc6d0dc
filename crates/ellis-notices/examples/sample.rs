//! Writes a sample I-797C receipt notice, for a person to look at:
//! `cargo run -p ellis-notices --example sample -- target/sample-notice.pdf`

use ellis_core::notice_kind::{NoticeForm, NoticeKind};
use ellis_notices::{Notice, render};
use time::macros::date;

fn main() -> std::io::Result<()> {
    let path = std::env::args().nth(1).unwrap_or_else(|| "sample-notice.pdf".to_owned());
    let notice = Notice {
        form: NoticeForm::I797C,
        kind: NoticeKind::Receipt,
        receipt_number: "IOE2700000042".into(),
        case_type: "I-90 - Application to Replace Permanent Resident Card".into(),
        received_date: date!(2026 - 11 - 26),
        priority_date: None,
        notice_date: date!(2026 - 11 - 26),
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
    };
    std::fs::write(&path, render(&notice))?;
    println!("wrote {path}");
    Ok(())
}
