//! Filing forms online and following cases (DESIGN.md §5, API.md "Cases").

use std::collections::HashSet;

use reqwest::Method;
use serde_json::{Value, json};

use crate::sign_in::futures_join_all;
use crate::support::TestApp;
use crate::support::api::Holder;

pub fn i90_fields() -> Value {
    json!({
        "family_name": "Díaz", "given_name": "Ana María", "date_of_birth": "1990-04-01",
        "country_of_birth": "Mexico", "a_number": "A012345678", "sex": "female", "reason": "lost_stolen_destroyed",
        "mailing_address": {"line1": "1 Main St", "city": "Austin", "state": "TX", "zip": "78701"},
        "signature": "Ana María Díaz",
    })
}

fn filing(form_type: &str, fields: Value) -> Value {
    json!({"form_type": form_type, "fields": fields})
}

/// A holder with a fresh two-factor session, and their filed I-90's receipt number.
async fn filed_i90(app: &TestApp, email: &str) -> (Holder, String, String) {
    let holder = app.holder(email).await;
    let token = app.two_factor_session(&holder).await;
    let answer = app.post("/api/v1/cases", filing("I-90", i90_fields()), Some(&token)).await;
    assert_eq!(answer.status, 201, "{}", answer.raw);
    let receipt = answer.body["receipt_number"].as_str().unwrap().to_owned();
    (holder, token, receipt)
}

pub fn pdf_text(bytes: &[u8]) -> String {
    let document = lopdf::Document::load_mem(bytes).expect("a PDF");
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    document.extract_text(&pages).expect("text")
}

pub async fn forms_describe_themselves_with_their_online_fees(app: &TestApp) {
    let forms = app.call(Method::GET, "/api/v1/forms", None, None).await;
    assert_eq!(forms.status, 200);
    let list = forms.body.as_array().unwrap();
    let types: Vec<&str> = list.iter().map(|f| f["form_type"].as_str().unwrap()).collect();
    assert_eq!(types, ["I-90", "I-130", "I-765", "N-400"]);
    assert_eq!(list[0]["online_fee_cents"], 41_500);
    let reason = list[0]["fields"].as_array().unwrap().iter().find(|f| f["name"] == "reason").unwrap();
    assert_eq!(reason["type"], "choice");
    assert!(reason["choices"].as_array().unwrap().iter().any(|c| c["value"] == "lost_stolen_destroyed"));
    let address = list[0]["fields"].as_array().unwrap().iter().find(|f| f["type"] == "address").unwrap();
    assert_eq!(address["required"], true);
}

pub async fn filing_an_i90_issues_a_receipt_number_a_status_and_a_receipt_notice(app: &TestApp) {
    let (holder, token, receipt) = filed_i90(app, "ana@example.org").await;
    let fiscal_year = ellis_core::receipt_number::fiscal_year(app.state.clock.now().date()) % 100;
    assert!(receipt.starts_with(&format!("IOE{fiscal_year:02}")) && receipt.len() == 13, "{receipt}");
    let email = app.email_to(&holder.email, "There is an update in your USCIS Online Account").await;
    assert!(!email.text.contains(&receipt) && !email.text.contains("I-90"), "no case details in email");

    let typed = format!("{}-{}", &receipt[..3].to_lowercase(), &receipt[3..]);
    let case = app.get(&format!("/api/v1/cases/{typed}"), &token).await;
    assert_eq!(case.status, 200, "{}", case.raw);
    assert_eq!(case.body["status_title"], "Case Was Received and A Receipt Notice Was Emailed");
    assert!(case.body["status_description"].as_str().unwrap().contains(&format!("Receipt Number {receipt}")));
    assert_eq!(case.body["history"].as_array().unwrap().len(), 1);
    assert_eq!(case.body["fields"]["a_number"], "A012345678");
    let notice = &case.body["notices"][0];
    assert_eq!((notice["form"].as_str(), notice["kind"].as_str()), (Some("I-797C"), Some("receipt")));

    let pdf = app.http.get(app.url(&format!("/api/v1/notices/{}/pdf", notice["id"].as_str().unwrap())));
    let pdf = pdf.bearer_auth(&token).send().await.unwrap();
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let text = pdf_text(&pdf.bytes().await.unwrap());
    let number = ellis_core::AccountNumber::parse(&holder.account_number).unwrap().display();
    for expected in
        [receipt.as_str(), "I-797C", "Receipt", &format!("USCIS Online Account Number: {number}"), "$415.00"]
    {
        assert!(text.contains(expected), "{expected:?} in {text}");
    }
    let list = app.get("/api/v1/cases", &token).await;
    assert_eq!(list.body.as_array().unwrap().len(), 1);
}

