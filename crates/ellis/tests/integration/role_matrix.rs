//! The role matrix (issue 5): every route ellis serves × every kind of caller (anonymous, the applicant who
//! owns the case, another applicant, officer, support, admin), with who must get through. The routes come
//! from the router itself (`route_paths`) and each path's methods from its own 405 answer, so a route
//! added without a row here fails the test, and so does a row for a route that no longer exists.
//!
//! "Gets through" means the request reached the handler's business: any answer except the refusals. For
//! the API the refusals are 401, 403 and 404 (another person's case is "not found"); for pages they are a
//! redirect to a sign-in step, 403 and 404. Bodies are empty (`{}`, or a form with just its token), so the
//! callers who get through are mostly told their input is invalid, and nothing is changed by accident.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use reqwest::Method;
use serde_json::json;

use crate::staff::{Staff, staff_member, staff_session};
use crate::support::TestApp;
use crate::support::api::Holder;

/// The API's answers that mean "not you" or "not yet": anything else reached the handler's business.
const API_REFUSALS: &[&str] = &[
    "unauthenticated",
    "forbidden",
    "not_found",
    "second_factor_required",
    "setup_required",
    "step_up_required",
    "recovery_required",
];

const CSRF: &str = "role-matrix-form-token-0123456789abcdef";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Caller {
    Anonymous,
    Owner,
    Other,
    Officer,
    Support,
    Admin,
}

const CALLERS: [Caller; 6] =
    [Caller::Anonymous, Caller::Owner, Caller::Other, Caller::Officer, Caller::Support, Caller::Admin];

/// Who gets through, as letters: A anonymous, O owner, X other applicant, F officer, S support, D admin.
const ALL: &str = "AOXFSD";
const APPLICANTS: &str = "OX";
const OWNER: &str = "O";
const STAFF: &str = "FSD";
const OFFICER: &str = "F";
const SUPPORT: &str = "S";
const ADMIN: &str = "D";
const CASE_READERS: &str = "FS";

fn letter(caller: Caller) -> char {
    match caller {
        Caller::Anonymous => 'A',
        Caller::Owner => 'O',
        Caller::Other => 'X',
        Caller::Officer => 'F',
        Caller::Support => 'S',
        Caller::Admin => 'D',
    }
}

