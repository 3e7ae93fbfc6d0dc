//! The agency's admin and desk work beyond single-account actions: managing staff members, searching the
//! audit, verifying a caller by security answers, and consolidating duplicate accounts under the two-person
//! rule (API.md "Agency staff").

use reqwest::Method;
use serde_json::json;
use time::Duration;

use crate::staff::{Staff, staff_member, staff_session};
use crate::support::TestApp;
use crate::support::api::Holder;

fn setup_token(link: &str) -> String {
    link.split("token=").nth(1).expect("token in the link").to_owned()
}

pub async fn admins_create_change_and_disable_staff_members(app: &TestApp) {
    let admin = staff_member(app, "ada@uscis.example", "admin").await;
    let admin = staff_session(app, &admin).await;
    let created = app
        .post(
            "/api/v1/staff/members",
            json!({"email": "pat@uscis.example", "name": "Pat Officer", "role": "officer"}),
            Some(&admin),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.raw);
    assert_eq!((created.body["role"].as_str(), created.body["ready"].as_bool()), (Some("officer"), Some(false)));
    let id = created.body["id"].as_str().unwrap().to_owned();
    let link = created.body["setup_link"].as_str().unwrap();
    assert!(link.contains("/staff/setup?token="), "{link}");

    // The new member sets up from the link like anyone created on the command line.
    let token = setup_token(link);
    let setup =
        app.post("/api/v1/staff/setup", json!({"token": token, "password": crate::staff::STAFF_PASSWORD}), None).await;
    let totp = ellis_core::totp::TotpSecret::from_base32(setup.body["totp_secret"].as_str().unwrap()).unwrap();
    let confirm = json!({"token": token, "code": totp.code_at(app.now_unix())});
    assert_eq!(app.post("/api/v1/staff/setup/confirm", confirm, None).await.status, 200);
    app.advance(Duration::seconds(30));
    let officer = staff_session(app, &Staff { email: "pat@uscis.example".into(), totp }).await;
    assert_eq!(app.get("/api/v1/staff/cases", &officer).await.status, 200);

    let taken = app
        .post(
            "/api/v1/staff/members",
            json!({"email": "pat@uscis.example", "name": "Pat Two", "role": "support"}),
            Some(&admin),
        )
        .await;
    assert_eq!(taken.fields(), ["email"]);
    let bad_role = app
        .call(Method::PATCH, &format!("/api/v1/staff/members/{id}"), Some(json!({"role": "root"})), Some(&admin))
        .await;
    assert_eq!((bad_role.status, bad_role.fields()), (422, vec!["role".to_owned()]));

    // A new role takes effect on the member's next request.
    let moved = app
        .call(Method::PATCH, &format!("/api/v1/staff/members/{id}"), Some(json!({"role": "support"})), Some(&admin))
        .await;
    assert_eq!(moved.body["role"], "support", "{}", moved.raw);
    assert_eq!(app.get("/api/v1/staff/cases", &officer).await.code(), "forbidden");
    assert_eq!(app.get("/api/v1/staff/members", &officer).await.code(), "forbidden");

    // Disabling ends the member's sessions at once and keeps them out.
    let disabled = app
        .call(Method::PATCH, &format!("/api/v1/staff/members/{id}"), Some(json!({"disabled": true})), Some(&admin))
        .await;
    assert_eq!(disabled.body["disabled"], true, "{}", disabled.raw);
    assert_eq!(app.get("/api/v1/staff/status-catalogue", &officer).await.code(), "unauthenticated");
    let again = app
        .post(
            "/api/v1/staff/sessions",
            json!({"email": "pat@uscis.example", "password": crate::staff::STAFF_PASSWORD}),
            None,
        )
        .await;
    assert_eq!(again.code(), "invalid_credentials");

    let list = app.get("/api/v1/staff/members", &admin).await;
    let emails: Vec<&str> = list.body.as_array().unwrap().iter().map(|m| m["email"].as_str().unwrap()).collect();
    assert_eq!(emails.len(), 2, "{}", list.raw);
    let own_id = list.body.as_array().unwrap().iter().find(|m| m["email"] == "ada@uscis.example").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let own = app
        .call(Method::PATCH, &format!("/api/v1/staff/members/{own_id}"), Some(json!({"disabled": true})), Some(&admin))
        .await;
    assert_eq!(own.status, 409, "an admin cannot lock themselves out: {}", own.raw);
    let missing =
        app.call(Method::PATCH, "/api/v1/staff/members/12345", Some(json!({"disabled": true})), Some(&admin)).await;
    assert_eq!(missing.status, 404);
}

