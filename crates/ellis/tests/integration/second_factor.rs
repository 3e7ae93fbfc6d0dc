//! The second factor at every sign-in after setup.

use serde_json::json;
use time::Duration;

use crate::support::TestApp;

pub async fn every_later_sign_in_needs_the_second_factor(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let signed_in = app.sign_in(&holder.email, &holder.password).await;
    assert_eq!(signed_in.body["next"], "second_factor");
    let token = signed_in.body["token"].as_str().unwrap();
    let me = app.get("/api/v1/me", token).await;
    assert_eq!((me.status, me.code()), (403, "second_factor_required"));
    let code = holder.totp.code_at(app.now_unix());
    let passed = app.step_up(token, "totp", &code).await;
    assert_eq!((passed.status, passed.body.clone()), (200, json!({"assurance": "two_factor", "next": "none"})));
    assert_eq!(app.get("/api/v1/me", token).await.status, 200);
}

pub async fn a_replayed_authenticator_code_is_refused(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let code = holder.totp.code_at(app.now_unix());
    let first = app.password_session(&holder.email).await;
    assert_eq!(app.step_up(&first, "totp", &code).await.status, 200);
    let second = app.password_session(&holder.email).await;
    let replay = app.step_up(&second, "totp", &code).await;
    assert_eq!((replay.status, replay.code()), (401, "invalid_code"));
    app.advance(Duration::seconds(30));
    let next = holder.totp.code_at(app.now_unix());
    assert_eq!(app.step_up(&second, "totp", &next).await.status, 200);
}

pub async fn a_backup_code_works_once(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let code = holder.backup_codes[3].to_lowercase().replace('-', " ");
    let first = app.password_session(&holder.email).await;
    let answer = app.step_up(&first, "backup_code", &code).await;
    assert_eq!(answer.status, 200, "typed in lower case with a space: {}", answer.raw);
    let second = app.password_session(&holder.email).await;
    let again = app.step_up(&second, "backup_code", &holder.backup_codes[3]).await;
    assert_eq!(again.code(), "invalid_code");
    assert_eq!(app.get("/api/v1/me", &first).await.body["security"]["backup_codes_left"], 9);
}

pub async fn an_emailed_code_works_once_and_expires_after_ten_minutes(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let token = app.password_session(&holder.email).await;
    let sent = app.post("/api/v1/sessions/current/email-code", json!({}), Some(&token)).await;
    assert_eq!(sent.status, 202);
    let code = app.email_to(&holder.email, "sign-in code").await.code();
    assert_eq!(app.step_up(&token, "email_code", &code).await.status, 200);

    let later = app.password_session(&holder.email).await;
    let reuse = app.step_up(&later, "email_code", &code).await;
    assert_eq!(reuse.code(), "invalid_code", "a code belongs to the session that asked for it, once");
    app.post("/api/v1/sessions/current/email-code", json!({}), Some(&later)).await;
    let code = app.email_to(&holder.email, "sign-in code").await.code();
    app.advance(Duration::minutes(10));
    let expired = app.step_up(&later, "email_code", &code).await;
    assert_eq!(expired.code(), "invalid_code");
}

pub async fn an_emailed_code_allows_five_tries(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let token = app.password_session(&holder.email).await;
    app.post("/api/v1/sessions/current/email-code", json!({}), Some(&token)).await;
    let code = app.email_to(&holder.email, "sign-in code").await.code();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..4 {
        assert_eq!(app.step_up(&token, "email_code", wrong).await.code(), "invalid_code");
    }
    assert_eq!(app.step_up(&token, "email_code", &code).await.status, 200);
}

pub async fn wrong_codes_count_towards_the_lockout(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let token = app.password_session(&holder.email).await;
    for _ in 0..5 {
        let answer = app.step_up(&token, "totp", "000000").await;
        assert_eq!(answer.code(), "invalid_code");
    }
    let code = holder.totp.code_at(app.now_unix());
    let locked = app.step_up(&token, "totp", &code).await;
    assert_eq!((locked.status, locked.code()), (403, "account_locked"));
    assert_eq!(app.sign_in(&holder.email, &holder.password).await.code(), "account_locked");
}

/// A right code clears the wrong ones before it (in one session: a password sign-in would clear them too):
/// four wrong, a right one, four wrong again and a right one, and no lock; five wrong in a row still lock.
pub async fn four_wrong_codes_do_not_lock_and_a_right_one_resets_the_count(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let token = app.password_session(&holder.email).await;
    for _ in 0..2 {
        for _ in 0..4 {
            assert_eq!(app.step_up(&token, "totp", "000000").await.code(), "invalid_code");
        }
        let code = holder.totp.code_at(app.now_unix());
        assert_eq!(app.step_up(&token, "totp", &code).await.status, 200);
        // The next right code must come from the next 30-second step: a code is spent once.
        app.advance(time::Duration::seconds(30));
    }
    for _ in 0..5 {
        assert_eq!(app.step_up(&token, "totp", "000000").await.code(), "invalid_code");
    }
    let code = holder.totp.code_at(app.now_unix());
    assert_eq!(app.step_up(&token, "totp", &code).await.code(), "account_locked", "five in a row still lock");
}

pub async fn an_emailed_code_is_dead_after_five_tries_even_without_a_lock(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let token = app.password_session(&holder.email).await;
    app.post("/api/v1/sessions/current/email-code", json!({}), Some(&token)).await;
    let code = app.email_to(&holder.email, "sign-in code").await.code();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..4 {
        app.step_up(&token, "email_code", wrong).await;
    }
    // A right password elsewhere clears the lockout count, but not this code's tries.
    app.password_session(&holder.email).await;
    assert_eq!(app.step_up(&token, "email_code", wrong).await.code(), "invalid_code");
    let exhausted = app.step_up(&token, "email_code", &code).await;
    assert_eq!((exhausted.status, exhausted.code()), (401, "invalid_code"), "the sixth try fails, even with the code");
}
