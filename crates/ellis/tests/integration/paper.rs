//! Paper-filed cases: intake with a receipt number in the office's layout, and linking with the Online
//! Access Code from the Account Access Notice (DOMAIN.md §1, §3).

use ellis::services::Client;
use ellis::services::cases::intake::{Intake, PaperFiling, intake};
use ellis_core::receipt_number::PaperLayout;
use serde_json::{Map, json};
use time::Duration;

use crate::cases::pdf_text;
use crate::support::TestApp;

fn paper(account_number: Option<&str>) -> PaperFiling {
    let fields: Map<String, serde_json::Value> = json!({
        "given_name": "Luis", "family_name": "Ruiz", "date_of_birth": "1980-02-03",
        "mailing_address": {"line1": "5 Oak Ave", "city": "Lincoln", "state": "NE", "zip": "68508"},
    })
    .as_object()
    .unwrap()
    .clone();
    PaperFiling {
        form_type: "I-765".into(),
        prefix: "LIN".into(),
        layout: PaperLayout::ServiceCenter,
        fields,
        account_number: account_number.map(str::to_owned),
        received_by: None,
    }
}

async fn received(app: &TestApp, account_number: Option<&str>) -> Intake {
    intake(&app.state, paper(account_number), &Client::default()).await.expect("intake")
}

pub async fn a_paper_case_gets_a_service_center_receipt_and_an_access_code(app: &TestApp) {
    let done = received(app, None).await;
    let receipt = done.receipt_number;
    assert_eq!(receipt.prefix(), "LIN");
    assert!(receipt.fits(PaperLayout::ServiceCenter), "{receipt}");
    let code = done.access_code.expect("an access code for a filing without an account");
    let texts: Vec<String> = done.mailed.iter().map(|(_, pdf)| pdf_text(pdf)).collect();
    assert!(texts[0].contains("I-797C") && texts[0].contains(receipt.as_str()));
    assert!(texts[1].contains("Account Access Notice") && texts[1].contains(&code.to_string()));
    assert!(texts.iter().all(|t| !t.contains("Online Account Number")), "no account, no account number");
    let status = app.call(reqwest::Method::GET, &format!("/api/v1/case-status/{receipt}"), None, None).await;
    assert_eq!(status.body["status_title"], "Case Was Received");
}

pub async fn the_access_code_links_the_case_once(app: &TestApp) {
    let done = received(app, None).await;
    let (receipt, code) = (done.receipt_number.to_string(), done.access_code.unwrap().to_string());
    let ana = app.holder("ana@example.org").await;
    let ana = app.two_factor_session(&ana).await;
    let wrong = json!({"receipt_number": receipt, "access_code": "AAAA-BBBB-CCCC"});
    let answer = app.post("/api/v1/cases/link", wrong, Some(&ana)).await;
    assert_eq!((answer.status, answer.code()), (400, "invalid_token"));
    let typed = json!({"receipt_number": receipt.to_lowercase(), "access_code": code.to_lowercase().replace('-', " ")});
    let linked = app.post("/api/v1/cases/link", typed.clone(), Some(&ana)).await;
    assert_eq!(linked.status, 200, "{}", linked.raw);
    assert_eq!(linked.body["receipt_number"], receipt.as_str());
    let mine = app.get("/api/v1/cases", &ana).await;
    assert_eq!(mine.body[0]["receipt_number"], receipt.as_str());
    let ben = app.holder("ben@example.org").await;
    let ben = app.two_factor_session(&ben).await;
    let again = app.post("/api/v1/cases/link", typed, Some(&ben)).await;
    assert_eq!((again.status, again.code()), (409, "conflict"));
    assert_eq!(app.get(&format!("/api/v1/cases/{receipt}"), &ben).await.status, 404);
}

pub async fn an_access_code_expires_after_ninety_days_and_dies_after_ten_wrong_tries(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let late = received(app, None).await;
    app.advance(Duration::days(90));
    let token = app.two_factor_session(&holder).await;
    let body =
        |intake: &Intake, code: String| json!({"receipt_number": intake.receipt_number.as_str(), "access_code": code});
    let expired =
        app.post("/api/v1/cases/link", body(&late, late.access_code.as_ref().unwrap().to_string()), Some(&token)).await;
    assert_eq!((expired.status, expired.code()), (400, "invalid_token"));
    let fresh = received(app, None).await;
    for _ in 0..10 {
        app.post("/api/v1/cases/link", body(&fresh, "AAAA-BBBB-CCCC".into()), Some(&token)).await;
    }
    let right = app
        .post("/api/v1/cases/link", body(&fresh, fresh.access_code.as_ref().unwrap().to_string()), Some(&token))
        .await;
    assert_eq!((right.status, right.code()), (400, "invalid_token"), "the code is dead after ten wrong tries");
    let malformed = app.post("/api/v1/cases/link", body(&fresh, "short".into()), Some(&token)).await;
    assert_eq!(malformed.fields(), ["access_code"]);
}

pub async fn a_paper_filing_naming_an_account_number_joins_that_account(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let dashed = ellis_core::AccountNumber::parse(&holder.account_number).unwrap().display();
    let done = received(app, Some(&dashed)).await;
    assert!(done.access_code.is_none(), "no access code when the account is known");
    assert!(pdf_text(&done.mailed[0].1).contains(&format!("USCIS Online Account Number: {dashed}")));
    let token = app.two_factor_session(&holder).await;
    let cases = app.get("/api/v1/cases", &token).await;
    assert_eq!(cases.body[0]["receipt_number"], done.receipt_number.as_str());
    assert_eq!(cases.body[0]["filed_online"], false);
    // A mistyped number fails its check digit and is refused with that reason.
    let mut mistyped = holder.account_number.clone();
    let last = mistyped.pop().unwrap().to_digit(10).unwrap();
    mistyped.push(char::from_digit((last + 1) % 10, 10).unwrap());
    let refused = intake(&app.state, paper(Some(&mistyped)), &Client::default()).await;
    assert!(
        matches!(refused, Err(ellis::services::ServiceError::Invalid(ref e)) if e.message_for("account_number").is_some())
    );
}

pub async fn the_link_page_adds_the_case_and_explains_a_wrong_code(app: &TestApp) {
    let done = received(app, None).await;
    let holder = app.holder("ana@example.org").await;
    let (client, csrf) = crate::cases::signed_in_browser(app, &holder).await;
    let receipt = done.receipt_number.to_string();
    let wrong = [("csrf", csrf.as_str()), ("receipt_number", receipt.as_str()), ("access_code", "AAAA-BBBB-CCCC")];
    let refused = client.post(app.url("/cases/link")).form(&wrong).send().await.unwrap();
    assert_eq!(refused.status(), 400);
    assert!(refused.text().await.unwrap().contains("do not match"));
    let code = done.access_code.unwrap().to_string();
    let right = [("csrf", csrf.as_str()), ("receipt_number", receipt.as_str()), ("access_code", code.as_str())];
    let linked = client.post(app.url("/cases/link")).form(&right).send().await.unwrap();
    assert_eq!(linked.status(), 303);
    assert_eq!(linked.headers()["location"], format!("/cases/{receipt}").as_str());
}
