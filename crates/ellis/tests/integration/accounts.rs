//! Sign-up and email verification.

use serde_json::json;
use time::Duration;

use crate::support::TestApp;

pub async fn sign_up_answers_check_email_and_sends_a_verification_link(app: &TestApp) {
    let answer = app.post("/api/v1/accounts", TestApp::sign_up_body("ana@example.org"), None).await;
    assert_eq!(answer.status, 202);
    assert_eq!(answer.body, json!({"status": "check_email"}));
    let email = app.email_to("ana@example.org", "Confirm your email").await;
    assert!(email.link().starts_with(&app.url("/verify-email?token=")), "{}", email.link());
    assert!(email.html.contains(&format!("href=\"{}\"", email.link())), "the HTML part carries the same link");
    assert!(email.text.contains("Hello Ana,"), "only the first name: {}", email.text);
    assert!(!email.text.contains("Díaz") && !email.text.contains("1990"), "no other personal data in email");
}

pub async fn signing_up_with_a_known_email_answers_exactly_like_a_new_one(app: &TestApp) {
    app.register_verified("known@example.org").await;
    let known = app.post("/api/v1/accounts", TestApp::sign_up_body("Known@Example.org"), None).await;
    let new = app.post("/api/v1/accounts", TestApp::sign_up_body("new@example.org"), None).await;
    assert_eq!((known.status, &known.raw), (new.status, &new.raw), "byte-for-byte the same answer");
    let mut known_headers: Vec<_> = known.headers.keys().map(|k| k.as_str().to_owned()).collect();
    let mut new_headers: Vec<_> = new.headers.keys().map(|k| k.as_str().to_owned()).collect();
    known_headers.sort();
    new_headers.sort();
    assert_eq!(known_headers, new_headers);
    let emails = app.deliver_mail().await;
    let to_known: Vec<_> = emails.iter().filter(|e| e.to == "known@example.org").collect();
    assert_eq!(to_known.len(), 1);
    assert!(to_known[0].subject.contains("already have"), "{}", to_known[0].subject);
    assert!(emails.iter().any(|e| e.to == "new@example.org" && e.subject.contains("Confirm")));
    // The existing account is untouched: its password still works.
    assert_eq!(app.sign_in("known@example.org", crate::support::api::PASSWORD).await.status, 201);
}

pub async fn sign_up_names_each_invalid_field(app: &TestApp) {
    let body = json!({"email": "not-an-email", "password": "short", "given_name": "", "family_name": "<b>",
                      "date_of_birth": "2990-01-01"});
    let answer = app.post("/api/v1/accounts", body, None).await;
    assert_eq!(answer.status, 422);
    assert_eq!(answer.code(), "invalid_fields");
    assert_eq!(answer.headers["content-type"], "application/problem+json");
    let mut fields = answer.fields();
    fields.sort();
    assert_eq!(fields, ["date_of_birth", "email", "family_name", "given_name", "password"]);
    assert!(app.deliver_mail().await.is_empty(), "nothing was written");
}

pub async fn a_password_made_of_the_holders_own_details_is_refused(app: &TestApp) {
    let body = json!({"email": "maria.gonzalez@example.org", "password": "maria.gonzalez@example.org",
                      "given_name": "Maria", "family_name": "Gonzalez", "date_of_birth": "1990-04-01"});
    let answer = app.post("/api/v1/accounts", body, None).await;
    assert_eq!(answer.status, 422, "{}", answer.raw);
    assert_eq!(answer.fields(), ["password"]);
    let body = json!({"email": "x@example.org", "password": "password1234", "given_name": "X", "family_name": "Y",
                      "date_of_birth": "1990-04-01"});
    assert_eq!(app.post("/api/v1/accounts", body, None).await.fields(), ["password"]);
}

pub async fn verification_link_works_once(app: &TestApp) {
    app.post("/api/v1/accounts", TestApp::sign_up_body("ana@example.org"), None).await;
    let token = app.email_to("ana@example.org", "Confirm").await.token();
    let first = app.post("/api/v1/email-verifications", json!({"token": token}), None).await;
    assert_eq!((first.status, first.body.clone()), (200, json!({"status": "verified"})));
    let again = app.post("/api/v1/email-verifications", json!({"token": token}), None).await;
    assert_eq!((again.status, again.code()), (400, "invalid_token"));
}

pub async fn verification_link_expires_after_24_hours(app: &TestApp) {
    app.post("/api/v1/accounts", TestApp::sign_up_body("ana@example.org"), None).await;
    let token = app.email_to("ana@example.org", "Confirm").await.token();
    app.advance(Duration::hours(24));
    let answer = app.post("/api/v1/email-verifications", json!({"token": token}), None).await;
    assert_eq!((answer.status, answer.code()), (400, "invalid_token"));
    let sign_in = app.sign_in("ana@example.org", crate::support::api::PASSWORD).await;
    assert_eq!(sign_in.code(), "email_not_verified");
}

pub async fn foreign_and_garbled_verification_tokens_are_refused(app: &TestApp) {
    for token in ["", "abc", &"A".repeat(43), "../../etc/passwd"] {
        let answer = app.post("/api/v1/email-verifications", json!({"token": token}), None).await;
        assert_eq!((answer.status, answer.code()), (400, "invalid_token"), "{token}");
    }
}

pub async fn a_new_link_can_be_requested_without_revealing_anything(app: &TestApp) {
    app.post("/api/v1/accounts", TestApp::sign_up_body("pending@example.org"), None).await;
    app.register_verified("done@example.org").await;
    app.deliver_mail().await;
    let mut answers = Vec::new();
    for email in ["pending@example.org", "done@example.org", "nobody@example.org"] {
        answers.push(app.post("/api/v1/email-verifications/resend", json!({"email": email}), None).await);
    }
    assert!(answers.iter().all(|a| a.status == 202 && a.raw == answers[0].raw));
    let sent = app.deliver_mail().await;
    assert_eq!(sent.len(), 1, "only the unverified address gets a new link");
    let token = sent[0].token();
    assert_eq!(sent[0].to, "pending@example.org");
    assert_eq!(app.post("/api/v1/email-verifications", json!({"token": token}), None).await.status, 200);
}