pub async fn each_form_can_be_filed_and_bad_fields_are_named(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let token = app.two_factor_session(&holder).await;
    let address = json!({"line1": "1 Main St", "city": "Austin", "state": "TX", "zip": "78701"});
    let i130 = json!({"relationship": "spouse", "family_name": "Díaz", "given_name": "Ana", "date_of_birth": "1990-04-01",
        "petitioner_status": "us_citizen", "beneficiary_family_name": "Ruiz", "beneficiary_given_name": "Luis",
        "beneficiary_date_of_birth": "1988-02-02", "beneficiary_country_of_birth": "Peru",
        "mailing_address": address, "signature": "Ana Díaz"});
    let i765 = json!({"family_name": "Díaz", "given_name": "Ana", "date_of_birth": "1990-04-01", "country_of_birth": "Mexico",
        "country_of_citizenship": "Mexico", "application_reason": "initial", "eligibility_category": "c08",
        "mailing_address": address, "signature": "Ana Díaz"});
    let n400 = json!({"family_name": "Díaz", "given_name": "Ana", "date_of_birth": "1990-04-01", "country_of_birth": "Mexico",
        "a_number": "12345678", "permanent_resident_since": "2018-05-01", "eligibility_basis": "five_years",
        "mailing_address": address, "signature": "Ana Díaz"});
    for (form, fields) in [("I-130", i130), ("I-765", i765), ("N-400", n400)] {
        let answer = app.post("/api/v1/cases", filing(form, fields), Some(&token)).await;
        assert_eq!(answer.status, 201, "{form}: {}", answer.raw);
    }
    let mut bad = i90_fields();
    bad["reason"] = json!("bored");
    bad["a_number"] = json!("123456789012");
    bad["mailing_address"]["zip"] = json!("7");
    bad["signature"] = json!("Somebody Else");
    let answer = app.post("/api/v1/cases", filing("I-90", bad), Some(&token)).await;
    assert_eq!((answer.status, answer.code()), (422, "invalid_fields"));
    for field in ["fields.reason", "fields.a_number", "fields.mailing_address.zip", "fields.signature"] {
        assert!(answer.fields().contains(&field.to_owned()), "{field} in {:?}", answer.fields());
    }
    let unknown = app.post("/api/v1/cases", filing("I-485", json!({})), Some(&token)).await;
    assert_eq!(unknown.fields(), ["form_type"]);
    assert_eq!(app.get("/api/v1/cases", &token).await.body.as_array().unwrap().len(), 3, "nothing half-filed");
}

pub async fn a_retry_with_the_same_idempotency_key_returns_the_same_case(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let token = app.two_factor_session(&holder).await;
    let send = |body: Value| {
        app.http
            .post(app.url("/api/v1/cases"))
            .bearer_auth(&token)
            .header("idempotency-key", "file-once-7c1")
            .json(&body)
            .send()
    };
    let answers = futures_join_all((0..5).map(|_| send(filing("I-90", i90_fields())))).await;
    let mut receipts = HashSet::new();
    for answer in answers {
        let answer = answer.unwrap();
        assert_eq!(answer.status(), 201);
        receipts.insert(answer.json::<Value>().await.unwrap()["receipt_number"].as_str().unwrap().to_owned());
    }
    assert_eq!(receipts.len(), 1, "one case however often it is sent");
    let mut other = i90_fields();
    other["reason"] = json!("mutilated");
    let conflict = send(filing("I-90", other)).await.unwrap();
    assert_eq!(conflict.status(), 409);
    assert_eq!(app.get("/api/v1/cases", &token).await.body.as_array().unwrap().len(), 1);
}

