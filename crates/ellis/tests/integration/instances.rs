//! Two `ellis serve` instances on one database, as behind a load balancer: everything security depends on
//! (lockout counts, sessions, links) holds across them because it lives in the database (DESIGN.md §3).

use serde_json::{Value, json};

use crate::sign_in::futures_join_all;
use crate::support::TestApp;
use crate::support::api::PASSWORD;

async fn post_at(app: &TestApp, base: &str, path: &str, body: Value, token: Option<&str>) -> (u16, Value) {
    let mut request = app.http.post(format!("{base}{path}")).json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("request sent");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

pub async fn wrong_passwords_spread_over_two_instances_lock_after_exactly_the_policy_count(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let (other, running) = app.second_instance().await;
    let bases = [app.base.clone(), other];
    let wrong = json!({"email": holder.email, "password": "not the password at all"});
    let guesses = (0..40).map(|i| post_at(app, &bases[i % 2], "/api/v1/sessions", wrong.clone(), None));
    let answers = futures_join_all(guesses).await;
    assert!(answers.iter().all(|(status, body)| *status == 401 && body["code"] == "invalid_credentials"));
    let account = app
        .state
        .store
        .account_by_email(&ellis_core::EmailAddress::parse(&holder.email).unwrap())
        .await
        .unwrap()
        .unwrap();
    let events = app.state.store.events(account.id, 10_000).await.unwrap();
    let count = |kind: &str| events.iter().filter(|e| e.kind == kind).count();
    assert_eq!((count("sign_in_failed"), count("account_locked")), (40, 8), "every guess counted once, on either");
    for base in &bases {
        let right = json!({"email": holder.email, "password": PASSWORD});
        let (status, body) = post_at(app, base, "/api/v1/sessions", right, None).await;
        assert_eq!((status, body["code"].as_str()), (403, Some("account_locked")));
    }
    running.stop().await.unwrap();
}

pub async fn a_session_ended_on_one_instance_is_refused_by_the_other(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let (other, running) = app.second_instance().await;
    let token = app.two_factor_session(&holder).await;
    let list = app.get("/api/v1/me/sessions", &token).await;
    let first = list.body.as_array().unwrap().iter().find(|s| s["current"] == false).unwrap()["id"].clone();
    let ended = app.http.delete(format!("{other}/api/v1/me/sessions/{}", first.as_str().unwrap()));
    assert_eq!(ended.bearer_auth(&token).send().await.unwrap().status(), 204);
    let me = app.http.get(format!("{other}/api/v1/me")).bearer_auth(&holder.token).send().await.unwrap();
    assert_eq!(me.status(), 401);
    assert_eq!(app.get("/api/v1/me", &holder.token).await.code(), "unauthenticated");
    running.stop().await.unwrap();
}

pub async fn a_compromise_report_on_one_instance_ends_sessions_on_both(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let (other, running) = app.second_instance().await;
    let credentials = json!({"email": holder.email, "password": PASSWORD});
    let (_, signed_in) = post_at(app, &other, "/api/v1/sessions", credentials, None).await;
    let on_other = signed_in["token"].as_str().unwrap().to_owned();
    let (status, _) = post_at(app, &other, "/api/v1/me/compromise-report", json!({}), Some(&on_other)).await;
    assert_eq!(status, 200);
    assert_eq!(app.get("/api/v1/me", &holder.token).await.code(), "unauthenticated");
    let me = app.http.get(format!("{other}/api/v1/me")).bearer_auth(&on_other).send().await.unwrap();
    assert_eq!(me.status(), 401);
    running.stop().await.unwrap();
}

pub async fn one_reset_link_used_on_two_instances_at_once_works_exactly_once(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let (other, running) = app.second_instance().await;
    let token = app.reset_token(&holder.email).await;
    let bases = [app.base.clone(), other];
    let attempts = (0..6).map(|i| {
        let code = &holder.backup_codes[i];
        let body = json!({"token": token, "new_password": format!("new passphrase number {i} for ellis"),
                          "second_factor": {"method": "backup_code", "code": code}});
        post_at(app, &bases[i % 2], "/api/v1/password-resets/confirm", body, None)
    });
    let answers = futures_join_all(attempts).await;
    let done = answers.iter().filter(|(status, _)| *status == 200).count();
    assert_eq!(done, 1, "{answers:?}");
    assert!(answers.iter().filter(|(s, _)| *s != 200).all(|(s, b)| *s == 400 && b["code"] == "invalid_token"));
    running.stop().await.unwrap();
}
