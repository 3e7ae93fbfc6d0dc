//! Agency staff identities: created with a one-time setup link, a mandatory authenticator, their own
//! sessions (an applicant's token is not a staff token), and roles (API.md "Agency staff").

use ellis::services::staff::identity;
use ellis_core::totp::TotpSecret;
use reqwest::Method;
use serde_json::json;
use time::Duration;

use crate::support::TestApp;

const STAFF_PASSWORD: &str = "orchid lantern gravel sextant";

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
