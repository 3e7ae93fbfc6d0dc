//! Agency staff identities: created with a one-time setup link, a mandatory authenticator, their own
//! sessions (an applicant's token is not a staff token), and roles (API.md "Agency staff").

use ellis::services::staff::identity;
use ellis_core::totp::TotpSecret;
use reqwest::Method;
use serde_json::json;
use time::Duration;

use crate::support::TestApp;

pub const STAFF_PASSWORD: &str = "orchid lantern gravel sextant";

/// A staff member who finished setup, with their authenticator.
pub struct Staff {
    pub email: String,
    pub totp: TotpSecret,
}

pub async fn staff_member(app: &TestApp, email: &str, role: &str) -> Staff {
    let (_, link) = identity::create(&app.state, email, "Pat Officer", role).await.expect("created");
    let token = link.split("token=").nth(1).unwrap().to_owned();
    let setup = app.post("/api/v1/staff/setup", json!({"token": token, "password": STAFF_PASSWORD}), None).await;
    assert_eq!(setup.status, 200, "{}", setup.raw);
    let totp = TotpSecret::from_base32(setup.body["totp_secret"].as_str().unwrap()).unwrap();
    let confirm = json!({"token": token, "code": totp.code_at(app.now_unix())});
    assert_eq!(app.post("/api/v1/staff/setup/confirm", confirm, None).await.status, 200);
    app.advance(Duration::seconds(30));
    Staff { email: email.to_owned(), totp }
}

/// A staff session past the second factor.
pub async fn staff_session(app: &TestApp, staff: &Staff) -> String {
    let signed_in =
        app.post("/api/v1/staff/sessions", json!({"email": staff.email, "password": STAFF_PASSWORD}), None).await;
    assert_eq!((signed_in.status, signed_in.body["next"].as_str()), (201, Some("second_factor")), "{}", signed_in.raw);
    let token = signed_in.body["token"].as_str().unwrap().to_owned();
    let code = json!({"code": staff.totp.code_at(app.now_unix())});
    let stepped = app.post("/api/v1/staff/sessions/current/second-factor", code, Some(&token)).await;
    assert_eq!(stepped.status, 200, "{}", stepped.raw);
    app.advance(Duration::seconds(30));
    token
}

pub async fn a_staff_member_sets_up_with_the_link_and_signs_in_with_the_authenticator(app: &TestApp) {
    let staff = staff_member(app, "pat@uscis.example", "officer").await;
    let token = staff_session(app, &staff).await;
    let catalogue = app.get("/api/v1/staff/status-catalogue", &token).await;
    assert_eq!(catalogue.status, 200, "{}", catalogue.raw);
    let titles = catalogue.body.as_array().unwrap();
    assert!(titles.len() >= 40);
    let rfe = titles.iter().find(|t| t["title"] == "Request for Initial Evidence Was Sent").unwrap();
    assert_eq!((rfe["stage"].as_str(), rfe["notice_form"].as_str()), (Some("evidence"), Some("I-797E")));
    let out = app.call(Method::DELETE, "/api/v1/staff/sessions/current", None, Some(&token)).await;
    assert_eq!(out.status, 204);
    assert_eq!(app.get("/api/v1/staff/status-catalogue", &token).await.code(), "unauthenticated");
}

pub async fn a_setup_link_works_once_and_needs_a_strong_password(app: &TestApp) {
    let (_, link) = identity::create(&app.state, "sam@uscis.example", "Sam Support", "support").await.unwrap();
    let token = link.split("token=").nth(1).unwrap().to_owned();
    let weak = app.post("/api/v1/staff/setup", json!({"token": token, "password": "password1234"}), None).await;
    assert_eq!((weak.status, weak.fields()), (422, vec!["password".to_owned()]));
    let setup = app.post("/api/v1/staff/setup", json!({"token": token, "password": STAFF_PASSWORD}), None).await;
    let totp = TotpSecret::from_base32(setup.body["totp_secret"].as_str().unwrap()).unwrap();
    let wrong = app.post("/api/v1/staff/setup/confirm", json!({"token": token, "code": "000000"}), None).await;
    assert_eq!(wrong.code(), "invalid_code");
    // Without a confirmed authenticator there is no signing in.
    let early = app
        .post("/api/v1/staff/sessions", json!({"email": "sam@uscis.example", "password": STAFF_PASSWORD}), None)
        .await;
    assert_eq!((early.status, early.code()), (403, "setup_required"));
    let confirm = json!({"token": token, "code": totp.code_at(app.now_unix())});
    assert_eq!(app.post("/api/v1/staff/setup/confirm", confirm.clone(), None).await.status, 200);
    let again = app.post("/api/v1/staff/setup", json!({"token": token, "password": STAFF_PASSWORD}), None).await;
    assert_eq!((again.status, again.code()), (400, "invalid_token"));
    let duplicate = identity::create(&app.state, "sam@uscis.example", "Sam Again", "admin").await;
    assert!(duplicate.is_err(), "one staff identity per email");
    let bad_role = identity::create(&app.state, "root@uscis.example", "Root", "superuser").await;
    assert!(bad_role.is_err());
}

