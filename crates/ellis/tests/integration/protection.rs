//! Account protection: compromise reports, email change, sessions, alerts, email quotas and the
//! tamper-evident history (DESIGN.md §4).

use ellis_core::EmailAddress;
use reqwest::Method;
use serde_json::json;
use time::Duration;

use crate::support::TestApp;
use crate::support::api::PASSWORD;

const NEW_PASSWORD: &str = "a brand new passphrase for ellis";

fn recovery_answers(token: &str) -> serde_json::Value {
    json!({"token": token, "answers": [
        {"question_id": 1, "answer": "Fido"},
        {"question_id": 2, "answer": "San Antonio"},
        {"question_id": 5, "answer": "Mrs. Alvarez"},
    ]})
}

pub async fn a_compromise_report_ends_everything_and_recovery_takes_the_slow_path(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let other = app.two_factor_session(&holder).await;
    let answer = app.post("/api/v1/me/compromise-report", json!({}), Some(&holder.token)).await;
    assert_eq!(answer.status, 200, "{}", answer.raw);
    for token in [&holder.token, &other] {
        assert_eq!(app.get("/api/v1/me", token).await.code(), "unauthenticated");
    }
    assert!(app.email_to(&holder.email, "secured after a compromise report").await.text.contains("Forgot password"));
    let right = app.sign_in(&holder.email, PASSWORD).await;
    assert_eq!((right.status, right.code()), (403, "recovery_required"));
    // The old factors no longer reset the password: only the lost-factor recovery does.
    let token = app.reset_token(&holder.email).await;
    let with_backup = app.confirm_reset(&token, NEW_PASSWORD, Some(("backup_code", &holder.backup_codes[0]))).await;
    assert_eq!(with_backup.code(), "recovery_required");
    let started = app.post("/api/v1/password-resets/recovery", recovery_answers(&token), None).await;
    assert_eq!(started.status, 202, "{}", started.raw);
    app.advance(Duration::hours(24));
    let token = app.reset_token(&holder.email).await;
    assert_eq!(app.confirm_reset(&token, NEW_PASSWORD, None).await.status, 200);
    let signed_in = app.sign_in(&holder.email, NEW_PASSWORD).await;
    assert_eq!((signed_in.status, signed_in.body["next"].as_str()), (201, Some("security_setup")));
}

pub async fn the_not_me_link_of_an_alert_secures_the_account(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let token = app.two_factor_session(&holder).await;
    let answer = app.post("/api/v1/me/backup-codes", json!({}), Some(&token)).await;
    assert_eq!(answer.status, 200, "{}", answer.raw);
    let not_me = app.email_to(&holder.email, "New backup codes were made").await.token();
    let answer = app.post("/api/v1/compromise-reports", json!({"token": not_me}), None).await;
    assert_eq!(answer.status, 200, "{}", answer.raw);
    assert_eq!(app.get("/api/v1/me", &token).await.code(), "unauthenticated");
    assert_eq!(app.sign_in(&holder.email, PASSWORD).await.code(), "recovery_required");
    let again = app.post("/api/v1/compromise-reports", json!({"token": not_me}), None).await;
    assert_eq!((again.status, again.code()), (400, "invalid_token"));
}

pub async fn the_not_me_link_expires_after_ten_days(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let token = app.two_factor_session(&holder).await;
    app.post("/api/v1/me/backup-codes", json!({}), Some(&token)).await;
    let not_me = app.email_to(&holder.email, "New backup codes were made").await.token();
    app.advance(Duration::days(10));
    let late = app.post("/api/v1/compromise-reports", json!({"token": not_me}), None).await;
    assert_eq!((late.status, late.code()), (400, "invalid_token"));
}

pub async fn an_email_change_takes_effect_only_through_the_new_address(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let token = app.two_factor_session(&holder).await;
    let answer = app.post("/api/v1/me/email-change", json!({"email": "Ana.New@Example.org"}), Some(&token)).await;
    assert_eq!(answer.status, 202, "{}", answer.raw);
    assert_eq!(app.get("/api/v1/me", &token).await.body["email"], "ana@example.org", "not before the link");
    let link = app.email_to("ana.new@example.org", "Confirm your new email address").await.token();
    let confirmed = app.post("/api/v1/email-changes/confirm", json!({"token": link}), None).await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.raw);
    assert_eq!(app.get("/api/v1/me", &token).await.body["email"], "ana.new@example.org");
    assert_eq!(app.sign_in("ana.new@example.org", PASSWORD).await.status, 201);
    assert_eq!(app.sign_in("ana@example.org", PASSWORD).await.code(), "invalid_credentials");
    let alert = app.email_to("ana@example.org", "Your email address was changed").await;
    assert!(alert.link().contains("/report-compromise?token="));
}

