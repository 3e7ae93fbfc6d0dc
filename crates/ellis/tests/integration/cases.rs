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
        let notice = answer.body["notices"][0]["id"].as_str().unwrap().to_owned();
        let pdf = app.http.get(app.url(&format!("/api/v1/notices/{notice}/pdf"))).bearer_auth(&token);
        let text = pdf_text(&pdf.send().await.unwrap().bytes().await.unwrap());
        let today = ellis_core::status::english_date(app.state.clock.now().date());
        // Received and notice dates always; a petition (I-130) also has its priority date.
        let expected = if form == "I-130" { 3 } else { 2 };
        assert_eq!(text.matches(&today).count(), expected, "{form}: {text}");
        if form == "I-130" {
            assert!(text.contains("Luis Ruiz"), "the beneficiary is named");
        }
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

/// A cookie-keeping client signed in through the pages with the second factor, and its CSRF token.
pub async fn signed_in_browser(app: &TestApp, holder: &Holder) -> (reqwest::Client, String) {
    let client =
        reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let page = client.get(app.url("/sign-in")).send().await.unwrap().text().await.unwrap();
    let csrf = page.split("name=\"csrf\" value=\"").nth(1).and_then(|rest| rest.split('"').next()).unwrap().to_owned();
    let form = [("csrf", csrf.as_str()), ("email", holder.email.as_str()), ("password", holder.password.as_str())];
    client.post(app.url("/sign-in")).form(&form).send().await.unwrap();
    let code = holder.totp.code_at(app.now_unix());
    let form = [("csrf", csrf.as_str()), ("method", "totp"), ("code", code.as_str())];
    let stepped = client.post(app.url("/sign-in/second-factor")).form(&form).send().await.unwrap();
    assert_eq!(stepped.status(), 303);
    (client, csrf)
}

pub async fn the_form_page_saves_a_draft_names_bad_fields_and_files(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let (client, csrf) = signed_in_browser(app, &holder).await;
    let page = client.get(app.url("/cases/new/I-90")).send().await.unwrap().text().await.unwrap();
    for id in ["fields.family_name", "fields.reason", "fields.mailing_address.zip", "fields.signature"] {
        assert!(page.contains(&format!("for=\"{id}\"")), "a label for {id}");
    }
    let mut form = vec![
        ("csrf", csrf.clone()),
        ("family_name", "Díaz".into()),
        ("given_name", "Ana María".into()),
        ("date_of_birth", "1990-04-01".into()),
        ("country_of_birth", "Mexico".into()),
        ("a_number", "A012345678".into()),
        ("sex", "female".into()),
        ("reason", "".into()),
        ("mailing_address.line1", "1 Main St".into()),
        ("mailing_address.line2", "".into()),
        ("mailing_address.city", "Austin".into()),
        ("mailing_address.state", "TX".into()),
        ("mailing_address.zip", "787".into()),
        ("signature", "Ana María Díaz".into()),
    ];
    let mut with_action = form.clone();
    with_action.push(("action", "file".into()));
    let refused = client.post(app.url("/cases/new/I-90")).form(&with_action).send().await.unwrap();
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    for id in ["fields.reason", "fields.mailing_address.zip"] {
        assert!(html.contains(&format!("href=\"#{id}\"")), "the summary links to {id}");
    }
    assert!(html.contains("value=\"Ana María\""), "what was typed is kept");

    form.iter_mut().for_each(|(name, value)| match *name {
        "reason" => *value = "lost_stolen_destroyed".into(),
        "mailing_address.zip" => *value = "78701".into(),
        _ => {}
    });
    let mut save = form.clone();
    save.push(("action", "save".into()));
    let saved = client.post(app.url("/cases/new/I-90")).form(&save).send().await.unwrap();
    assert!(saved.text().await.unwrap().contains("Your draft was saved"));
    let resumed = client.get(app.url("/cases/new/I-90")).send().await.unwrap().text().await.unwrap();
    assert!(resumed.contains("value=\"78701\""), "the draft comes back");

    let mut file = form.clone();
    file.push(("action", "file".into()));
    let filed = client.post(app.url("/cases/new/I-90")).form(&file).send().await.unwrap();
    assert_eq!(filed.status(), 303);
    let location = filed.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/cases/IOE") && location.ends_with("?filed=1"), "{location}");
    let case = client.get(app.url(&location)).send().await.unwrap().text().await.unwrap();
    assert!(case.contains("Case Was Received and A Receipt Notice Was Emailed"));
    let list = client.get(app.url("/cases")).send().await.unwrap().text().await.unwrap();
    assert!(list.contains(&location[7..20]), "the case is listed");
}

pub async fn the_public_status_page_reads_like_uscis(app: &TestApp) {
    let (_, _, receipt) = filed_i90(app, "ana@example.org").await;
    let page = app.http.get(app.url("/case-status")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("id=\"receipt_number\"") && page.contains(">Check Status</button>"));
    let typed = format!("{}-{}", &receipt[..3].to_lowercase(), &receipt[3..]);
    let answer = app.http.get(app.url(&format!("/case-status?receipt_number={typed}"))).send().await.unwrap();
    assert_eq!(answer.status(), 200);
    let html = answer.text().await.unwrap();
    assert!(html.contains("<h1>Case Was Received and A Receipt Notice Was Emailed</h1>"), "{html}");
    assert!(html.contains(&format!("Receipt Number {receipt}")));
    let spanish =
        app.http.get(app.url(&format!("/case-status?receipt_number={receipt}&lang=es"))).send().await.unwrap();
    assert!(spanish.text().await.unwrap().contains("Número de Recibo"));
    let wrong = app.http.get(app.url("/case-status?receipt_number=IOE12")).send().await.unwrap();
    assert_eq!(wrong.status(), 422);
}
