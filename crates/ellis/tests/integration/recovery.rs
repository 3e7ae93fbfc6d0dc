//! Forgot password, lost every second factor, forgot username (DESIGN.md §4, issue "Recovery").

use reqwest::Method;
use serde_json::json;
use time::Duration;

use crate::support::TestApp;
use crate::support::api::PASSWORD;

const NEW_PASSWORD: &str = "a brand new passphrase for ellis";

fn answers(token: &str, third: &str) -> serde_json::Value {
    json!({"token": token, "answers": [
        {"question_id": 1, "answer": "fido"},
        {"question_id": 2, "answer": "  SAN antonio "},
        {"question_id": 5, "answer": third},
    ]})
}

pub async fn forgot_password_answers_alike_for_known_and_unknown_emails(app: &TestApp) {
    app.holder("ana@example.org").await;
    let known = app.post("/api/v1/password-resets", json!({"email": "ana@example.org"}), None).await;
    let unknown = app.post("/api/v1/password-resets", json!({"email": "nobody@example.org"}), None).await;
    let garbled = app.post("/api/v1/password-resets", json!({"email": "not an address"}), None).await;
    assert_eq!((known.status, &known.raw), (202, &unknown.raw));
    assert_eq!((garbled.status, &garbled.raw), (202, &unknown.raw));
    assert_eq!(app.emails_to("nobody@example.org").await.len(), 0);
    assert!(app.email_to("ana@example.org", "Reset your password").await.link().contains("/reset-password?token="));
}

pub async fn a_reset_with_the_authenticator_sets_the_password_and_ends_every_session(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let other_session = app.two_factor_session(&holder).await;
    let token = app.reset_token(&holder.email).await;
    let code = holder.totp.code_at(app.now_unix());
    let answer = app.confirm_reset(&token, NEW_PASSWORD, Some(("totp", &code))).await;
    assert_eq!(answer.status, 200, "{}", answer.raw);
    for session in [&holder.token, &other_session] {
        assert_eq!(app.get("/api/v1/me", session).await.code(), "unauthenticated");
    }
    assert_eq!(app.sign_in(&holder.email, PASSWORD).await.code(), "invalid_credentials");
    assert_eq!(app.sign_in(&holder.email, NEW_PASSWORD).await.status, 201);
    let alert = app.email_to(&holder.email, "Your password was changed").await;
    assert!(alert.link().contains("/report-compromise?token="), "alerts carry a 'this wasn't me' link");
    // The link is spent.
    app.advance(Duration::seconds(30));
    let again = app.confirm_reset(&token, NEW_PASSWORD, Some(("totp", &holder.totp.code_at(app.now_unix())))).await;
    assert_eq!((again.status, again.code()), (400, "invalid_token"));
}

pub async fn a_reset_works_with_a_backup_code_or_an_emailed_code(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let token = app.reset_token(&holder.email).await;
    let answer = app.confirm_reset(&token, NEW_PASSWORD, Some(("backup_code", &holder.backup_codes[0]))).await;
    assert_eq!(answer.status, 200, "{}", answer.raw);

    let token = app.reset_token(&holder.email).await;
    let sent = app.post("/api/v1/password-resets/email-code", json!({"token": token}), None).await;
    assert_eq!(sent.status, 202, "{}", sent.raw);
    let code = app.email_to(&holder.email, "Your password reset code").await.code();
    let answer = app.confirm_reset(&token, PASSWORD, Some(("email_code", &code))).await;
    assert_eq!(answer.status, 200, "{}", answer.raw);
    assert_eq!(app.sign_in(&holder.email, PASSWORD).await.status, 201);
}

pub async fn a_reset_needs_a_second_factor_and_wrong_codes_use_up_the_link(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let token = app.reset_token(&holder.email).await;
    let none = app.confirm_reset(&token, NEW_PASSWORD, None).await;
    assert_eq!((none.status, none.code()), (403, "second_factor_required"));
    for _ in 0..5 {
        let wrong = app.confirm_reset(&token, NEW_PASSWORD, Some(("totp", "000000"))).await;
        assert_eq!((wrong.status, wrong.code()), (401, "invalid_code"));
    }
    let right = app.confirm_reset(&token, NEW_PASSWORD, Some(("totp", &holder.totp.code_at(app.now_unix())))).await;
    assert_eq!((right.status, right.code()), (400, "invalid_token"), "five wrong codes kill the link");
    assert_eq!(app.sign_in(&holder.email, PASSWORD).await.status, 201, "nothing changed");
}

