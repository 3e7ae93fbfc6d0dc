//! Security setup and the USCIS Online Account Number.

use ellis_core::AccountNumber;
use reqwest::Method;
use serde_json::json;

use crate::sign_in::futures_join_all;
use crate::support::TestApp;

pub async fn security_setup_assigns_a_valid_account_number_and_raises_the_session(app: &TestApp) {
    app.register_verified("ana@example.org").await;
    let signed_in = app.sign_in("ana@example.org", crate::support::api::PASSWORD).await;
    assert_eq!(signed_in.body["next"], "security_setup");
    assert_eq!(signed_in.body["assurance"], "password");
    let token = signed_in.body["token"].as_str().unwrap().to_owned();

    let me = app.get("/api/v1/me", &token).await;
    assert_eq!(me.status, 200, "the profile is readable during setup");
    assert_eq!(me.body["account_number"], json!(null));
    assert_eq!(me.body["security"]["setup_complete"], false);
    let patch = app.call(Method::PATCH, "/api/v1/me", Some(json!({"phone": "2025550143"})), Some(&token)).await;
    assert_eq!((patch.status, patch.code()), (403, "setup_required"));

    let answer =
        app.call(Method::PUT, "/api/v1/me/security-questions", Some(TestApp::three_answers()), Some(&token)).await;
    assert_eq!(answer.status, 204);
    assert_eq!(app.get("/api/v1/me", &token).await.body["account_number"], json!(null), "not before the second factor");

    let (_, confirmed) = app.enrol_totp(&token).await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.raw);
    assert_eq!(confirmed.body["backup_codes"].as_array().unwrap().len(), 10);
    let number = confirmed.body["account_number"].as_str().unwrap();
    let parsed = AccountNumber::parse(number).expect("12 digits with a valid check digit");
    assert_eq!(parsed.digits(), number);

    let me = app.get("/api/v1/me", &token).await;
    assert_eq!(me.body["account_number"], number);
    assert_eq!(me.body["account_number_display"], parsed.display());
    assert_eq!(
        me.body["security"],
        json!({"questions_set": true, "totp": true, "backup_codes_left": 10, "setup_complete": true})
    );
    let patch = app.call(Method::PATCH, "/api/v1/me", Some(json!({"phone": "2025550143"})), Some(&token)).await;
    assert_eq!(patch.status, 200, "confirming the authenticator raised the session: {}", patch.raw);
}

pub async fn security_questions_need_three_distinct_known_questions(app: &TestApp) {
    app.register_verified("ana@example.org").await;
    let token = app.password_session("ana@example.org").await;
    let put = |body| app.call(Method::PUT, "/api/v1/me/security-questions", Some(body), Some(&token));
    let two =
        put(json!({"answers": [{"question_id": 1, "answer": "Fido"}, {"question_id": 2, "answer": "Austin"}]})).await;
    assert_eq!((two.status, two.fields()), (422, vec!["answers".to_owned()]));
    let repeated = put(json!({"answers": [{"question_id": 1, "answer": "Fido"}, {"question_id": 1, "answer": "Rex"},
                                          {"question_id": 3, "answer": "Lupe"}]}))
    .await;
    assert_eq!(repeated.fields(), ["answers[1].question_id"]);
    let bad = put(json!({"answers": [{"question_id": 99, "answer": "Fido"}, {"question_id": 2, "answer": "a"},
                                     {"question_id": 3, "answer": "Lupe"}]}))
    .await;
    assert_eq!(bad.fields(), ["answers[0].question_id", "answers[1].answer"]);
    assert_eq!(app.get("/api/v1/me", &token).await.body["security"]["questions_set"], false, "nothing saved");
}

pub async fn a_wrong_code_does_not_confirm_the_authenticator(app: &TestApp) {
    app.register_verified("ana@example.org").await;
    let token = app.password_session("ana@example.org").await;
    let no_enrolment = app.post("/api/v1/me/totp/confirm", json!({"code": "123456"}), Some(&token)).await;
    assert_eq!(no_enrolment.status, 409);
    let started = app.post("/api/v1/me/totp", json!({}), Some(&token)).await;
    assert!(started.body["otpauth_uri"].as_str().unwrap().starts_with("otpauth://totp/"));
    let secret = ellis_core::totp::TotpSecret::from_base32(started.body["secret"].as_str().unwrap()).unwrap();
    let stale = secret.code_at(app.now_unix() - 300);
    let answer = app.post("/api/v1/me/totp/confirm", json!({"code": stale}), Some(&token)).await;
    assert_eq!((answer.status, answer.code()), (401, "invalid_code"));
    assert_eq!(app.get("/api/v1/me", &token).await.body["security"]["totp"], false);
}

pub async fn concurrent_setups_get_distinct_account_numbers(app: &TestApp) {
    let emails: Vec<String> = (0..8).map(|i| format!("person{i}@example.org")).collect();
    // Everyone completes setup at the same moment (the clock does not move here, so every code is current).
    let finish_setup = |email: &str| {
        let email = email.to_owned();
        async move {
            app.register_verified(&email).await;
            let token = app.password_session(&email).await;
            let questions = app
                .call(Method::PUT, "/api/v1/me/security-questions", Some(TestApp::three_answers()), Some(&token))
                .await;
            assert_eq!(questions.status, 204);
            let (_, confirmed) = app.enrol_totp(&token).await;
            assert_eq!(confirmed.status, 200, "{}", confirmed.raw);
            confirmed.body["account_number"].as_str().expect("number").to_owned()
        }
    };
    let assigned = futures_join_all(emails.iter().map(|email| finish_setup(email))).await;
    let mut numbers: Vec<&str> = assigned.iter().map(String::as_str).collect();
    assert!(numbers.iter().all(|n| AccountNumber::parse(n).is_ok()));
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), 8);
}

pub async fn new_backup_codes_void_the_old_ones(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let fresh = app.post("/api/v1/me/backup-codes", json!({}), Some(&holder.token)).await;
    assert_eq!(fresh.status, 200);
    let new_code = fresh.body["backup_codes"][0].as_str().unwrap().to_owned();
    let token = app.password_session(&holder.email).await;
    assert_eq!(app.step_up(&token, "backup_code", holder.backup_codes[0].as_str()).await.code(), "invalid_code");
    assert_eq!(app.step_up(&token, "backup_code", &new_code).await.status, 200);
}
