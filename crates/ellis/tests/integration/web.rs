//! What every request gets regardless of the endpoint: problem documents, limits, headers, CSRF.

use reqwest::Method;
use serde_json::json;

use crate::support::TestApp;

pub async fn malformed_json_is_400_and_unknown_fields_are_422(app: &TestApp) {
    let response = app
        .http
        .post(app.url("/api/v1/sessions"))
        .header("content-type", "application/json")
        .body("{\"email\": ")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 400);
    let body: serde_json::Value = response.json().await.expect("problem json");
    assert_eq!(body["code"], "malformed_json");
    assert_eq!(body["status"], 400);

    let answer = app.post("/api/v1/sessions", json!({"email": "a@b.co", "password": "x", "admin": true}), None).await;
    assert_eq!((answer.status, answer.code()), (422, "invalid_fields"));
    assert_eq!(answer.fields(), ["admin"]);

    let answer = app.post("/api/v1/accounts", json!({"email": 5}), None).await;
    assert_eq!((answer.status, answer.fields()), (422, vec!["email".to_owned()]));
}

pub async fn bodies_over_the_limit_get_413_and_other_media_types_415(app: &TestApp) {
    let huge = json!({"email": "a@b.co", "password": "x".repeat(100_000)});
    let answer = app.post("/api/v1/sessions", huge, None).await;
    assert_eq!((answer.status, answer.code()), (413, "payload_too_large"));

    let response = app
        .http
        .post(app.url("/api/v1/sessions"))
        .body("email=a")
        .header("content-type", "text/plain")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 415);

    let answer = app.call(Method::GET, "/api/v1/no-such-thing", None, None).await;
    assert_eq!((answer.status, answer.code()), (404, "not_found"));
}

pub async fn responses_carry_the_security_headers(app: &TestApp) {
    for path in ["/", "/sign-in", "/api/v1/security-questions"] {
        let response = app.http.get(app.url(path)).send().await.expect("sent");
        assert_eq!(response.status(), 200, "{path}");
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().expect("csp");
        assert!(csp.contains("frame-ancestors 'none'") && !csp.contains("script-src"), "{csp}");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(headers["cache-control"], "no-store");
    }
    let questions = app.call(Method::GET, "/api/v1/security-questions", None, None).await;
    assert!(questions.body.as_array().expect("list").len() >= 8);
}

pub async fn every_response_carries_a_request_id_and_keeps_the_callers_own(app: &TestApp) {
    let id_of = |response: &reqwest::Response| response.headers()["x-request-id"].to_str().unwrap().to_owned();
    let first = id_of(&app.http.get(app.url("/health")).send().await.unwrap());
    let second = id_of(&app.http.get(app.url("/api/v1/no-such-thing")).send().await.unwrap());
    assert!(first.len() >= 16 && first.bytes().all(|b| b.is_ascii_hexdigit()), "{first}");
    assert_ne!(first, second, "each request gets its own id");

    let ours = app.http.get(app.url("/health")).header("x-request-id", "trace-abc-123").send().await.unwrap();
    assert_eq!(id_of(&ours), "trace-abc-123", "a caller's printable id is kept");
    for unusable in ["has spaces in it".to_owned(), "x".repeat(200)] {
        let answer = app.http.get(app.url("/health")).header("x-request-id", &unusable).send().await.unwrap();
        let id = id_of(&answer);
        assert!(id != unusable && id.bytes().all(|b| b.is_ascii_hexdigit()), "{id}");
    }
}