/// A row: method, path as the router spells it, who gets through, and whether the request may end the
/// caller's session or account (such rows run last, each with callers made for it alone).
struct Row(&'static str, &'static str, &'static str, bool);

const fn row(method: &'static str, path: &'static str, through: &'static str) -> Row {
    Row(method, path, through, false)
}

const fn ending(method: &'static str, path: &'static str, through: &'static str) -> Row {
    Row(method, path, through, true)
}

const MATRIX: &[Row] = &[
    // Operations and static files.
    row("GET", "/health", ALL),
    row("GET", "/ready", ALL),
    row("GET", "/metrics", ALL),
    row("GET", "/static/app.css", ALL),
    row("GET", "/api/v1/openapi.json", ALL),
    // Public API.
    row("POST", "/api/v1/accounts", ALL),
    row("POST", "/api/v1/email-verifications", ALL),
    row("POST", "/api/v1/email-verifications/resend", ALL),
    row("POST", "/api/v1/sessions", ALL),
    row("POST", "/api/v1/password-resets", ALL),
    row("POST", "/api/v1/password-resets/confirm", ALL),
    row("POST", "/api/v1/password-resets/email-code", ALL),
    row("POST", "/api/v1/password-resets/questions", ALL),
    row("POST", "/api/v1/password-resets/recovery", ALL),
    row("POST", "/api/v1/username-reminders", ALL),
    row("POST", "/api/v1/compromise-reports", ALL),
    row("POST", "/api/v1/recoveries/cancel", ALL),
    row("POST", "/api/v1/email-changes/confirm", ALL),
    row("GET", "/api/v1/security-questions", ALL),
    row("GET", "/api/v1/forms", ALL),
    row("GET", "/api/v1/notices/verify/{code}", ALL),
    row("GET", "/api/v1/case-status/{receipt}", ALL),
    row("POST", "/api/v1/staff/setup", ALL),
    row("POST", "/api/v1/staff/setup/confirm", ALL),
    row("POST", "/api/v1/staff/sessions", ALL),
    // An applicant's own account.
    row("POST", "/api/v1/sessions/current/second-factor", APPLICANTS),
    row("POST", "/api/v1/sessions/current/email-code", APPLICANTS),
    row("GET", "/api/v1/me", APPLICANTS),
    row("PATCH", "/api/v1/me", APPLICANTS),
    row("PUT", "/api/v1/me/security-questions", APPLICANTS),
    row("POST", "/api/v1/me/totp", APPLICANTS),
    row("POST", "/api/v1/me/totp/confirm", APPLICANTS),
    row("POST", "/api/v1/me/backup-codes", APPLICANTS),
    row("GET", "/api/v1/me/events", APPLICANTS),
    row("GET", "/api/v1/me/events/export", APPLICANTS),
    row("GET", "/api/v1/me/sessions", APPLICANTS),
    row("DELETE", "/api/v1/me/sessions/{id}", OWNER),
    row("POST", "/api/v1/me/email-change", APPLICANTS),
    row("PUT", "/api/v1/me/password", APPLICANTS),
    // An applicant's cases: the list is their own; one case, its notices and files only for its owner.
    row("GET", "/api/v1/cases", APPLICANTS),
    row("POST", "/api/v1/cases", APPLICANTS),
    row("POST", "/api/v1/cases/link", APPLICANTS),
    row("GET", "/api/v1/drafts/{form_type}", APPLICANTS),
    row("PUT", "/api/v1/drafts/{form_type}", APPLICANTS),
    row("GET", "/api/v1/cases/{receipt}", OWNER),
    row("GET", "/api/v1/cases/{receipt}/notices", OWNER),
    row("GET", "/api/v1/cases/{receipt}/evidence", OWNER),
    row("POST", "/api/v1/cases/{receipt}/evidence", OWNER),
    row("GET", "/api/v1/evidence/{id}", OWNER),
    row("GET", "/api/v1/notices/{id}/pdf", OWNER),
    // Staff API.
    row("POST", "/api/v1/staff/sessions/current/second-factor", STAFF),
    row("GET", "/api/v1/staff/status-catalogue", STAFF),
    row("GET", "/api/v1/staff/cases", OFFICER),
    row("GET", "/api/v1/staff/cases/{receipt}", CASE_READERS),
    row("POST", "/api/v1/staff/cases/{receipt}/actions", OFFICER),
    row("POST", "/api/v1/staff/paper-cases", OFFICER),
    row("POST", "/api/v1/staff/notices/{id}/mail-copy", OFFICER),
    row("GET", "/api/v1/staff/accounts", SUPPORT),
    row("GET", "/api/v1/staff/accounts/{number}", SUPPORT),
    row("POST", "/api/v1/staff/accounts/{number}/{action}", SUPPORT),
    row("POST", "/api/v1/staff/accounts/{number}/verify-caller", SUPPORT),
    row("GET", "/api/v1/staff/consolidations", SUPPORT),
    row("POST", "/api/v1/staff/consolidations", SUPPORT),
    row("POST", "/api/v1/staff/consolidations/{id}/approve", SUPPORT),
    row("GET", "/api/v1/staff/members", ADMIN),
    row("POST", "/api/v1/staff/members", ADMIN),
    row("PATCH", "/api/v1/staff/members/{id}", ADMIN),
    row("GET", "/api/v1/staff/audit", ADMIN),
    // Public pages.
    row("GET", "/", ALL),
    row("GET", "/sign-up", ALL),
    row("POST", "/sign-up", ALL),
    row("GET", "/verify-email", ALL),
    row("POST", "/verify-email", ALL),
    row("GET", "/sign-in", ALL),
    row("POST", "/sign-in", ALL),
    row("GET", "/forgot-password", ALL),
    row("POST", "/forgot-password", ALL),
    row("GET", "/forgot-username", ALL),
    row("POST", "/forgot-username", ALL),
    row("GET", "/reset-password", ALL),
    row("POST", "/reset-password", ALL),
    row("POST", "/reset-password/email-code", ALL),
    row("GET", "/reset-password/recovery", ALL),
    row("POST", "/reset-password/recovery", ALL),
    row("GET", "/report-compromise", ALL),
    row("POST", "/report-compromise", ALL),
    row("GET", "/cancel-recovery", ALL),
    row("POST", "/cancel-recovery", ALL),
    row("GET", "/confirm-email-change", ALL),
    row("POST", "/confirm-email-change", ALL),
    row("GET", "/case-status", ALL),
    row("GET", "/notices/verify", ALL),
    row("GET", "/staff/sign-in", ALL),
    row("POST", "/staff/sign-in", ALL),
    row("GET", "/staff/setup", ALL),
    row("POST", "/staff/setup", ALL),
    row("POST", "/staff/setup/confirm", ALL),
    // An applicant's pages.
    row("GET", "/sign-in/second-factor", APPLICANTS),
    row("POST", "/sign-in/second-factor", APPLICANTS),
    row("POST", "/sign-in/email-code", APPLICANTS),
    row("GET", "/security-setup", APPLICANTS),
    row("POST", "/security-setup/questions", APPLICANTS),
    row("POST", "/security-setup/authenticator", APPLICANTS),
    row("POST", "/security-setup/authenticator/confirm", APPLICANTS),
    row("GET", "/account", APPLICANTS),
    row("POST", "/account", APPLICANTS),
    row("GET", "/account/history", APPLICANTS),
    row("GET", "/account/history/download", APPLICANTS),
    row("GET", "/account/security", APPLICANTS),
    row("POST", "/account/security/sessions/{id}/end", OWNER),
    row("POST", "/account/security/email", APPLICANTS),
    row("POST", "/account/security/password", APPLICANTS),
    row("POST", "/account/security/backup-codes", APPLICANTS),
    row("GET", "/cases", APPLICANTS),
    row("GET", "/cases/new", APPLICANTS),
    row("GET", "/cases/link", APPLICANTS),
    row("POST", "/cases/link", APPLICANTS),
    row("GET", "/cases/new/{form}", APPLICANTS),
    row("POST", "/cases/new/{form}", APPLICANTS),
    row("GET", "/cases/{receipt}", OWNER),
    row("POST", "/cases/{receipt}/evidence", OWNER),
    row("GET", "/evidence/{id}", OWNER),
    row("GET", "/notices/{id}/pdf", OWNER),
    // Staff pages.
    row("GET", "/staff", STAFF),
    row("GET", "/staff/second-factor", STAFF),
    row("POST", "/staff/second-factor", STAFF),
    row("GET", "/staff/queue", OFFICER),
    row("GET", "/staff/cases/{receipt}", CASE_READERS),
    row("POST", "/staff/cases/{receipt}/actions", OFFICER),
    row("GET", "/staff/notices/{id}/pdf", CASE_READERS),
    row("GET", "/staff/evidence/{id}", CASE_READERS),
    row("GET", "/staff/intake", OFFICER),
    row("POST", "/staff/intake/mail-copy", OFFICER),
    row("GET", "/staff/intake/{form}", OFFICER),
    row("POST", "/staff/intake/{form}", OFFICER),
    row("GET", "/staff/support", SUPPORT),
    row("GET", "/staff/support/accounts/{number}", SUPPORT),
    row("POST", "/staff/support/accounts/{number}/{action}", SUPPORT),
    row("POST", "/staff/support/accounts/{number}/verify-caller", SUPPORT),
    row("POST", "/staff/support/consolidations", SUPPORT),
    row("POST", "/staff/support/consolidations/{id}/approve", SUPPORT),
    row("GET", "/staff/members", ADMIN),
    row("POST", "/staff/members", ADMIN),
    row("POST", "/staff/members/{id}", ADMIN),
    row("GET", "/staff/audit", ADMIN),
    // Ending every other session (after the rows that end one spare session each).
    row("DELETE", "/api/v1/me/sessions", APPLICANTS),
    row("POST", "/account/security/sessions/end-others", APPLICANTS),
    // Requests that end the caller's session or lock their account.
    ending("DELETE", "/api/v1/sessions/current", APPLICANTS),
    ending("POST", "/sign-out", ALL),
    ending("POST", "/api/v1/me/compromise-report", APPLICANTS),
    ending("POST", "/account/security/compromise", APPLICANTS),
    ending("DELETE", "/api/v1/staff/sessions/current", STAFF),
    ending("POST", "/staff/sign-out", STAFF),
];

/// Every (method, path) the router serves, found by asking each path which methods it allows.
async fn served_routes(app: &TestApp) -> BTreeSet<(String, &'static str)> {
    let mut served = BTreeSet::new();
    for path in ellis::web::router::route_paths(&app.state.config) {
        let url = app.url(&path.replace('{', "x").replace('}', ""));
        let answer = app
            .http
            .request(Method::TRACE, url)
            .header("cookie", format!("ellis_csrf={CSRF}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("csrf={CSRF}"))
            .send()
            .await
            .expect("probe");
        assert_eq!(answer.status(), 405, "TRACE {path} should be refused by its method router");
        let allow = answer.headers().get("allow").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
        for method in allow.split(',').map(str::trim).filter(|m| !m.is_empty() && *m != "HEAD") {
            served.insert((method.to_owned(), path));
        }
    }
    served
}

/// What a caller sends: bearer token and cookies (each side ignores the other's).
#[derive(Clone, Default)]
struct Credentials {
    applicant: Option<String>,
    staff: Option<String>,
}

/// The callers, and the things the paths name.
struct World {
    callers: Vec<(Caller, Credentials)>,
    receipt: String,
    account_number: String,
    notice: String,
    verification_code: String,
    evidence: String,
    spare_sessions: [String; 2],
    consolidation: String,
    member: String,
    access_notice: String,
}

async fn applicant(app: &TestApp, email: &str) -> (Holder, String) {
    let holder = app.holder(email).await;
    let token = app.two_factor_session(&holder).await;
    let draft = json!({"fields": {"family_name": "Díaz"}});
    let saved = app.call(Method::PUT, "/api/v1/drafts/I-90", Some(draft), Some(&token)).await;
    assert!(saved.status < 300, "{}", saved.raw);
    (holder, token)
}

async fn build_world(app: &TestApp) -> World {
    let (owner, owner_token) = applicant(app, "owner@example.org").await;
    let (_, other_token) = applicant(app, "other@example.org").await;
    let filing = json!({"form_type": "I-90", "fields": crate::cases::i90_fields()});
    let receipt = app.post("/api/v1/cases", filing, Some(&owner_token)).await.body["receipt_number"]
        .as_str()
        .expect("filed")
        .to_owned();
    let officer = staff_session(app, &staff_member(app, "officer@uscis.example", "officer").await).await;
    let support = staff_session(app, &staff_member(app, "support@uscis.example", "support").await).await;
    let admin = staff_session(app, &staff_member(app, "admin@uscis.example", "admin").await).await;

    let rfe = json!({"status_title": "Request for Initial Evidence Was Sent", "due_date": "2027-03-01"});
    let moved = app.post(&format!("/api/v1/staff/cases/{receipt}/actions"), rfe, Some(&officer)).await;
    assert_eq!(moved.status, 200, "{}", moved.raw);
    let evidence = crate::evidence::upload_pdf(app, &owner_token, &receipt).await;
    let notices = app.get(&format!("/api/v1/cases/{receipt}/notices"), &owner_token).await;
    let notice = notices.body[0]["id"].as_str().expect("notice").to_owned();
    let verification_code = notices.body[0]["verification_code"].as_str().expect("code").to_owned();

    let mut spare_sessions = Vec::new();
    for _ in 0..2 {
        app.two_factor_session(&owner).await;
    }
    let sessions = app.get("/api/v1/me/sessions", &owner_token).await;
    for session in sessions.body.as_array().expect("sessions") {
        if session["current"] != true && spare_sessions.len() < 2 {
            spare_sessions.push(session["id"].as_str().expect("id").to_owned());
        }
    }
    let spare_sessions: [String; 2] = spare_sessions.try_into().expect("two spare sessions");

    // Two throwaway accounts and a proposal to merge them, by a support agent who is not a caller here.
    let first = app.holder("first@example.org").await;
    let second = app.holder("second@example.org").await;
    let proposer = staff_session(app, &staff_member(app, "proposer@uscis.example", "support").await).await;
    let proposal = json!({"keep": first.account_number, "retire": second.account_number, "reason": "Duplicate"});
    let consolidation = app.post("/api/v1/staff/consolidations", proposal, Some(&proposer)).await.body["id"]
        .as_str()
        .expect("proposal")
        .to_owned();
    let applicant = json!({"given_name": "Luis", "family_name": "Ruiz",
        "mailing_address": {"line1": "5 Oak Ave", "city": "Lincoln", "state": "NE", "zip": "68508"}});
    let paper = app
        .post(
            "/api/v1/staff/paper-cases",
            json!({"form_type": "I-765", "prefix": "LIN", "applicant": applicant}),
            Some(&officer),
        )
        .await;
    let access_notice = paper.body["notices"][1]["id"].as_str().expect("an Account Access Notice").to_owned();
    let (member, _) = ellis::services::staff::identity::create(&app.state, "temp@uscis.example", "Temp", "officer")
        .await
        .expect("member");

    let callers = vec![
        (Caller::Anonymous, Credentials::default()),
        (Caller::Owner, Credentials { applicant: Some(owner_token), staff: None }),
        (Caller::Other, Credentials { applicant: Some(other_token), staff: None }),
        (Caller::Officer, Credentials { applicant: None, staff: Some(officer) }),
        (Caller::Support, Credentials { applicant: None, staff: Some(support) }),
        (Caller::Admin, Credentials { applicant: None, staff: Some(admin) }),
    ];
    World {
        callers,
        receipt,
        account_number: owner.account_number,
        notice,
        verification_code,
        evidence,
        spare_sessions,
        consolidation,
        member: member.0.to_string(),
        access_notice,
    }
}

/// Callers made for one session-ending row: new applicants, new sessions for the staff.
async fn fresh_callers(app: &TestApp, round: usize) -> Vec<(Caller, Credentials)> {
    let owner = app.holder(&format!("owner{round}@example.org")).await;
    let other = app.holder(&format!("other{round}@example.org")).await;
    let mut callers = vec![
        (Caller::Anonymous, Credentials::default()),
        (Caller::Owner, Credentials { applicant: Some(app.two_factor_session(&owner).await), staff: None }),
        (Caller::Other, Credentials { applicant: Some(app.two_factor_session(&other).await), staff: None }),
    ];
    for (caller, email) in [
        (Caller::Officer, "officer@uscis.example"),
        (Caller::Support, "support@uscis.example"),
        (Caller::Admin, "admin@uscis.example"),
    ] {
        let totp = ellis_core::totp::TotpSecret::from_base32(&staff_secret(app, email).await).expect("secret");
        let token = staff_session(app, &Staff { email: email.to_owned(), totp }).await;
        callers.push((caller, Credentials { applicant: None, staff: Some(token) }));
    }
    callers
}

async fn staff_secret(app: &TestApp, email: &str) -> String {
    let email = ellis_core::EmailAddress::parse(email).expect("email");
    app.state.store.staff_by_email(&email).await.expect("read").expect("member").totp_secret.expect("secret")
}

/// The concrete URL for a row.
fn url_for(world: &World, path: &str) -> String {
    let id = match path {
        "/api/v1/me/sessions/{id}" => &world.spare_sessions[0],
        "/account/security/sessions/{id}/end" => &world.spare_sessions[1],
        "/api/v1/evidence/{id}" | "/evidence/{id}" | "/staff/evidence/{id}" => &world.evidence,
        "/api/v1/staff/consolidations/{id}/approve" | "/staff/support/consolidations/{id}/approve" => {
            &world.consolidation
        }
        "/api/v1/staff/members/{id}" | "/staff/members/{id}" => &world.member,
        "/api/v1/staff/notices/{id}/mail-copy" => &world.access_notice,
        _ => &world.notice,
    };
    path.replace("{receipt}", &world.receipt)
        .replace("{number}", &world.account_number)
        .replace("{action}", "unlock")
        .replace("{form_type}", "I-90")
        .replace("{form}", "I-90")
        .replace("{code}", &world.verification_code)
        .replace("{id}", id)
}

/// Sends one row's request as one caller; true when it got through.
async fn got_through(app: &TestApp, method: &str, url: &str, credentials: &Credentials) -> (bool, String) {
    let api = url.starts_with("/api/");
    let mut cookies = vec![format!("ellis_csrf={CSRF}")];
    let mut request = app.http.request(method.parse().expect("method"), app.url(url));
    if let Some(token) = &credentials.applicant {
        cookies.push(format!("ellis_session={token}"));
        request = request.bearer_auth(token);
    }
    if let Some(token) = &credentials.staff {
        cookies.push(format!("ellis_staff={token}"));
        request = request.bearer_auth(token);
    }
    request = request.header("cookie", cookies.join("; "));
    if method != "GET" {
        request = if url.ends_with("/evidence") {
            // An upload with no files, so the handler reaches the service (and its ownership check).
            let url = if api { app.url(url) } else { app.url(&format!("{url}?csrf={CSRF}")) };
            let mut upload = app.http.request(method.parse().expect("method"), url);
            for (name, value) in request.build().expect("request").headers() {
                upload = upload.header(name, value);
            }
            upload.header("content-type", "multipart/form-data; boundary=XYZ").body("--XYZ--\r\n")
        } else if api {
            request.json(&json!({}))
        } else {
            request.header("content-type", "application/x-www-form-urlencoded").body(format!("csrf={CSRF}"))
        };
    }
    let answer = request.send().await.expect("request");
    let status = answer.status().as_u16();
    let location = answer.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let body = answer.text().await.unwrap_or_default();
    let refused = if api {
        let code =
            serde_json::from_str::<serde_json::Value>(&body).ok().and_then(|b| b["code"].as_str().map(str::to_owned));
        code.is_some_and(|code| API_REFUSALS.contains(&code.as_str()))
    } else {
        let to_sign_in = ["/sign-in", "/staff/sign-in", "/staff/second-factor"].iter().any(|p| location.starts_with(p));
        to_sign_in || matches!(status, 403 | 404)
    };
    (!refused, format!("{status} {location}"))
}

pub async fn every_route_answers_each_kind_of_caller_as_the_matrix_says(app: &TestApp) {
    let served = served_routes(app).await;
    let listed: BTreeSet<(String, &'static str)> = MATRIX.iter().map(|r| (r.0.to_owned(), r.1)).collect();
    let unlisted: Vec<_> = served.difference(&listed).collect();
    let gone: Vec<_> = listed.difference(&served).collect();
    assert!(unlisted.is_empty(), "routes without a row in the role matrix: {unlisted:?}");
    assert!(gone.is_empty(), "rows for routes the router does not serve: {gone:?}");
    assert_eq!(listed.len(), MATRIX.len(), "one row per route");

    let mut world = build_world(app).await;
    let mut wrong = String::new();
    let mut checked = 0;
    for (round, Row(method, path, through, ending)) in MATRIX.iter().enumerate() {
        if *ending {
            world.callers = fresh_callers(app, round).await;
        }
        let url = url_for(&world, path);
        for (caller, credentials) in &world.callers {
            let expected = through.contains(letter(*caller));
            let (actual, answer) = got_through(app, method, &url, credentials).await;
            checked += 1;
            if actual != expected {
                let verdict = if actual { "UNEXPECTED ALLOW" } else { "unexpected refusal" };
                let _ = writeln!(wrong, "{verdict}: {method} {path} as {caller:?} -> {answer}");
            }
        }
    }
    assert!(wrong.is_empty(), "the role matrix does not hold:\n{wrong}");
    assert_eq!(checked, MATRIX.len() * CALLERS.len());
}