pub async fn applicant_tokens_and_password_only_staff_sessions_are_refused_on_staff_routes(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let applicant = app.two_factor_session(&holder).await;
    let answer = app.get("/api/v1/staff/status-catalogue", &applicant).await;
    assert_eq!((answer.status, answer.code()), (401, "unauthenticated"));
    let staff = staff_member(app, "pat@uscis.example", "officer").await;
    let signed_in =
        app.post("/api/v1/staff/sessions", json!({"email": staff.email, "password": STAFF_PASSWORD}), None).await;
    let password_only = signed_in.body["token"].as_str().unwrap();
    let answer = app.get("/api/v1/staff/status-catalogue", password_only).await;
    assert_eq!((answer.status, answer.code()), (403, "second_factor_required"));
    // And a staff token is not an applicant's.
    let staff_token = staff_session(app, &staff).await;
    assert_eq!(app.get("/api/v1/me", &staff_token).await.code(), "unauthenticated");
    let wrong =
        app.post("/api/v1/staff/sessions", json!({"email": staff.email, "password": "not it at all"}), None).await;
    let unknown = app
        .post("/api/v1/staff/sessions", json!({"email": "nobody@uscis.example", "password": "not it at all"}), None)
        .await;
    assert_eq!((wrong.status, &wrong.raw), (unknown.status, &unknown.raw));
}

pub async fn staff_sessions_end_after_fifteen_idle_minutes(app: &TestApp) {
    let staff = staff_member(app, "pat@uscis.example", "admin").await;
    let token = staff_session(app, &staff).await;
    app.advance(Duration::minutes(14));
    assert_eq!(app.get("/api/v1/staff/status-catalogue", &token).await.status, 200);
    app.advance(Duration::minutes(15));
    assert_eq!(app.get("/api/v1/staff/status-catalogue", &token).await.code(), "unauthenticated");
}

async fn filed_case(app: &TestApp) -> (crate::support::api::Holder, String, String) {
    let holder = app.holder("ana@example.org").await;
    let token = app.two_factor_session(&holder).await;
    let body = json!({"form_type": "I-90", "fields": crate::cases::i90_fields()});
    let receipt =
        app.post("/api/v1/cases", body, Some(&token)).await.body["receipt_number"].as_str().unwrap().to_owned();
    app.emails_to(&holder.email).await;
    (holder, token, receipt)
}