pub async fn the_old_address_can_undo_an_email_change_it_did_not_make(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let token = app.two_factor_session(&holder).await;
    app.post("/api/v1/me/email-change", json!({"email": "thief@example.org"}), Some(&token)).await;
    let link = app.email_to("thief@example.org", "Confirm your new email address").await.token();
    app.post("/api/v1/email-changes/confirm", json!({"token": link}), None).await;
    let not_me = app.email_to("ana@example.org", "Your email address was changed").await.token();
    let answer = app.post("/api/v1/compromise-reports", json!({"token": not_me}), None).await;
    assert_eq!(answer.status, 200, "{}", answer.raw);
    // Back on the old address, locked down, and recovery links go to the holder, not the thief.
    app.post("/api/v1/password-resets", json!({"email": "thief@example.org"}), None).await;
    assert!(app.emails_to("thief@example.org").await.iter().all(|e| !e.subject.contains("Reset")));
    assert_eq!(app.sign_in("ana@example.org", PASSWORD).await.code(), "recovery_required");
    assert!(app.email_to("ana@example.org", "secured after a compromise report").await.text.contains("24 hours"));
}

pub async fn an_email_change_needs_a_second_factor_from_the_last_twenty_minutes(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let token = app.two_factor_session(&holder).await;
    app.advance(Duration::minutes(10));
    app.get("/api/v1/me", &token).await; // keeps the session alive
    app.advance(Duration::minutes(11));
    let stale = app.post("/api/v1/me/email-change", json!({"email": "new@example.org"}), Some(&token)).await;
    assert_eq!((stale.status, stale.code()), (403, "step_up_required"));
    let answer = app.step_up(&token, "totp", &holder.totp.code_at(app.now_unix())).await;
    assert_eq!(answer.status, 200, "{}", answer.raw);
    let fresh = app.post("/api/v1/me/email-change", json!({"email": "new@example.org"}), Some(&token)).await;
    assert_eq!(fresh.status, 202, "{}", fresh.raw);
    let same = app.post("/api/v1/me/email-change", json!({"email": "ana@example.org"}), Some(&token)).await;
    assert_eq!((same.status, same.fields()), (422, vec!["email".to_owned()]));
}

pub async fn an_email_change_to_a_taken_address_is_refused_at_the_link(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    app.register_verified("ben@example.org").await;
    let token = app.two_factor_session(&holder).await;
    let answer = app.post("/api/v1/me/email-change", json!({"email": "ben@example.org"}), Some(&token)).await;
    assert_eq!(answer.status, 202, "the request does not reveal that the address is taken");
    let link = app.email_to("ben@example.org", "Confirm your new email address").await.token();
    let confirmed = app.post("/api/v1/email-changes/confirm", json!({"token": link}), None).await;
    assert_eq!((confirmed.status, confirmed.code()), (409, "conflict"));
    assert_eq!(app.get("/api/v1/me", &token).await.body["email"], "ana@example.org");
}

pub async fn a_pending_email_change_dies_with_a_compromise_report(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let token = app.two_factor_session(&holder).await;
    app.post("/api/v1/me/email-change", json!({"email": "thief@example.org"}), Some(&token)).await;
    let link = app.email_to("thief@example.org", "Confirm your new email address").await.token();
    app.post("/api/v1/me/compromise-report", json!({}), Some(&token)).await;
    let confirmed = app.post("/api/v1/email-changes/confirm", json!({"token": link}), None).await;
    assert_eq!((confirmed.status, confirmed.code()), (400, "invalid_token"));
    assert_eq!(app.sign_in("ana@example.org", PASSWORD).await.code(), "recovery_required");
}

pub async fn sign_out_everywhere_else_keeps_only_this_session(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let second = app.two_factor_session(&holder).await;
    let third = app.password_session(&holder.email).await;
    let answer = app.call(Method::DELETE, "/api/v1/me/sessions", None, Some(&second)).await;
    assert_eq!(answer.status, 204, "{}", answer.raw);
    assert_eq!(app.get("/api/v1/me", &holder.token).await.code(), "unauthenticated");
    assert_eq!(app.get("/api/v1/me", &third).await.code(), "unauthenticated");
    let list = app.get("/api/v1/me/sessions", &second).await;
    assert_eq!(list.body.as_array().map(Vec::len), Some(1));
    assert_eq!(list.body[0]["current"], true);
}