pub async fn a_reset_link_expires_after_thirty_minutes_and_foreign_tokens_are_refused(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let token = app.reset_token(&holder.email).await;
    app.advance(Duration::minutes(30));
    let late = app.confirm_reset(&token, NEW_PASSWORD, Some(("totp", &holder.totp.code_at(app.now_unix())))).await;
    assert_eq!((late.status, late.code()), (400, "invalid_token"));
    // A verification token is not a reset token.
    app.post("/api/v1/accounts", TestApp::sign_up_body("ben@example.org"), None).await;
    let verification = app.email_to("ben@example.org", "Confirm your email").await.token();
    let foreign = app.confirm_reset(&verification, NEW_PASSWORD, None).await;
    assert_eq!((foreign.status, foreign.code()), (400, "invalid_token"));
}

pub async fn a_weak_new_password_changes_nothing(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let token = app.reset_token(&holder.email).await;
    let code = holder.totp.code_at(app.now_unix());
    let weak = app.confirm_reset(&token, "password1234", Some(("totp", &code))).await;
    assert_eq!((weak.status, weak.fields()), (422, vec!["new_password".to_owned()]));
    // The code was not spent and the link still works.
    let answer = app.confirm_reset(&token, NEW_PASSWORD, Some(("totp", &code))).await;
    assert_eq!(answer.status, 200, "{}", answer.raw);
}

pub async fn a_completed_reset_unlocks_the_account(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    for _ in 0..5 {
        app.sign_in(&holder.email, "wrong password entirely").await;
    }
    assert_eq!(app.sign_in(&holder.email, PASSWORD).await.code(), "account_locked");
    assert!(app.email_to(&holder.email, "Your account was locked").await.link().contains("/report-compromise"));
    let token = app.reset_token(&holder.email).await;
    let answer = app.confirm_reset(&token, NEW_PASSWORD, Some(("totp", &holder.totp.code_at(app.now_unix())))).await;
    assert_eq!(answer.status, 200, "{}", answer.raw);
    assert_eq!(app.sign_in(&holder.email, NEW_PASSWORD).await.status, 201);
}

