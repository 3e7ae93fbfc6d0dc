//! Notices read back by a PDF parser (lopdf's text extraction), as a reader's software would see them.

use ellis_core::notice_kind::{NoticeForm, NoticeKind};
use ellis_notices::{Notice, render};
use time::macros::date;

fn receipt(account_number: Option<&str>) -> Notice {
    Notice {
        form: NoticeForm::I797C,
        kind: NoticeKind::Receipt,
        receipt_number: "IOE2600000042".into(),
        case_type: "I-90 - Application to Replace Permanent Resident Card".into(),
        received_date: date!(2026 - 11 - 26),
        priority_date: None,
        notice_date: date!(2026 - 11 - 26),
        applicant_name: "Ana María Díaz".into(),
        mailing_address: vec!["1 Main St".into(), "Austin, TX 78701".into()],
        beneficiary_name: None,
        a_number: Some("A012345678".into()),
        account_number: account_number.map(str::to_owned),
        amount_received_cents: Some(41_500),
        body: vec!["We have received your form and the fee. ".repeat(12)],
        office_name: "USCIS Electronic Immigration System".into(),
        office_address: vec!["Washington, DC 20529".into()],
        verification_code: "K7Q2-9XMW-4HRT".into(),
        verify_url: "http://127.0.0.1:8080/notices/verify".into(),
    }
}

fn text_of(pdf: &[u8]) -> String {
    let document = lopdf::Document::load_mem(pdf).expect("a well-formed PDF");
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    document.extract_text(&pages).expect("text")
}

#[test]
fn a_receipt_notice_reads_back_with_its_facts() {
    let text = text_of(&render(&receipt(Some("1234-5678-9012"))));
    for expected in [
        "I-797C, Notice of Action",
        "NOTICE OF ACTION",
        "IOE2600000042",
        "Receipt",
        "November 26, 2026",
        "Ana María Díaz (A012345678)",
        "$415.00",
        "USCIS Online Account Number: 1234-5678-9012",
        "THIS FORM IS NOT A VISA AND MAY NOT BE USED IN PLACE OF A VISA",
        "K7Q2-9XMW-4HRT",
        "Page 1 of 1",
    ] {
        assert!(text.contains(expected), "{expected:?} missing from:\n{text}");
    }
}

#[test]
fn a_notice_of_a_case_without_an_online_account_prints_no_account_number() {
    let text = text_of(&render(&receipt(None)));
    assert!(!text.contains("Online Account Number"), "{text}");
    assert!(text.contains("IOE2600000042"));
}

#[test]
fn a_long_body_flows_onto_more_pages_each_numbered() {
    let mut notice = receipt(None);
    notice.body = vec!["A paragraph that is long enough to take several lines of the page. ".repeat(20); 6];
    let pdf = render(&notice);
    let document = lopdf::Document::load_mem(&pdf).unwrap();
    let count = document.get_pages().len();
    assert!(count >= 2, "{count} pages");
    assert!(text_of(&pdf).contains(&format!("Page {count} of {count}")));
}