pub async fn an_officer_requests_evidence_and_the_applicant_is_told(app: &TestApp) {
    let (holder, applicant, receipt) = filed_case(app).await;
    let officer = staff_member(app, "pat@uscis.example", "officer").await;
    let officer = staff_session(app, &officer).await;
    let queue = app.get("/api/v1/staff/cases?form_type=I-90", &officer).await;
    assert_eq!(queue.body[0]["receipt_number"], receipt.as_str(), "{}", queue.raw);
    let case = app.get(&format!("/api/v1/staff/cases/{receipt}"), &officer).await;
    let allowed: Vec<&str> =
        case.body["allowed_next"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()).collect();
    assert!(allowed.contains(&"Request for Initial Evidence Was Sent"));
    assert_eq!(case.body["fields"]["a_number"], "A012345678", "the applicant's filing");

    let not_allowed = json!({"status_title": "Card Was Mailed To Me"});
    let refused = app.post(&format!("/api/v1/staff/cases/{receipt}/actions"), not_allowed, Some(&officer)).await;
    assert_eq!((refused.status, refused.fields()), (422, vec!["status_title".to_owned()]));
    let no_date = json!({"status_title": "Request for Initial Evidence Was Sent"});
    let refused = app.post(&format!("/api/v1/staff/cases/{receipt}/actions"), no_date, Some(&officer)).await;
    assert_eq!(refused.fields(), ["due_date"]);
    let rfe = json!({"status_title": "Request for Initial Evidence Was Sent", "due_date": "2027-03-01",
                     "note": "Send a copy of your birth certificate."});
    let acted = app.post(&format!("/api/v1/staff/cases/{receipt}/actions"), rfe, Some(&officer)).await;
    assert_eq!(acted.status, 200, "{}", acted.raw);
    assert_eq!(acted.body["status_title"], "Request for Initial Evidence Was Sent");
    assert!(acted.body["notices"].as_array().unwrap().iter().any(|n| n["form"] == "I-797E"));

    assert!(!app.email_to(&holder.email, "There is an update").await.text.contains(&receipt));
    let mine = app.get("/api/v1/cases", &applicant).await;
    assert_eq!(
        (mine.body[0]["status_title"].as_str(), mine.body[0]["unread"].as_bool()),
        (Some("Request for Initial Evidence Was Sent"), Some(true))
    );
    let case_id = app
        .state
        .store
        .case_by_receipt(&ellis_core::ReceiptNumber::parse(&receipt).unwrap())
        .await
        .unwrap()
        .unwrap()
        .id;
    let audit: Vec<String> =
        app.state.store.case_audit(case_id).await.unwrap().into_iter().map(|(_, _, a)| a).collect();
    assert!(audit.contains(&"case.read".to_owned()) && audit.contains(&"case.status".to_owned()), "{audit:?}");
}

pub async fn only_officers_act_and_support_may_only_read(app: &TestApp) {
    let (_, applicant, receipt) = filed_case(app).await;
    let support = staff_member(app, "sam@uscis.example", "support").await;
    let support = staff_session(app, &support).await;
    assert_eq!(app.get(&format!("/api/v1/staff/cases/{receipt}"), &support).await.status, 200);
    let action = json!({"status_title": "Case Is Being Actively Reviewed By USCIS"});
    let refused = app.post(&format!("/api/v1/staff/cases/{receipt}/actions"), action.clone(), Some(&support)).await;
    assert_eq!((refused.status, refused.code()), (403, "forbidden"));
    assert_eq!(app.get("/api/v1/staff/cases", &support).await.code(), "forbidden");
    let as_applicant = app.post(&format!("/api/v1/staff/cases/{receipt}/actions"), action, Some(&applicant)).await;
    assert_eq!((as_applicant.status, as_applicant.code()), (401, "unauthenticated"));
}

pub async fn an_officer_receives_a_paper_filing_with_or_without_an_account(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let officer = staff_member(app, "pat@uscis.example", "officer").await;
    let officer = staff_session(app, &officer).await;
    let applicant = json!({"given_name": "Luis", "family_name": "Ruiz",
        "mailing_address": {"line1": "5 Oak Ave", "city": "Lincoln", "state": "NE", "zip": "68508"}});
    let unlinked = json!({"form_type": "I-765", "prefix": "LIN", "applicant": applicant});
    let answer = app.post("/api/v1/staff/paper-cases", unlinked, Some(&officer)).await;
    assert_eq!(answer.status, 201, "{}", answer.raw);
    assert!(answer.body["receipt_number"].as_str().unwrap().starts_with("LIN"));
    let code = answer.body["access_code"].as_str().expect("an access code").to_owned();
    assert_eq!(answer.body["notices"].as_array().unwrap().len(), 2);

    // The copy to mail prints the code; only the right code prints it.
    let access_notice = answer.body["notices"][1]["id"].as_str().unwrap().to_owned();
    let url = format!("{}/api/v1/staff/notices/{access_notice}/mail-copy", app.base);
    let printed = app.http.post(&url).bearer_auth(&officer).json(&json!({"access_code": code})).send().await.unwrap();
    assert_eq!(printed.headers()["content-type"], "application/pdf");
    let text = crate::cases::pdf_text(&printed.bytes().await.unwrap());
    assert!(text.contains(&code), "{text}");
    let mut other = code.clone().into_bytes();
    other[0] = if other[0] == b'A' { b'B' } else { b'A' };
    let wrong = json!({"access_code": String::from_utf8(other).unwrap()});
    let wrong = app.post(&format!("/api/v1/staff/notices/{access_notice}/mail-copy"), wrong, Some(&officer)).await;
    assert_eq!((wrong.status, wrong.fields()), (422, vec!["access_code".to_owned()]), "{}", wrong.raw);
    let linked = json!({"form_type": "I-90", "prefix": "NBC", "layout": "lockbox", "applicant": applicant,
        "account_number": holder.account_number});
    let answer = app.post("/api/v1/staff/paper-cases", linked, Some(&officer)).await;
    assert_eq!((answer.status, answer.body["access_code"].is_null()), (201, true), "{}", answer.raw);
    let support = staff_member(app, "sam@uscis.example", "support").await;
    let support = staff_session(app, &support).await;
    let refused =
        app.post("/api/v1/staff/paper-cases", json!({"form_type": "I-90", "prefix": "LIN"}), Some(&support)).await;
    assert_eq!(refused.code(), "forbidden");
}