pub async fn page_forms_without_the_csrf_token_are_refused(app: &TestApp) {
    app.register_verified("ana@example.org").await;
    // A first visit sets the CSRF cookie; a form post without the matching field is refused.
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let page = client.get(app.url("/sign-in")).send().await.expect("sent").text().await.expect("page");
    let token =
        page.split("name=\"csrf\" value=\"").nth(1).and_then(|rest| rest.split('"').next()).expect("csrf field");
    let form = [("email", "ana@example.org"), ("password", crate::support::api::PASSWORD)];
    let refused = client.post(app.url("/sign-in")).form(&form).send().await.expect("sent");
    assert_eq!(refused.status(), 403);
    let forged = [
        ("email", "ana@example.org"),
        ("password", crate::support::api::PASSWORD),
        ("csrf", "forged-forged-forged-forged-forged"),
    ];
    assert_eq!(client.post(app.url("/sign-in")).form(&forged).send().await.expect("sent").status(), 403);
    // A cross-site origin is refused even with the right token.
    let with_token = [("email", "ana@example.org"), ("password", crate::support::api::PASSWORD), ("csrf", token)];
    let cross_site = client
        .post(app.url("/sign-in"))
        .header("origin", "https://evil.example")
        .header("sec-fetch-site", "cross-site")
        .form(&with_token)
        .send()
        .await
        .expect("sent");
    assert_eq!(cross_site.status(), 403);
    let accepted = client.post(app.url("/sign-in")).form(&with_token).send().await.expect("sent");
    assert_eq!(accepted.status(), 303, "signed in and redirected");
    assert_eq!(accepted.headers()["location"], "/security-setup");
    let cookie = accepted.headers()["set-cookie"].to_str().expect("cookie");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
}

pub async fn every_path_in_the_openapi_document_is_served(app: &TestApp) {
    let document = app.call(Method::GET, "/api/v1/openapi.json", None, None).await;
    assert_eq!(document.status, 200);
    let paths = document.body["paths"].as_object().expect("paths");
    assert!(paths.len() >= 15);
    for (path, operations) in paths {
        for method in operations.as_object().expect("operations").keys() {
            let method: Method = method.to_uppercase().parse().expect("method");
            let concrete = path.replace("{id}", "0123456789abcdef01234567");
            let answer = app.call(method.clone(), &concrete, None, None).await;
            // Unrouted paths answer the fallback's 404 `not_found`, or 405 for a wrong method.
            let routed = answer.status != 405 && !(answer.status == 404 && answer.body["detail"] == "no such resource");
            assert!(routed, "{method} {path} is documented but not served ({})", answer.status);
        }
    }
}