pub async fn admins_search_the_audit_by_account_and_by_staff(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let desk = staff_member(app, "sam@uscis.example", "support").await;
    let desk = staff_session(app, &desk).await;
    let read = app.get(&format!("/api/v1/staff/accounts/{}", holder.account_number), &desk).await;
    assert_eq!(read.status, 200, "{}", read.raw);
    app.advance(Duration::seconds(1));
    let reason = json!({"reason": "Caller asked why they cannot sign in"});
    app.post(&format!("/api/v1/staff/accounts/{}/unlock", holder.account_number), reason, Some(&desk)).await;

    let admin = staff_member(app, "ada@uscis.example", "admin").await;
    let admin = staff_session(app, &admin).await;
    let by_account = app.get(&format!("/api/v1/staff/audit?account={}", holder.account_number), &admin).await;
    assert_eq!(by_account.status, 200, "{}", by_account.raw);
    let lines = by_account.body.as_array().unwrap();
    let actions: Vec<&str> = lines.iter().map(|l| l["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["account.unlock", "account.read"], "newest first: {}", by_account.raw);
    assert_eq!(lines[0]["staff"], "sam@uscis.example");
    assert_eq!(lines[0]["account"], holder.account_number.as_str());
    assert_eq!(lines[0]["detail"], "Caller asked why they cannot sign in");
    assert!(lines[0]["at"].as_str().unwrap().ends_with('Z'));

    let by_staff = app.get("/api/v1/staff/audit?staff=sam@uscis.example", &admin).await;
    assert_eq!(by_staff.body.as_array().unwrap().len(), 2, "{}", by_staff.raw);
    let nobody = app.get("/api/v1/staff/audit?staff=nobody@uscis.example", &admin).await;
    assert_eq!(nobody.body.as_array().unwrap().len(), 0);
    let mut typo = holder.account_number.clone();
    let last = typo.pop().unwrap().to_digit(10).unwrap();
    typo.push(char::from_digit((last + 1) % 10, 10).unwrap());
    let typo = app.get(&format!("/api/v1/staff/audit?account={typo}"), &admin).await;
    assert_eq!((typo.status, typo.fields()), (422, vec!["account".to_owned()]));
    assert_eq!(app.get("/api/v1/staff/audit", &desk).await.code(), "forbidden");
}

pub async fn the_desk_checks_a_callers_answers_and_starts_their_recovery(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let desk = staff_member(app, "sam@uscis.example", "support").await;
    let desk = staff_session(app, &desk).await;
    let account = app.get(&format!("/api/v1/staff/accounts/{}", holder.account_number), &desk).await;
    let questions: Vec<i64> =
        account.body["security_questions"].as_array().unwrap().iter().map(|q| q["id"].as_i64().unwrap()).collect();
    assert_eq!(questions, [1, 2, 5], "{}", account.raw);
    assert!(!account.raw.contains("Fido"), "the desk sees the questions, never the answers");

    let url = format!("/api/v1/staff/accounts/{}/verify-caller", holder.account_number);
    let wrong = json!({"reason": "Lost phone", "answers": [
        {"question_id": 1, "answer": "Rex"}, {"question_id": 2, "answer": "San Antonio"},
        {"question_id": 5, "answer": "Mrs. Alvarez"}]});
    let refused = app.post(&url, wrong, Some(&desk)).await;
    assert_eq!((refused.status, refused.fields()), (422, vec!["answers".to_owned()]), "{}", refused.raw);
    let no_reason = app.post(&url, TestApp::three_answers(), Some(&desk)).await;
    assert_eq!(no_reason.fields(), ["reason"]);

    let mut right = TestApp::three_answers();
    right["reason"] = json!("Lost phone; caller verified");
    let right = app.post(&url, right, Some(&desk)).await;
    assert_eq!(right.status, 200, "{}", right.raw);
    assert!(right.body["recovery_ready_at"].is_string());
    let alert = app.email_to(&holder.email, "Someone started recovering your account").await;
    assert!(alert.text.contains("/cancel-recovery?token="), "{}", alert.text);

    // After the wait the holder sets a new password with nothing but the emailed link.
    app.advance(Duration::hours(24) + Duration::minutes(1));
    let token = app.reset_token(&holder.email).await;
    let reset = app.confirm_reset(&token, "quartz meadow lantern violin", None).await;
    assert_eq!(reset.status, 200, "{}", reset.raw);
    let events: Vec<String> = app
        .state
        .store
        .events(
            app.state
                .store
                .account_by_email(&ellis_core::EmailAddress::parse(&holder.email).unwrap())
                .await
                .unwrap()
                .unwrap()
                .id,
            50,
        )
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert!(events.contains(&"recovery_started_by_support".to_owned()), "{events:?}");
    assert!(events.contains(&"recovery_answers_failed".to_owned()), "{events:?}");
}

/// Two accounts of one person (the same name and date of birth): `ana` keeps, `ana.old` is retired.
async fn two_accounts(app: &TestApp) -> (Holder, Holder, String) {
    let keep = app.holder("ana@example.org").await;
    let retire = app.holder("ana.old@example.org").await;
    let token = app.two_factor_session(&retire).await;
    let filed = json!({"form_type": "I-90", "fields": crate::cases::i90_fields()});
    let receipt =
        app.post("/api/v1/cases", filed, Some(&token)).await.body["receipt_number"].as_str().unwrap().to_owned();
    (keep, retire, receipt)
}

async fn desk(app: &TestApp, email: &str) -> String {
    let member = staff_member(app, email, "support").await;
    staff_session(app, &member).await
}

pub async fn a_consolidation_needs_a_second_agent_and_moves_everything(app: &TestApp) {
    let (keep, retire, receipt) = two_accounts(app).await;
    let first = desk(app, "sam@uscis.example").await;
    let second = desk(app, "kim@uscis.example").await;

    let account = app.get(&format!("/api/v1/staff/accounts/{}", keep.account_number), &first).await;
    let duplicates: Vec<&str> = account.body["likely_duplicates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["account_number"].as_str().unwrap())
        .collect();
    assert_eq!(duplicates, [retire.account_number.as_str()], "{}", account.raw);

    let same = json!({"keep": keep.account_number, "retire": keep.account_number, "reason": "x"});
    assert_eq!(app.post("/api/v1/staff/consolidations", same, Some(&first)).await.fields(), ["retire"]);
    let proposal = json!({"keep": keep.account_number, "retire": retire.account_number,
                          "reason": "Caller created a second account after forgetting the first"});
    let proposed = app.post("/api/v1/staff/consolidations", proposal.clone(), Some(&first)).await;
    assert_eq!(
        (proposed.status, proposed.body["status"].as_str()),
        (201, Some("pending_approval")),
        "{}",
        proposed.raw
    );
    let id = proposed.body["id"].as_str().unwrap().to_owned();
    let twice = app.post("/api/v1/staff/consolidations", proposal, Some(&second)).await;
    assert_eq!(twice.status, 409, "one proposal per account at a time");
    let pending = app.get("/api/v1/staff/consolidations", &second).await;
    assert_eq!(pending.body[0]["id"], id.as_str());

    let own = app.post(&format!("/api/v1/staff/consolidations/{id}/approve"), json!({}), Some(&first)).await;
    assert_eq!((own.status, own.code()), (403, "forbidden"), "the proposer cannot approve");
    let before = app.get(&format!("/api/v1/staff/accounts/{}", retire.account_number), &first).await;
    assert_eq!(before.body["account_number"], retire.account_number.as_str(), "nothing moved yet");

    let approved = app.post(&format!("/api/v1/staff/consolidations/{id}/approve"), json!({}), Some(&second)).await;
    assert_eq!((approved.status, approved.body["status"].as_str()), (200, Some("done")), "{}", approved.raw);
    let again = app.post(&format!("/api/v1/staff/consolidations/{id}/approve"), json!({}), Some(&second)).await;
    assert_eq!(again.status, 409);

    // The retired number is now an alias: it resolves to the kept account everywhere.
    let alias = app.get(&format!("/api/v1/staff/accounts/{}", retire.account_number), &first).await;
    assert_eq!(alias.body["account_number"], keep.account_number.as_str(), "{}", alias.raw);
    let found = app.get(&format!("/api/v1/staff/accounts?q={}", retire.account_number), &first).await;
    assert_eq!(found.body[0]["account_number"], keep.account_number.as_str());
    let reminder =
        json!({"account_number": retire.account_number, "family_name": "Díaz", "date_of_birth": "1990-04-01"});
    assert_eq!(app.post("/api/v1/username-reminders", reminder, None).await.status, 202);
    app.email_to(&keep.email, "Your USCIS Online Account username").await;

    // The retired account cannot sign in; its case, notices and history are the kept account's now.
    assert_eq!(app.sign_in(&retire.email, &retire.password).await.code(), "invalid_credentials");
    assert_eq!(app.post("/api/v1/password-resets", json!({"email": retire.email}), None).await.status, 202);
    let token = app.two_factor_session(&keep).await;
    let case = app.get(&format!("/api/v1/cases/{receipt}"), &token).await;
    assert_eq!(case.status, 200, "{}", case.raw);
    let notices = app.get(&format!("/api/v1/cases/{receipt}/notices"), &token).await;
    let notice = notices.body[0]["id"].as_str().unwrap();
    let pdf = app.call(Method::GET, &format!("/api/v1/notices/{notice}/pdf"), None, Some(&token)).await;
    assert_eq!(pdf.status, 200);
    let history = app.get("/api/v1/me/events", &token).await;
    assert!(history.raw.contains("A support agent merged your other account into this one"), "{}", history.raw);
    assert!(history.raw.contains(&format!(
        "From account {}",
        ellis_core::AccountNumber::parse(&retire.account_number).unwrap().display()
    )));
    assert!(history.raw.contains("case_filed"), "the retired account's filing is in the kept history");
    assert!(app.state.store.event_chain(keep_id(app, &keep).await).await.unwrap().len() > 5);
    let (_, broken) = ellis::services::history::verify_all(&app.state.store).await.unwrap();
    assert!(broken.is_empty(), "every chain still verifies");

    app.email_to(&keep.email, "Your two accounts are now one").await;
    app.email_to(&retire.email, "This account was merged into your other account").await;

    let admin = staff_member(app, "ada@uscis.example", "admin").await;
    let admin = staff_session(app, &admin).await;
    let audit = app.get(&format!("/api/v1/staff/audit?account={}", retire.account_number), &admin).await;
    let actions: Vec<&str> = audit.body.as_array().unwrap().iter().map(|l| l["action"].as_str().unwrap()).collect();
    assert!(actions.contains(&"consolidation.propose") && actions.contains(&"consolidation.approve"), "{actions:?}");
}

async fn keep_id(app: &TestApp, holder: &Holder) -> ellis_core::AccountId {
    let email = ellis_core::EmailAddress::parse(&holder.email).unwrap();
    app.state.store.account_by_email(&email).await.unwrap().unwrap().id
}

pub async fn concurrent_approvals_of_one_proposal_do_the_work_once(app: &TestApp) {
    let (keep, retire, _) = two_accounts(app).await;
    let proposer = desk(app, "sam@uscis.example").await;
    let approvers = [desk(app, "kim@uscis.example").await, desk(app, "lee@uscis.example").await];
    let proposal = json!({"keep": keep.account_number, "retire": retire.account_number, "reason": "Duplicate"});
    let id = app.post("/api/v1/staff/consolidations", proposal, Some(&proposer)).await.body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/api/v1/staff/consolidations/{id}/approve");
    let attempts = (0..6).map(|i| app.post(&path, json!({}), Some(&approvers[i % 2])));
    let answers = crate::sign_in::futures_join_all(attempts).await;
    let statuses: Vec<u16> = answers.iter().map(|a| a.status).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == 200 || *s == 409), "{statuses:?}");
    let token = app.two_factor_session(&keep).await;
    let history = app.get("/api/v1/me/events", &token).await;
    assert_eq!(history.raw.matches("account_merged_in").count(), 1, "merged once: {}", history.raw);
    assert_eq!(app.emails_to(&keep.email).await.iter().filter(|e| e.subject.contains("now one")).count(), 1);
}

pub async fn a_consolidation_that_fails_half_way_changes_nothing(app: &TestApp) {
    let (keep, retire, receipt) = two_accounts(app).await;
    let proposer = desk(app, "sam@uscis.example").await;
    let approver = desk(app, "kim@uscis.example").await;
    let proposal = json!({"keep": keep.account_number, "retire": retire.account_number, "reason": "Duplicate"});
    let id = app.post("/api/v1/staff/consolidations", proposal, Some(&proposer)).await.body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // The move fails after the cases were re-pointed and before the account numbers were: a table it needs
    // is missing for a moment.
    app.execute_sql("alter table account_numbers rename to account_numbers_away").await;
    let failed = app.post(&format!("/api/v1/staff/consolidations/{id}/approve"), json!({}), Some(&approver)).await;
    app.execute_sql("alter table account_numbers_away rename to account_numbers").await;
    assert_eq!(failed.status, 500, "{}", failed.raw);

    let token = app.two_factor_session(&retire).await;
    assert_eq!(app.get(&format!("/api/v1/cases/{receipt}"), &token).await.status, 200, "the case did not move");
    let pending = app.get("/api/v1/staff/consolidations", &approver).await;
    assert_eq!(pending.body[0]["id"], id.as_str(), "still waiting: {}", pending.raw);
    let token = app.two_factor_session(&keep).await;
    let history = app.get("/api/v1/me/events", &token).await;
    assert!(!history.raw.contains("From account"), "{}", history.raw);
    assert!(app.emails_to(&keep.email).await.iter().all(|e| !e.subject.contains("now one")));

    let approved = app.post(&format!("/api/v1/staff/consolidations/{id}/approve"), json!({}), Some(&approver)).await;
    assert_eq!(approved.status, 200, "a retry after the fault succeeds: {}", approved.raw);
}

/// A cookie-keeping client signed in to the staff pages, and its form token.
async fn staff_pages(app: &TestApp, staff: &Staff) -> (reqwest::Client, String) {
    let client =
        reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let page = client.get(app.url("/staff/sign-in")).send().await.unwrap().text().await.unwrap();
    let csrf = page.split("name=\"csrf\" value=\"").nth(1).and_then(|rest| rest.split('"').next()).unwrap().to_owned();
    let form = [("csrf", csrf.as_str()), ("email", staff.email.as_str()), ("password", crate::staff::STAFF_PASSWORD)];
    let signed_in = client.post(app.url("/staff/sign-in")).form(&form).send().await.unwrap();
    assert_eq!(signed_in.headers()["location"], "/staff/second-factor");
    let code = staff.totp.code_at(app.now_unix());
    let form = [("csrf", csrf.as_str()), ("code", code.as_str())];
    let stepped = client.post(app.url("/staff/second-factor")).form(&form).send().await.unwrap();
    assert_eq!(stepped.headers()["location"], "/staff");
    app.advance(Duration::seconds(30));
    (client, csrf)
}

async fn page(client: &reqwest::Client, app: &TestApp, path: &str) -> (u16, String) {
    let answer = client.get(app.url(path)).send().await.unwrap();
    (answer.status().as_u16(), answer.text().await.unwrap())
}

async fn submit(client: &reqwest::Client, app: &TestApp, path: &str, form: &[(&str, &str)]) -> (u16, String, String) {
    let answer = client.post(app.url(path)).form(form).send().await.unwrap();
    let location = answer.headers().get("location").map(|l| l.to_str().unwrap().to_owned()).unwrap_or_default();
    (answer.status().as_u16(), location, answer.text().await.unwrap())
}

pub async fn the_support_desk_and_admin_pages_do_the_work_in_a_browser(app: &TestApp) {
    let (keep, retire, _) = two_accounts(app).await;
    let sam = staff_member(app, "sam@uscis.example", "support").await;
    let kim = staff_member(app, "kim@uscis.example", "support").await;
    let (desk, csrf) = staff_pages(app, &sam).await;

    let mut typo = keep.account_number.clone();
    let last = typo.pop().unwrap().to_digit(10).unwrap();
    typo.push(char::from_digit((last + 1) % 10, 10).unwrap());
    let (status, body) = page(&desk, app, &format!("/staff/support?q={typo}")).await;
    assert!(status == 200 && body.contains("check digit"), "{body}");
    let (_, body) = page(&desk, app, &format!("/staff/support?q={}", keep.email)).await;
    assert!(body.contains(&format!("/staff/support/accounts/{}", keep.account_number)), "{body}");

    let account_page = format!("/staff/support/accounts/{}", keep.account_number);
    let (_, body) = page(&desk, app, &account_page).await;
    assert!(body.contains("Likely duplicates") && body.contains(&retire.email), "{body}");
    for id in [1, 2, 5] {
        let question = ellis_core::security_questions::find(id).unwrap().text;
        assert!(body.contains(question), "the questions to ask the caller: {question}");
    }

    let (status, _, body) =
        submit(&desk, app, &format!("{account_page}/unlock"), &[("csrf", &csrf), ("reason", "")]).await;
    assert_eq!(status, 422, "a reason is required: {body}");
    let (status, location, _) =
        submit(&desk, app, &format!("{account_page}/unlock"), &[("csrf", &csrf), ("reason", "Caller asked")]).await;
    assert_eq!((status, location.as_str()), (303, format!("{account_page}?done=unlock").as_str()));

    let verify = format!("{account_page}/verify-caller");
    let answers = [
        ("csrf", csrf.as_str()),
        ("answer_1", "Fido"),
        ("answer_2", "San Antonio"),
        ("answer_5", "Mrs. Alvarez"),
        ("reason", "Lost phone"),
    ];
    let (status, _, body) = submit(&desk, app, &verify, &answers).await;
    assert!(status == 200 && body.contains("Recovery has started"), "{status}: {body}");

    let proposal = [
        ("csrf", csrf.as_str()),
        ("keep", &keep.account_number),
        ("retire", &retire.account_number),
        ("reason", "Same person"),
    ];
    let (status, location, _) = submit(&desk, app, "/staff/support/consolidations", &proposal).await;
    assert_eq!((status, location.as_str()), (303, "/staff/support?done=proposed"));
    let (_, body) = page(&desk, app, "/staff/support").await;
    assert!(body.contains("Yours: another agent must approve it"), "{body}");
    let id = body.split("/staff/support/consolidations/").nth(1).map(|r| r.split('/').next().unwrap().to_owned());
    assert!(id.is_none(), "no approve button for the proposer");
    let pending = app.state.store.pending_consolidations(None).await.unwrap();
    let approve = format!("/staff/support/consolidations/{}/approve", pending[0].id);
    let (status, _, body) = submit(&desk, app, &approve, &[("csrf", &csrf)]).await;
    assert!(status == 403 && body.contains("two-person rule"), "{body}");

    let (other_desk, other_csrf) = staff_pages(app, &kim).await;
    let (_, body) = page(&other_desk, app, "/staff/support").await;
    assert!(body.contains("Approve and merge"), "{body}");
    let (status, location, _) = submit(&other_desk, app, &approve, &[("csrf", &other_csrf)]).await;
    assert_eq!((status, location.as_str()), (303, "/staff/support?done=approved"));
    let (_, body) = page(&other_desk, app, &format!("/staff/support/accounts/{}", retire.account_number)).await;
    assert!(body.contains(&keep.email), "the retired number leads to the kept account: {body}");

    // Admin pages: create a member (the link is shown once), disable them, read the audit.
    let ada = staff_member(app, "ada@uscis.example", "admin").await;
    let (admin, admin_csrf) = staff_pages(app, &ada).await;
    let member =
        [("csrf", admin_csrf.as_str()), ("name", "Lee Officer"), ("email", "lee@uscis.example"), ("role", "officer")];
    let (status, _, body) = submit(&admin, app, "/staff/members", &member).await;
    assert!(status == 201 && body.contains("/staff/setup?token="), "{body}");
    let lee = app.state.store.staff_by_email(&ellis_core::EmailAddress::parse("lee@uscis.example").unwrap()).await;
    let lee = lee.unwrap().unwrap();
    let (status, location, _) =
        submit(&admin, app, &format!("/staff/members/{}", lee.id.0), &[("csrf", &admin_csrf), ("disabled", "true")])
            .await;
    assert_eq!((status, location.as_str()), (303, "/staff/members"));
    let (_, body) = page(&admin, app, "/staff/members").await;
    assert!(body.contains("Disabled"), "{body}");
    let (_, body) = page(&admin, app, &format!("/staff/audit?account={}", keep.account_number)).await;
    assert!(body.contains("consolidation.approve") && body.contains("kim@uscis.example"), "{body}");
    let (status, _) = page(&desk, app, "/staff/audit").await;
    assert_eq!(status, 403, "the audit is for admins");

    // Fifteen idle minutes end a staff page session too.
    app.advance(Duration::minutes(15));
    let answer = admin.get(app.url("/staff/members")).send().await.unwrap();
    assert_eq!(answer.headers()["location"], "/staff/sign-in");
}