pub async fn a_sign_in_from_a_new_device_is_announced(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    app.two_factor_session(&holder).await;
    assert!(app.emails_to(&holder.email).await.iter().all(|e| !e.subject.contains("New sign-in")));
    let signed_in = app
        .http
        .post(app.url("/api/v1/sessions"))
        .header("user-agent", "Firefox on a stranger's laptop")
        .json(&json!({"email": holder.email, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let token = signed_in.json::<serde_json::Value>().await.unwrap()["token"].as_str().unwrap().to_owned();
    let code = holder.totp.code_at(app.now_unix());
    let stepped = app
        .http
        .post(app.url("/api/v1/sessions/current/second-factor"))
        .header("user-agent", "Firefox on a stranger's laptop")
        .bearer_auth(&token)
        .json(&json!({"method": "totp", "code": code}))
        .send()
        .await
        .unwrap();
    assert_eq!(stepped.status(), 200);
    let alert = app.email_to(&holder.email, "New sign-in to your account").await;
    assert!(!alert.text.contains("Díaz"), "alerts carry no personal data beyond the first name");
    assert!(alert.text.contains("Hello Ana,"));
}

pub async fn a_password_change_needs_the_current_password_and_ends_other_sessions(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let token = app.two_factor_session(&holder).await;
    let wrong = json!({"current_password": "not it at all", "new_password": NEW_PASSWORD});
    let answer = app.call(Method::PUT, "/api/v1/me/password", Some(wrong), Some(&token)).await;
    assert_eq!((answer.status, answer.fields()), (422, vec!["current_password".to_owned()]));
    let right = json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD});
    let answer = app.call(Method::PUT, "/api/v1/me/password", Some(right), Some(&token)).await;
    assert_eq!(answer.status, 204, "{}", answer.raw);
    assert_eq!(app.get("/api/v1/me", &holder.token).await.code(), "unauthenticated");
    assert_eq!(app.get("/api/v1/me", &token).await.status, 200);
    assert!(app.email_to(&holder.email, "Your password was changed").await.link().contains("report-compromise"));
}

pub async fn email_sending_endpoints_are_limited_per_address(app: &TestApp) {
    app.holder("ana@example.org").await;
    app.emails_to("ana@example.org").await;
    let mut answers = Vec::new();
    for _ in 0..8 {
        answers.push(app.post("/api/v1/password-resets", json!({"email": "ana@example.org"}), None).await.status);
    }
    assert!(answers.iter().all(|s| *s == 202), "the answer stays the same");
    // Five unsolicited emails an hour: the sign-up's verification link was the first of them.
    assert_eq!(app.emails_to("ana@example.org").await.len(), 4);
    app.advance(Duration::hours(1));
    app.post("/api/v1/password-resets", json!({"email": "ana@example.org"}), None).await;
    assert_eq!(app.emails_to("ana@example.org").await.len(), 1);
}

pub async fn history_is_hash_chained_and_downloadable(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let token = app.two_factor_session(&holder).await;
    let export = app.get("/api/v1/me/events/export", &token).await;
    assert_eq!(export.status, 200, "{}", export.raw);
    assert!(export.headers["content-disposition"].to_str().unwrap().contains("attachment"));
    let events = export.body["events"].as_array().unwrap();
    assert_eq!(events[0]["seq"], 1);
    assert_eq!(events[0]["kind"], "registered");
    assert!(events.iter().all(|e| e["hash"].as_str().is_some_and(|h| h.len() == 64)));

    let (checked, broken) = ellis::services::history::verify_all(&app.state.store).await.unwrap();
    assert_eq!((checked, broken.len()), (1, 0));
    // Someone with database access edits one event: the chain shows where.
    let account =
        app.state.store.account_by_email(&EmailAddress::parse(&holder.email).unwrap()).await.unwrap().unwrap();
    app.execute_sql(&format!("update events set ip = '203.0.113.9' where account_id = {} and seq = 3", account.id.0))
        .await;
    let (_, broken) = ellis::services::history::verify_all(&app.state.store).await.unwrap();
    assert_eq!(broken.len(), 1);
    assert_eq!(broken[0].broken.seq, 3);
}
