//! Session lifetime: sign-out, the idle and absolute limits, listing and ending sessions.

use reqwest::Method;
use time::Duration;

use crate::support::TestApp;

pub async fn sign_out_ends_the_session(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let out = app.call(Method::DELETE, "/api/v1/sessions/current", None, Some(&holder.token)).await;
    assert_eq!(out.status, 204);
    let me = app.get("/api/v1/me", &holder.token).await;
    assert_eq!((me.status, me.code()), (401, "unauthenticated"));
    assert_eq!(app.get("/api/v1/me", "made-up-token").await.code(), "unauthenticated");
    assert_eq!(app.call(Method::GET, "/api/v1/me", None, None).await.code(), "unauthenticated");
}

pub async fn sessions_end_after_fifteen_idle_minutes(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    for _ in 0..3 {
        app.advance(Duration::minutes(14));
        assert_eq!(app.get("/api/v1/me", &holder.token).await.status, 200, "activity keeps the session alive");
    }
    app.advance(Duration::minutes(15));
    assert_eq!(app.get("/api/v1/me", &holder.token).await.code(), "unauthenticated");
    app.advance(Duration::minutes(-15));
    assert_eq!(app.get("/api/v1/me", &holder.token).await.code(), "unauthenticated", "an expired session stays ended");
}

pub async fn sessions_end_after_twelve_hours_even_when_active(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    for _ in 0..51 {
        app.advance(Duration::minutes(14));
        assert_eq!(app.get("/api/v1/me", &holder.token).await.status, 200);
    }
    // 11 h 54 min in; ten more active minutes cross the 12-hour limit.
    app.advance(Duration::minutes(10));
    assert_eq!(app.get("/api/v1/me", &holder.token).await.code(), "unauthenticated");
}

pub async fn sessions_are_listed_and_can_be_ended_one_by_one(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let other = app.two_factor_session(&holder).await;
    let list = app.get("/api/v1/me/sessions", &holder.token).await;
    let sessions = list.body.as_array().expect("list");
    assert_eq!(sessions.len(), 2);
    assert_eq!(sessions.iter().filter(|s| s["current"] == true).count(), 1);
    assert!(sessions.iter().all(|s| s["ip"] == "127.0.0.1" && s["created_at"].is_string()));
    let other_id = sessions.iter().find(|s| s["current"] == false).unwrap()["id"].as_str().unwrap().to_owned();
    let ended = app.call(Method::DELETE, &format!("/api/v1/me/sessions/{other_id}"), None, Some(&holder.token)).await;
    assert_eq!(ended.status, 204);
    assert_eq!(app.get("/api/v1/me", &other).await.code(), "unauthenticated");
    let again = app.call(Method::DELETE, &format!("/api/v1/me/sessions/{other_id}"), None, Some(&holder.token)).await;
    assert_eq!(again.code(), "not_found");
}

pub async fn a_second_instance_on_the_same_database_shares_accounts_and_sessions(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let (other, running) = app.second_instance().await;
    let me = app.http.get(format!("{other}/api/v1/me")).bearer_auth(&holder.token).send().await.unwrap();
    assert_eq!(me.status(), 200, "a session made on one instance works on the other");
    let profile: serde_json::Value = me.json().await.unwrap();
    assert_eq!(profile["account_number"], holder.account_number.as_str());

    let credentials = serde_json::json!({"email": holder.email, "password": holder.password});
    let signed_in = app.http.post(format!("{other}/api/v1/sessions")).json(&credentials).send().await.unwrap();
    let token = signed_in.json::<serde_json::Value>().await.unwrap()["token"].as_str().unwrap().to_owned();
    let code = holder.totp.code_at(app.now_unix());
    assert_eq!(app.step_up(&token, "totp", &code).await.status, 200, "stepped up on the first instance");
    let replay = app
        .http
        .post(format!("{other}/api/v1/sessions/current/second-factor"))
        .bearer_auth(&token)
        .json(&serde_json::json!({"method": "totp", "code": code}))
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), 401, "a code used on one instance is spent on all");

    let out =
        app.http.delete(format!("{other}/api/v1/sessions/current")).bearer_auth(&holder.token).send().await.unwrap();
    assert_eq!(out.status(), 204);
    assert_eq!(app.get("/api/v1/me", &holder.token).await.code(), "unauthenticated", "ended on one, ended on both");
    running.stop().await.unwrap();
}
