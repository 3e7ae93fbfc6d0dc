//! The profile and account history.

use reqwest::Method;
use serde_json::json;

use crate::support::TestApp;

pub async fn profile_shows_the_account_number_apart_from_the_a_number(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let patch = app.call(Method::PATCH, "/api/v1/me", Some(json!({"a_number": "12345678"})), Some(&holder.token)).await;
    assert_eq!(patch.status, 200, "{}", patch.raw);
    assert_eq!(patch.body["a_number"], "A012345678");
    assert_eq!(patch.body["account_number"], holder.account_number.as_str());
    assert_eq!(patch.body["date_of_birth"], "1990-04-01");
    let confused = app
        .call(Method::PATCH, "/api/v1/me", Some(json!({"a_number": holder.account_number})), Some(&holder.token))
        .await;
    assert_eq!((confused.status, confused.fields()), (422, vec!["a_number".to_owned()]));
    assert!(confused.body["errors"][0]["message"].as_str().unwrap().contains("Online Account Number"));
}

pub async fn profile_changes_are_validated_field_by_field(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let body = json!({"given_name": "", "phone": "call me", "mailing_address":
        {"line1": "1 Main St", "city": "Austin", "state": "ZZ", "zip": "7870"}});
    let answer = app.call(Method::PATCH, "/api/v1/me", Some(body), Some(&holder.token)).await;
    assert_eq!(answer.status, 422);
    assert_eq!(answer.fields(), ["given_name", "phone", "mailing_address.state", "mailing_address.zip"]);
    let me = app.get("/api/v1/me", &holder.token).await;
    assert_eq!(
        (me.body["phone"].clone(), me.body["given_name"].clone()),
        (json!(null), json!("Ana María")),
        "nothing changed"
    );

    let good = json!({"phone": "(202) 555-0143", "mailing_address":
        {"line1": "1 Main St", "line2": "Apt 2", "city": "Austin", "state": "tx", "zip": "78701"}});
    let answer = app.call(Method::PATCH, "/api/v1/me", Some(good), Some(&holder.token)).await;
    assert_eq!(answer.status, 200, "{}", answer.raw);
    assert_eq!(answer.body["phone"], "+12025550143");
    assert_eq!(
        answer.body["mailing_address"],
        json!({"line1": "1 Main St", "line2": "Apt 2", "city": "Austin", "state": "TX", "zip": "78701"})
    );
    let unknown =
        app.call(Method::PATCH, "/api/v1/me", Some(json!({"email": "x@example.org"})), Some(&holder.token)).await;
    assert_eq!((unknown.status, unknown.fields()), (422, vec!["email".to_owned()]), "the email is not changed here");
}

pub async fn optional_fields_can_be_cleared_with_null(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    app.call(
        Method::PATCH,
        "/api/v1/me",
        Some(json!({"phone": "2025550143", "a_number": "A123456789"})),
        Some(&holder.token),
    )
    .await;
    let cleared = app.call(Method::PATCH, "/api/v1/me", Some(json!({"phone": null})), Some(&holder.token)).await;
    assert_eq!(cleared.body["phone"], json!(null));
    assert_eq!(cleared.body["a_number"], "A123456789", "fields not sent stay as they were");
}

pub async fn history_records_the_journey_newest_first(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    app.sign_in(&holder.email, "wrong password, sorry").await;
    app.call(Method::PATCH, "/api/v1/me", Some(json!({"phone": "2025550143"})), Some(&holder.token)).await;
    let events = app.get("/api/v1/me/events", &holder.token).await;
    let kinds: Vec<&str> = events.body.as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "profile_changed",
            "sign_in_failed",
            "account_number_assigned",
            "backup_codes_issued",
            "authenticator_enrolled",
            "security_questions_set",
            "signed_in",
            "email_verified",
            "registered",
        ]
    );
    let first = &events.body[0];
    assert_eq!(first["ip"], "127.0.0.1");
    assert!(first["detail"].as_str().unwrap().contains("phone"));
    assert!(
        time::OffsetDateTime::parse(first["at"].as_str().unwrap(), &time::format_description::well_known::Rfc3339)
            .is_ok()
    );
    let password_only = app.password_session(&holder.email).await;
    assert_eq!(app.get("/api/v1/me/events", &password_only).await.code(), "second_factor_required");
}

pub async fn only_real_changes_are_recorded_in_history(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let same = json!({"given_name": "Ana María", "family_name": "Díaz", "phone": null});
    assert_eq!(app.call(Method::PATCH, "/api/v1/me", Some(same), Some(&holder.token)).await.status, 200);
    let events = app.get("/api/v1/me/events", &holder.token).await;
    assert_ne!(events.body[0]["kind"], "profile_changed", "saving unchanged details is not a change");
    let renamed = json!({"given_name": "Ana", "family_name": "Díaz"});
    app.call(Method::PATCH, "/api/v1/me", Some(renamed), Some(&holder.token)).await;
    let events = app.get("/api/v1/me/events", &holder.token).await;
    assert_eq!(events.body[0]["kind"], "profile_changed");
    assert_eq!(events.body[0]["detail"], "Profile changed. Changed: given name");
}
