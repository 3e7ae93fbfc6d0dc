//! The second factor at every sign-in after setup.

use serde_json::json;
use time::Duration;

use crate::support::TestApp;

const STEP_UP: &str = "/api/v1/sessions/current/second-factor";

pub async fn every_later_sign_in_needs_the_second_factor(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let signed_in = app.sign_in(&holder.email, &holder.password).await;
    assert_eq!(signed_in.body["next"], "second_factor");
    let token = signed_in.body["token"].as_str().unwrap();
    let me = app.get("/api/v1/me", token).await;
    assert_eq!((me.status, me.code()), (403, "second_factor_required"));
    let code = holder.totp.code_at(app.now_unix());
    let passed = app
        .post(
            STEP_UP,
            json!({"method": "totp", "code": code}),
            Some(token),
        )
        .await;
    assert_eq!(
        (passed.status, passed.body.clone()),
        (200, json!({"assurance": "two_factor", "next": "none"}))
    );
    assert_eq!(app.get("/api/v1/me", token).await.status, 200);
}

pub async fn a_replayed_authenticator_code_is_refused(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let code = holder.totp.code_at(app.now_unix());
    let first = app.password_session(&holder.email).await;
    assert_eq!(
        app.post(
            STEP_UP,
            json!({"method": "totp", "code": code}),
            Some(&first)
        )
        .await
        .status,
        200
    );
    let second = app.password_session(&holder.email).await;
    let replay = app
        .post(
            STEP_UP,
            json!({"method": "totp", "code": code}),
            Some(&second),
        )
        .await;
    assert_eq!((replay.status, replay.code()), (401, "invalid_code"));
    app.advance(Duration::seconds(30));
    let next = holder.totp.code_at(app.now_unix());
    assert_eq!(
        app.post(
            STEP_UP,
            json!({"method": "totp", "code": next}),
            Some(&second)
        )
        .await
        .status,
        200
    );
}

pub async fn a_backup_code_works_once(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let code = holder.backup_codes[3].to_lowercase().replace('-', " ");
    let first = app.password_session(&holder.email).await;
    let answer = app
        .post(
            STEP_UP,
            json!({"method": "backup_code", "code": code}),
            Some(&first),
        )
        .await;
    assert_eq!(
        answer.status, 200,
        "typed in lower case with a space: {}",
        answer.raw
    );
    let second = app.password_session(&holder.email).await;
    let again = app
        .post(
            STEP_UP,
            json!({"method": "backup_code", "code": holder.backup_codes[3]}),
            Some(&second),
        )
        .await;
    assert_eq!(again.code(), "invalid_code");
    assert_eq!(
        app.get("/api/v1/me", &first).await.body["security"]["backup_codes_left"],
        9
    );
}

pub async fn an_emailed_code_works_once_and_expires_after_ten_minutes(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let token = app.password_session(&holder.email).await;
    let sent = app
        .post(
            "/api/v1/sessions/current/email-code",
            json!({}),
            Some(&token),
        )
        .await;
    assert_eq!(sent.status, 202);
    let code = app.email_to(&holder.email, "sign-in code").await.code();
    assert_eq!(
        app.post(
            STEP_UP,
            json!({"method": "email_code", "code": code}),
            Some(&token)
        )
        .await
        .status,
        200
    );

    let later = app.password_session(&holder.email).await;
    let reuse = app
        .post(
            STEP_UP,
            json!({"method": "email_code", "code": code}),
            Some(&later),
        )
        .await;
    assert_eq!(
        reuse.code(),
        "invalid_code",
        "a code belongs to the session that asked for it, once"
    );
    app.post(
        "/api/v1/sessions/current/email-code",
        json!({}),
        Some(&later),
    )
    .await;
    let code = app.email_to(&holder.email, "sign-in code").await.code();
    app.advance(Duration::minutes(10));
    let expired = app
        .post(
            STEP_UP,
            json!({"method": "email_code", "code": code}),
            Some(&later),
        )
        .await;
    assert_eq!(expired.code(), "invalid_code");
}

pub async fn an_emailed_code_allows_five_tries(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let token = app.password_session(&holder.email).await;
    app.post(
        "/api/v1/sessions/current/email-code",
        json!({}),
        Some(&token),
    )
    .await;
    let code = app.email_to(&holder.email, "sign-in code").await.code();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..4 {
        assert_eq!(
            app.post(
                STEP_UP,
                json!({"method": "email_code", "code": wrong}),
                Some(&token)
            )
            .await
            .code(),
            "invalid_code"
        );
    }
    assert_eq!(
        app.post(
            STEP_UP,
            json!({"method": "email_code", "code": code}),
            Some(&token)
        )
        .await
        .status,
        200
    );
}

pub async fn wrong_codes_count_towards_the_lockout(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let token = app.password_session(&holder.email).await;
    for _ in 0..5 {
        let answer = app
            .post(
                STEP_UP,
                json!({"method": "totp", "code": "000000"}),
                Some(&token),
            )
            .await;
        assert_eq!(answer.code(), "invalid_code");
    }
    let code = holder.totp.code_at(app.now_unix());
    let locked = app
        .post(
            STEP_UP,
            json!({"method": "totp", "code": code}),
            Some(&token),
        )
        .await;
    assert_eq!((locked.status, locked.code()), (403, "account_locked"));
    assert_eq!(
        app.sign_in(&holder.email, &holder.password).await.code(),
        "account_locked"
    );
}