pub async fn lost_factors_recover_after_a_24_hour_wait_and_need_a_new_authenticator(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let token = app.reset_token(&holder.email).await;
    let questions = app.post("/api/v1/password-resets/questions", json!({"token": token}), None).await;
    let ids: Vec<i64> = questions.body.as_array().unwrap().iter().map(|q| q["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, vec![1, 2, 5]);
    let started = app.post("/api/v1/password-resets/recovery", answers(&token, "mrs alvarez"), None).await;
    assert_eq!((started.status, started.body["status"].as_str()), (202, Some("waiting")), "{}", started.raw);
    let alert = app.email_to(&holder.email, "Someone started recovering your account").await;
    assert!(alert.link().contains("/cancel-recovery?token="));

    // During the wait a fresh link cannot finish it, with or without a factor.
    app.advance(Duration::hours(23));
    let early = app.reset_token(&holder.email).await;
    let waiting = app.confirm_reset(&early, NEW_PASSWORD, None).await;
    assert_eq!((waiting.status, waiting.code()), (409, "conflict"));

    app.advance(Duration::hours(1));
    let late = app.reset_token(&holder.email).await;
    let done = app.confirm_reset(&late, NEW_PASSWORD, None).await;
    assert_eq!(done.status, 200, "{}", done.raw);
    // Old factors are void; the next sign-in goes to security setup for a new authenticator.
    let signed_in = app.sign_in(&holder.email, NEW_PASSWORD).await;
    assert_eq!(signed_in.body["next"], "security_setup");
    let token = signed_in.body["token"].as_str().unwrap();
    assert_eq!(app.step_up(token, "backup_code", &holder.backup_codes[1]).await.code(), "setup_required");
    let (_, confirmed) = app.enrol_totp(token).await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.raw);
    let me = app.get("/api/v1/me", token).await;
    assert_eq!(me.body["account_number"], holder.account_number.as_str(), "the account number stays");
    assert_eq!(me.body["security"]["setup_complete"], true);
}

pub async fn a_recovery_can_be_cancelled_from_the_alert(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let token = app.reset_token(&holder.email).await;
    app.post("/api/v1/password-resets/recovery", answers(&token, "Mrs. Alvarez"), None).await;
    let cancel = app.email_to(&holder.email, "Someone started recovering").await.token();
    let answer = app.post("/api/v1/recoveries/cancel", json!({"token": cancel}), None).await;
    assert_eq!(answer.status, 200, "{}", answer.raw);
    app.advance(Duration::hours(25));
    let late = app.reset_token(&holder.email).await;
    let refused = app.confirm_reset(&late, NEW_PASSWORD, None).await;
    assert_eq!(refused.code(), "second_factor_required", "a cancelled recovery cannot finish");
    let again = app.post("/api/v1/recoveries/cancel", json!({"token": cancel}), None).await;
    assert_eq!(again.code(), "invalid_token");
}

pub async fn five_wrong_answer_sets_close_the_recovery_path_for_a_day(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let token = app.reset_token(&holder.email).await;
    for _ in 0..5 {
        let wrong = app.post("/api/v1/password-resets/recovery", answers(&token, "Mr. Nobody"), None).await;
        assert_eq!((wrong.status, wrong.code()), (401, "invalid_answers"));
    }
    let right = app.post("/api/v1/password-resets/recovery", answers(&token, "Mrs. Alvarez"), None).await;
    assert_eq!((right.status, right.code()), (403, "recovery_closed"));
    assert!(right.body["closed_until"].is_string());
    app.advance(Duration::hours(24));
    let token = app.reset_token(&holder.email).await;
    let right = app.post("/api/v1/password-resets/recovery", answers(&token, "Mrs. Alvarez"), None).await;
    assert_eq!(right.status, 202, "{}", right.raw);
}

pub async fn forgot_username_reminds_by_account_number_or_a_number_and_says_nothing_else(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let token = app.two_factor_session(&holder).await;
    app.call(Method::PATCH, "/api/v1/me", Some(json!({"a_number": "A012345678"})), Some(&token)).await;
    let dashed =
        format!("{}-{}-{}", &holder.account_number[..4], &holder.account_number[4..8], &holder.account_number[8..]);
    let by_number = json!({"account_number": dashed, "family_name": "díaz", "date_of_birth": "1990-04-01"});
    let by_a_number = json!({"a_number": "12345678", "family_name": "DÍAZ", "date_of_birth": "1990-04-01"});
    let wrong_name = json!({"a_number": "12345678", "family_name": "Diaz Lopez", "date_of_birth": "1990-04-01"});
    let nobody = json!({"a_number": "99999999", "family_name": "Díaz", "date_of_birth": "1990-04-01"});
    let mut raws = Vec::new();
    for body in [&by_number, &by_a_number, &wrong_name, &nobody] {
        let answer = app.post("/api/v1/username-reminders", body.clone(), None).await;
        assert_eq!(answer.status, 202, "{}", answer.raw);
        raws.push(answer.raw);
    }
    assert!(raws.iter().all(|raw| *raw == raws[0]), "the answer never tells whether anything matched");
    let reminders = app.emails_to(&holder.email).await;
    let subjects: Vec<&str> = reminders.iter().map(|e| e.subject.as_str()).collect();
    assert_eq!(subjects, vec!["Your USCIS Online Account username"; 2]);
}

pub async fn forgot_username_names_malformed_fields(app: &TestApp) {
    // A number one digit away from a valid one fails its check digit.
    let valid = ellis_core::AccountNumber::generate(&mut rand::rng()).digits();
    let last = valid.chars().last().unwrap().to_digit(10).unwrap();
    let mistyped_number = format!("{}{}", &valid[..11], (last + 1) % 10);
    let mistyped = json!({"account_number": mistyped_number, "family_name": "", "date_of_birth": "1990-13-01"});
    let answer = app.post("/api/v1/username-reminders", mistyped, None).await;
    assert_eq!(answer.status, 422);
    assert_eq!(answer.fields(), vec!["account_number", "family_name", "date_of_birth"]);
    let neither = app
        .post("/api/v1/username-reminders", json!({"family_name": "Díaz", "date_of_birth": "1990-04-01"}), None)
        .await;
    assert_eq!(neither.fields(), vec!["account_number"]);
}