pub async fn unknown_pages_get_a_page_and_unknown_api_paths_a_problem(app: &TestApp) {
    let page = app.http.get(app.url("/no-such-page")).send().await.expect("sent");
    assert_eq!(page.status(), 404);
    assert!(page.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let api = app.call(Method::GET, "/api/v1/no-such-thing", None, None).await;
    assert_eq!((api.status, api.code()), (404, "not_found"));
}

pub async fn metrics_count_requests_by_route_not_by_path(app: &TestApp) {
    app.call(Method::GET, "/api/v1/security-questions", None, None).await;
    app.call(Method::DELETE, "/api/v1/me/sessions/some-session-id", None, Some("x")).await;
    let metrics = app.http.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(metrics.contains("ellis_http_requests_total"), "{metrics}");
    assert!(metrics.contains(r#"route="/api/v1/security-questions""#));
    assert!(metrics.contains(r#"route="/api/v1/me/sessions/{id}""#));
    assert!(!metrics.contains("some-session-id"), "raw paths never become labels");

    // Each (method, route, status) series counts its own requests; the process's recorder is shared by
    // every test app, so the check is on the increase.
    let count = |metrics: &str, status: &str| -> u64 {
        metrics
            .lines()
            .filter(|l| l.starts_with("ellis_http_requests_total{"))
            .filter(|l| l.contains(r#"route="/api/v1/me""#) && l.contains(&format!(r#"status="{status}""#)))
            .filter_map(|l| l.rsplit(' ').next()?.parse::<u64>().ok())
            .sum()
    };
    let holder = app.holder("metrics@example.org").await;
    let token = app.two_factor_session(&holder).await;
    let before = app.http.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert_eq!(app.call(Method::GET, "/api/v1/me", None, Some(&token)).await.status, 200);
    for _ in 0..3 {
        app.call(Method::GET, "/api/v1/me", None, None).await;
    }
    app.call(Method::GET, "/api/v1/me", None, Some("not-a-token")).await;
    let after = app.http.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(count(&after, "200") > count(&before, "200"), "{after}");
    assert!(count(&after, "401") >= count(&before, "401") + 4, "{after}");
}

pub async fn a_failed_form_opens_with_a_summary_linking_to_each_field(app: &TestApp) {
    let client = reqwest::Client::builder().cookie_store(true).build().expect("client");
    let page = client.get(app.url("/sign-up")).send().await.unwrap().text().await.unwrap();
    let csrf = page.split("name=\"csrf\" value=\"").nth(1).and_then(|rest| rest.split('"').next()).unwrap();
    let form = [
        ("csrf", csrf),
        ("given_name", "Ana"),
        ("family_name", ""),
        ("date_of_birth", "1990-04-01"),
        ("email", "ana@"),
        ("password", "short"),
    ];
    let answer = client.post(app.url("/sign-up")).form(&form).send().await.unwrap();
    assert_eq!(answer.status(), 422);
    let html = answer.text().await.unwrap();
    let summary = html.split("error-summary").nth(1).expect("an error summary").split("</div>").next().unwrap();
    for field in ["family_name", "email", "password"] {
        assert!(summary.contains(&format!("href=\"#{field}\"")), "summary links to {field}: {summary}");
        assert!(html.contains(&format!("id=\"{field}\"")), "an input carries the id {field}");
    }
    assert!(!summary.contains("#given_name"), "valid fields are not listed");
    assert!(html.contains("value=\"Ana\""), "what was typed is kept");
    assert!(!html.contains("value=\"short\""), "the password is never echoed back");
}

pub async fn signing_in_again_in_the_browser_replaces_the_earlier_session(app: &TestApp) {
    app.register_verified("ana@example.org").await;
    let client =
        reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
    for _ in 0..2 {
        let page = client.get(app.url("/sign-in")).send().await.unwrap().text().await.unwrap();
        let csrf = page.split("name=\"csrf\" value=\"").nth(1).and_then(|rest| rest.split('"').next()).unwrap();
        let form = [("csrf", csrf), ("email", "ana@example.org"), ("password", crate::support::api::PASSWORD)];
        assert_eq!(client.post(app.url("/sign-in")).form(&form).send().await.unwrap().status(), 303);
    }
    let account = app.state.store.account_by_email(&ellis_core::EmailAddress::parse("ana@example.org").unwrap()).await;
    let open = app.state.store.open_sessions(account.unwrap().unwrap().id).await.unwrap();
    assert_eq!(open.len(), 1, "one browser, one session");
}

/// The value of the session cookie a response sets, if it sets one.
fn session_cookie_set_by(response: &reqwest::Response) -> Option<String> {
    response.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).find_map(|cookie| {
        cookie.strip_prefix("ellis_session=").map(|rest| rest.split(';').next().unwrap_or("").to_owned())
    })
}

pub async fn the_session_cookie_gets_a_new_value_at_sign_in_and_at_the_second_factor(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let client =
        reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let page = client.get(app.url("/sign-in")).send().await.unwrap().text().await.unwrap();
    let csrf = page.split("name=\"csrf\" value=\"").nth(1).and_then(|rest| rest.split('"').next()).unwrap().to_owned();
    let form = [("csrf", csrf.as_str()), ("email", holder.email.as_str()), ("password", holder.password.as_str())];
    let signed_in = client.post(app.url("/sign-in")).form(&form).send().await.unwrap();
    assert_eq!(signed_in.headers()["location"], "/sign-in/second-factor");
    let before = session_cookie_set_by(&signed_in).expect("a session cookie at sign-in");

    let code = holder.totp.code_at(app.now_unix());
    let form = [("csrf", csrf.as_str()), ("method", "totp"), ("code", code.as_str())];
    let stepped_up = client.post(app.url("/sign-in/second-factor")).form(&form).send().await.unwrap();
    assert_eq!(stepped_up.headers()["location"], "/account");
    let after = session_cookie_set_by(&stepped_up).expect("a new session cookie at the second factor");
    assert_ne!(before, after);
    // Session tokens are one kind whatever carries them, so the API shows which value still works.
    assert_eq!(app.get("/api/v1/me", &before).await.code(), "unauthenticated", "the pre-step-up value is dead");
    assert_eq!(app.get("/api/v1/me", &after).await.status, 200);
}
