//! Status changes (with their notices, unread markers and emails) and answering a request for evidence.

use ellis::services::cases::status_change::{Move, update};
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::cases::{i90_fields, pdf_text};
use crate::support::TestApp;
use crate::support::api::Holder;

const RFE: &str = "Request for Initial Evidence Was Sent";
const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";

async fn filed(app: &TestApp, email: &str) -> (Holder, String, String) {
    let holder = app.holder(email).await;
    let token = app.two_factor_session(&holder).await;
    let answer = app.post("/api/v1/cases", json!({"form_type": "I-90", "fields": i90_fields()}), Some(&token)).await;
    let receipt = answer.body["receipt_number"].as_str().unwrap().to_owned();
    app.emails_to(&holder.email).await;
    (holder, token, receipt)
}

async fn request_evidence(app: &TestApp, receipt: &str) {
    let due = app.state.clock.now().date() + time::Duration::days(84);
    let details =
        Move { due_date: Some(due), note: Some("Send a copy of your birth certificate.".into()), ..Move::default() };
    update(&app.state, receipt, RFE, &details).await.expect("the catalogue allows an RFE after a receipt");
}

async fn upload(app: &TestApp, token: &str, receipt: &str, name: &str, bytes: &[u8]) -> reqwest::Response {
    let form =
        Form::new().part("file", Part::bytes(bytes.to_vec()).file_name(name.to_owned())).text("note", "Here it is.");
    app.http
        .post(app.url(&format!("/api/v1/cases/{receipt}/evidence")))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap()
}

/// Uploads a small PDF in answer to a request for evidence; returns the file's id.
pub async fn upload_pdf(app: &TestApp, token: &str, receipt: &str) -> String {
    let answer = upload(app, token, receipt, "birth-certificate.pdf", PDF).await;
    assert_eq!(answer.status(), 201);
    let body: Value = answer.json().await.unwrap();
    body["files"][0]["id"].as_str().expect("the file id").to_owned()
}

pub async fn a_status_change_issues_its_notice_marks_the_case_unread_and_says_only_that_by_email(app: &TestApp) {
    let (holder, token, receipt) = filed(app, "ana@example.org").await;
    request_evidence(app, &receipt).await;
    let list = app.get("/api/v1/cases", &token).await;
    assert_eq!(list.body[0]["unread"], true);
    let email = app.email_to(&holder.email, "There is an update").await;
    assert!(!email.text.contains(&receipt) && !email.text.contains("Evidence"), "{}", email.text);
    let case = app.get(&format!("/api/v1/cases/{receipt}"), &token).await;
    assert_eq!(case.body["status_title"], RFE);
    let notice = case.body["notices"].as_array().unwrap().iter().find(|n| n["form"] == "I-797E").expect("an I-797E");
    assert_eq!(notice["kind"], "request_for_evidence");
    let pdf = app.http.get(app.url(&format!("/api/v1/notices/{}/pdf", notice["id"].as_str().unwrap())));
    let text = pdf_text(&pdf.bearer_auth(&token).send().await.unwrap().bytes().await.unwrap());
    assert!(text.contains("Request for Evidence") && text.contains("Send the evidence by"), "{text}");
    assert_eq!(app.get("/api/v1/cases", &token).await.body[0]["unread"], false, "reading the case clears the marker");
    let refused = update(&app.state, &receipt, "Card Was Mailed To Me", &Move::default()).await;
    assert!(refused.is_err(), "the catalogue does not allow that move");
}

pub async fn evidence_answers_the_request_and_moves_the_case_on(app: &TestApp) {
    let (_, token, receipt) = filed(app, "ana@example.org").await;
    let early = upload(app, &token, &receipt, "birth.pdf", PDF).await;
    assert_eq!(early.status(), 409, "no evidence is expected before a request");
    request_evidence(app, &receipt).await;
    let sent = upload(app, &token, &receipt, "../../birth \"certificate\".pdf", PDF).await;
    assert_eq!(sent.status(), 201);
    let body: Value = sent.json().await.unwrap();
    assert_eq!(body["files"][0]["file_name"], "birth certificate.pdf");
    let case = app.get(&format!("/api/v1/cases/{receipt}"), &token).await;
    assert_eq!(case.body["status_title"], "Response To USCIS' Request For Evidence Was Received");
    assert_eq!(case.body["history"].as_array().unwrap().len(), 3);
    let files = app.get(&format!("/api/v1/cases/{receipt}/evidence"), &token).await;
    let id = files.body[0]["id"].as_str().unwrap().to_owned();
    let download = app.http.get(app.url(&format!("/api/v1/evidence/{id}"))).bearer_auth(&token).send().await.unwrap();
    assert_eq!(download.headers()["content-type"], "application/pdf");
    assert_eq!(download.bytes().await.unwrap().as_ref(), PDF);
    let again = upload(app, &token, &receipt, "more.pdf", PDF).await;
    assert_eq!(again.status(), 409, "the request was answered");
}

pub async fn evidence_is_checked_by_content_and_size_and_kept_from_others(app: &TestApp) {
    let (_, token, receipt) = filed(app, "ana@example.org").await;
    request_evidence(app, &receipt).await;
    let disguised = upload(app, &token, &receipt, "certificate.pdf", b"<html><script>alert(1)</script>").await;
    assert_eq!(disguised.status(), 422);
    let problem: Value = disguised.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "files[0]");
    let huge = [PDF, &vec![b'x'; 10 * 1024 * 1024]].concat();
    let too_big = upload(app, &token, &receipt, "big.pdf", &huge).await;
    assert_eq!(too_big.status(), 422);
    let png = upload(app, &token, &receipt, "photo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").await;
    assert_eq!(png.status(), 201);
    let id =
        app.get(&format!("/api/v1/cases/{receipt}/evidence"), &token).await.body[0]["id"].as_str().unwrap().to_owned();

    let ben = app.holder("ben@example.org").await;
    let ben = app.two_factor_session(&ben).await;
    let theirs = app.http.get(app.url(&format!("/api/v1/evidence/{id}"))).bearer_auth(&ben).send().await.unwrap();
    assert_eq!(theirs.status(), 404);
    assert_eq!(upload(app, &ben, &receipt, "x.pdf", PDF).await.status(), 404);
}

pub async fn the_case_page_takes_evidence_with_its_form_token(app: &TestApp) {
    let (holder, _, receipt) = filed(app, "ana@example.org").await;
    request_evidence(app, &receipt).await;
    app.advance(time::Duration::seconds(30));
    let (client, csrf) = crate::cases::signed_in_browser(app, &holder).await;
    let page = client.get(app.url(&format!("/cases/{receipt}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("enctype=\"multipart/form-data\"") && page.contains(&format!("?csrf={csrf}")));
    let form = || Form::new().part("file", Part::bytes(PDF.to_vec()).file_name("proof.pdf"));
    let url = app.url(&format!("/cases/{receipt}/evidence"));
    let forged = client.post(&url).multipart(form()).send().await.unwrap();
    assert_eq!(forged.status(), 403, "without the token in the URL the upload is refused");
    let sent = client.post(format!("{url}?csrf={csrf}")).multipart(form()).send().await.unwrap();
    assert_eq!(sent.status(), 303);
    let page = client.get(app.url(&format!("/cases/{receipt}"))).send().await.unwrap().text().await.unwrap();
    let title = page.split("id=\"status-title\">").nth(1).and_then(|rest| rest.split('<').next()).unwrap_or_default();
    assert!(title.starts_with("Response To USCIS") && title.ends_with("Request For Evidence Was Received"), "{title}");
    assert!(page.contains("proof.pdf"));
}