pub async fn the_support_desk_finds_reads_and_unlocks_an_account_and_the_holder_sees_it(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let token = app.two_factor_session(&holder).await;
    app.call(Method::PATCH, "/api/v1/me", Some(json!({"a_number": "A012345678"})), Some(&token)).await;
    let filed = json!({"form_type": "I-90", "fields": crate::cases::i90_fields()});
    let receipt =
        app.post("/api/v1/cases", filed, Some(&token)).await.body["receipt_number"].as_str().unwrap().to_owned();
    for _ in 0..5 {
        app.sign_in(&holder.email, "definitely the wrong password").await;
    }
    assert_eq!(app.sign_in(&holder.email, &holder.password).await.code(), "account_locked");

    let desk = staff_member(app, "sam@uscis.example", "support").await;
    let desk = staff_session(app, &desk).await;
    let number = ellis_core::AccountNumber::parse(&holder.account_number).unwrap();
    let mut mistyped = holder.account_number.clone();
    let last = mistyped.pop().unwrap().to_digit(10).unwrap();
    mistyped.push(char::from_digit((last + 1) % 10, 10).unwrap());
    let typo = app.get(&format!("/api/v1/staff/accounts?q={mistyped}"), &desk).await;
    assert_eq!((typo.status, typo.fields()), (422, vec!["q".to_owned()]));
    assert!(typo.raw.contains("check digit"), "{}", typo.raw);
    for query in [number.display(), holder.email.clone(), "A012345678".into(), receipt.to_lowercase()] {
        let found = app.get(&format!("/api/v1/staff/accounts?q={}", query.replace(' ', "%20")), &desk).await;
        assert_eq!(found.body[0]["account_number"], holder.account_number.as_str(), "{query}: {}", found.raw);
    }
    let account = app.get(&format!("/api/v1/staff/accounts/{}", number.display()), &desk).await;
    assert_eq!(
        (account.body["locked"].as_bool(), account.body["cases"][0]["receipt_number"].as_str()),
        (Some(true), Some(receipt.as_str()))
    );

    let no_reason =
        app.post(&format!("/api/v1/staff/accounts/{}/unlock", holder.account_number), json!({}), Some(&desk)).await;
    assert_eq!(no_reason.fields(), ["reason"]);
    let unlocked = app
        .post(
            &format!("/api/v1/staff/accounts/{}/unlock", holder.account_number),
            json!({"reason": "Caller verified by security answers"}),
            Some(&desk),
        )
        .await;
    assert_eq!(unlocked.status, 200, "{}", unlocked.raw);
    let session = app.sign_in(&holder.email, &holder.password).await;
    assert_eq!(session.status, 201);
    let token = app.two_factor_session(&holder).await;
    let history = app.get("/api/v1/me/events", &token).await;
    assert!(history.raw.contains("A support agent unlocked your account"), "{}", history.raw);

    let officer = staff_member(app, "pat@uscis.example", "officer").await;
    let officer = staff_session(app, &officer).await;
    assert_eq!(app.get(&format!("/api/v1/staff/accounts?q={}", holder.email), &officer).await.code(), "forbidden");
}

pub async fn the_support_desk_can_mark_an_account_compromised(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let token = app.two_factor_session(&holder).await;
    let desk = staff_member(app, "sam@uscis.example", "support").await;
    let desk = staff_session(app, &desk).await;
    let marked = app
        .post(
            &format!("/api/v1/staff/accounts/{}/compromise", holder.account_number),
            json!({"reason": "Holder called: someone changed their phone"}),
            Some(&desk),
        )
        .await;
    assert_eq!(marked.status, 200, "{}", marked.raw);
    assert_eq!(app.get("/api/v1/me", &token).await.code(), "unauthenticated");
    assert_eq!(app.sign_in(&holder.email, &holder.password).await.code(), "recovery_required");
}