pub async fn parallel_filings_get_distinct_receipt_numbers(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let token = app.two_factor_session(&holder).await;
    let answers =
        futures_join_all((0..200).map(|_| app.post("/api/v1/cases", filing("I-90", i90_fields()), Some(&token)))).await;
    let receipts: HashSet<String> = answers
        .iter()
        .map(|a| {
            assert_eq!(a.status, 201, "{}", a.raw);
            a.body["receipt_number"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(receipts.len(), 200);
}

pub async fn another_applicants_case_and_notice_are_not_found(app: &TestApp) {
    let (_, ana, receipt) = filed_i90(app, "ana@example.org").await;
    let notice = app.get(&format!("/api/v1/cases/{receipt}"), &ana).await.body["notices"][0]["id"].clone();
    let ben = app.holder("ben@example.org").await;
    let ben = app.two_factor_session(&ben).await;
    let case = app.get(&format!("/api/v1/cases/{receipt}"), &ben).await;
    assert_eq!((case.status, case.code()), (404, "not_found"));
    let pdf = app.get(&format!("/api/v1/notices/{}/pdf", notice.as_str().unwrap()), &ben).await;
    assert_eq!(pdf.status, 404);
    let malformed = app.get("/api/v1/cases/IOE12", &ben).await;
    assert_eq!((malformed.status, malformed.fields()), (422, vec!["receipt_number".to_owned()]));
}

pub async fn the_public_status_shows_title_and_description_in_english_or_spanish(app: &TestApp) {
    let (_, _, receipt) = filed_i90(app, "ana@example.org").await;
    let spaced = format!("{} {} {}", &receipt[..3].to_lowercase(), &receipt[3..8], &receipt[8..]);
    let english =
        app.call(Method::GET, &format!("/api/v1/case-status/{}", spaced.replace(' ', "%20")), None, None).await;
    assert_eq!(english.status, 200, "{}", english.raw);
    assert_eq!(english.body["status_title"], "Case Was Received and A Receipt Notice Was Emailed");
    assert!(english.body["status_description"].as_str().unwrap().contains(&receipt));
    assert!(english.body.get("fields").is_none(), "title and description only");
    let spanish = app.call(Method::GET, &format!("/api/v1/case-status/{receipt}?lang=es"), None, None).await;
    assert!(spanish.body["status_description"].as_str().unwrap().starts_with("El "), "{}", spanish.raw);
    let unknown = app.call(Method::GET, "/api/v1/case-status/EAC9999103403", None, None).await;
    assert_eq!(unknown.status, 404);
    let malformed = app.call(Method::GET, "/api/v1/case-status/123456789012", None, None).await;
    assert_eq!((malformed.status, malformed.fields()), (422, vec!["receipt_number".to_owned()]));
}

pub async fn anyone_can_check_a_notices_verification_code(app: &TestApp) {
    let (_, token, receipt) = filed_i90(app, "ana@example.org").await;
    let case = app.get(&format!("/api/v1/cases/{receipt}"), &token).await;
    let code = case.body["notices"][0]["verification_code"].as_str().unwrap().to_owned();
    let typed = code.to_lowercase().replace('-', "");
    let verified = app.call(Method::GET, &format!("/api/v1/notices/verify/{typed}"), None, None).await;
    assert_eq!(verified.status, 200, "{}", verified.raw);
    assert_eq!(verified.body["receipt_number"], receipt.as_str());
    assert_eq!((verified.body["form"].as_str(), verified.body["kind"].as_str()), (Some("I-797C"), Some("receipt")));
    let forged = app.call(Method::GET, "/api/v1/notices/verify/AAAA-BBBB-CCCC", None, None).await;
    assert_eq!(forged.status, 404);
}

pub async fn a_draft_is_kept_until_the_form_is_filed(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let token = app.two_factor_session(&holder).await;
    let partial = json!({"fields": {"family_name": "Díaz", "reason": "mutilated"}});
    let saved = app.call(Method::PUT, "/api/v1/drafts/i-90", Some(partial), Some(&token)).await;
    assert_eq!(saved.status, 204, "{}", saved.raw);
    let draft = app.get("/api/v1/drafts/I-90", &token).await;
    assert_eq!(draft.body["fields"]["reason"], "mutilated");
    let wrong =
        app.call(Method::PUT, "/api/v1/drafts/I-90", Some(json!({"fields": {"reason": "x"}})), Some(&token)).await;
    assert_eq!(wrong.fields(), ["fields.reason"]);
    app.post("/api/v1/cases", filing("I-90", i90_fields()), Some(&token)).await;
    assert_eq!(app.get("/api/v1/drafts/I-90", &token).await.body["fields"], json!({}));
}
