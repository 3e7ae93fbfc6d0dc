//! The recovery and security pages over plain HTTP (forms with their CSRF token, a cookie jar), for what
//! the browser journeys do not cover: links that act only on a button, step-up before a sensitive change,
//! and answers that do not reveal whether an account matched.

use time::Duration;

use crate::support::TestApp;
use crate::support::api::PASSWORD;

/// A cookie-keeping client and the CSRF token of its first page.
async fn page_client(app: &TestApp) -> (reqwest::Client, String) {
    let client =
        reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let page = client.get(app.url("/sign-in")).send().await.unwrap().text().await.unwrap();
    let csrf = page.split("name=\"csrf\" value=\"").nth(1).and_then(|rest| rest.split('"').next()).unwrap().to_owned();
    (client, csrf)
}

async fn post_form(client: &reqwest::Client, app: &TestApp, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
    client.post(app.url(path)).form(form).send().await.unwrap()
}

pub async fn a_not_me_link_acts_only_when_its_button_is_pressed(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let token = app.two_factor_session(&holder).await;
    app.post("/api/v1/me/backup-codes", serde_json::json!({}), Some(&token)).await;
    let link = app.email_to(&holder.email, "New backup codes were made").await.link();
    let (client, csrf) = page_client(app).await;
    let opened = client.get(&link).send().await.unwrap().text().await.unwrap();
    assert!(opened.contains("Secure your account") && opened.contains("action=\"/report-compromise\""), "{opened}");
    assert_eq!(app.get("/api/v1/me", &token).await.status, 200, "opening the link changes nothing");
    let not_me = link.split("token=").nth(1).unwrap();
    let pressed = post_form(&client, app, "/report-compromise", &[("csrf", &csrf), ("token", not_me)]).await;
    assert_eq!(pressed.status(), 200);
    assert!(pressed.text().await.unwrap().contains("Your account is secured"));
    assert_eq!(app.get("/api/v1/me", &token).await.code(), "unauthenticated");
    let again = post_form(&client, app, "/report-compromise", &[("csrf", &csrf), ("token", not_me)]).await;
    assert_eq!(again.status(), 400);
}

pub async fn the_security_page_asks_for_the_second_factor_again_after_twenty_minutes(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let (client, csrf) = page_client(app).await;
    post_form(&client, app, "/sign-in", &[("csrf", &csrf), ("email", &holder.email), ("password", PASSWORD)]).await;
    let code = holder.totp.code_at(app.now_unix());
    post_form(&client, app, "/sign-in/second-factor", &[("csrf", &csrf), ("method", "totp"), ("code", &code)]).await;
    let page = client.get(app.url("/account/security")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("This browser"));

    app.advance(Duration::minutes(14));
    client.get(app.url("/account/security")).send().await.unwrap();
    app.advance(Duration::minutes(7));
    let change = [("csrf", csrf.as_str()), ("email", "ana.new@example.org")];
    let stale = post_form(&client, app, "/account/security/email", &change).await;
    assert_eq!(stale.status(), 303);
    assert_eq!(stale.headers()["location"], "/sign-in/second-factor?next=/account/security");
    let code = holder.totp.code_at(app.now_unix());
    let form = [("csrf", csrf.as_str()), ("method", "totp"), ("code", &code), ("next", "/account/security")];
    let stepped = post_form(&client, app, "/sign-in/second-factor", &form).await;
    assert_eq!(stepped.headers()["location"], "/account/security");
    let fresh = post_form(&client, app, "/account/security/email", &change).await;
    assert_eq!(fresh.status(), 200);
    assert!(fresh.text().await.unwrap().contains("We sent a link to the new address"));
    app.email_to("ana.new@example.org", "Confirm your new email address").await;
}

pub async fn a_stepped_up_session_goes_back_only_to_its_own_pages(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let (client, csrf) = page_client(app).await;
    post_form(&client, app, "/sign-in", &[("csrf", &csrf), ("email", &holder.email), ("password", PASSWORD)]).await;
    let code = holder.totp.code_at(app.now_unix());
    let form = [("csrf", csrf.as_str()), ("method", "totp"), ("code", &code), ("next", "//evil.example/account")];
    let stepped = post_form(&client, app, "/sign-in/second-factor", &form).await;
    assert_eq!(stepped.headers()["location"], "/account");
}

pub async fn the_forgot_username_page_says_the_same_for_a_match_and_a_miss(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let (client, csrf) = page_client(app).await;
    let mut bodies = Vec::new();
    for family_name in ["Díaz", "Nobody"] {
        let form = [
            ("csrf", csrf.as_str()),
            ("account_number", holder.account_number.as_str()),
            ("a_number", ""),
            ("family_name", family_name),
            ("date_of_birth", "1990-04-01"),
        ];
        let answer = post_form(&client, app, "/forgot-username", &form).await;
        assert_eq!(answer.status(), 200);
        bodies.push(answer.text().await.unwrap());
    }
    assert_eq!(bodies[0], bodies[1]);
    assert_eq!(app.emails_to(&holder.email).await.iter().filter(|e| e.subject.contains("username")).count(), 1);
    let bad = [("csrf", csrf.as_str()), ("account_number", ""), ("family_name", ""), ("date_of_birth", "")];
    let answer = post_form(&client, app, "/forgot-username", &bad).await;
    assert_eq!(answer.status(), 422);
    assert!(answer.text().await.unwrap().contains("href=\"#account_number\""));
}

pub async fn the_reset_page_offers_the_recovery_path_and_shows_the_wait(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let token = app.reset_token(&holder.email).await;
    let (client, csrf) = page_client(app).await;
    let questions = client.get(app.url(&format!("/reset-password/recovery?token={token}"))).send().await.unwrap();
    let html = questions.text().await.unwrap();
    assert!(html.contains("What was the name of your first pet?") && html.contains("answer_2"), "{html}");
    let form = [
        ("csrf", csrf.as_str()),
        ("token", token.as_str()),
        ("question_0", "1"),
        ("answer_0", "Fido"),
        ("question_1", "2"),
        ("answer_1", "San Antonio"),
        ("question_2", "5"),
        ("answer_2", "Mrs. Alvarez"),
    ];
    let started = post_form(&client, app, "/reset-password/recovery", &form).await;
    assert_eq!(started.status(), 200);
    assert!(started.text().await.unwrap().contains("Your account recovery has started"));
    let later = app.reset_token(&holder.email).await;
    let page = client.get(app.url(&format!("/reset-password?token={later}"))).send().await.unwrap();
    assert!(page.text().await.unwrap().contains("Your account recovery is under way"));
    let dead = client.get(app.url("/reset-password?token=not-a-token")).send().await.unwrap();
    assert_eq!(dead.status(), 400);
}
