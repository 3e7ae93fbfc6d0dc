//! Password sign-in and lockout (DESIGN.md §4).

use ellis_core::EmailAddress;
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

use crate::support::TestApp;
use crate::support::api::PASSWORD;

const WRONG: &str = "not the password at all";

async fn event_count(app: &TestApp, email: &str, kind: &str) -> usize {
    let account = app.state.store.account_by_email(&EmailAddress::parse(email).unwrap()).await.unwrap().unwrap();
    app.state.store.events(account.id, 10_000).await.unwrap().iter().filter(|e| e.kind == kind).count()
}

pub async fn unknown_email_and_wrong_password_answer_alike(app: &TestApp) {
    app.register_verified("ana@example.org").await;
    let unknown = app.sign_in("nobody@example.org", PASSWORD).await;
    let wrong = app.sign_in("ana@example.org", WRONG).await;
    assert_eq!((unknown.status, unknown.code()), (401, "invalid_credentials"));
    assert_eq!((unknown.status, &unknown.raw), (wrong.status, &wrong.raw));
    let garbage = app.sign_in("not an email", PASSWORD).await;
    assert_eq!(garbage.raw, unknown.raw);
}

pub async fn unverified_account_is_told_only_with_the_right_password(app: &TestApp) {
    app.post("/api/v1/accounts", TestApp::sign_up_body("ana@example.org"), None).await;
    assert_eq!(app.sign_in("ana@example.org", WRONG).await.code(), "invalid_credentials");
    let right = app.sign_in("ana@example.org", PASSWORD).await;
    assert_eq!((right.status, right.code()), (403, "email_not_verified"));
}

pub async fn parallel_wrong_passwords_lock_the_account_after_exactly_five(app: &TestApp) {
    app.register_verified("ana@example.org").await;
    let guesses = (0..50).map(|_| app.sign_in("ana@example.org", WRONG));
    let answers = futures_join_all(guesses).await;
    assert!(answers.iter().all(|a| a.code() == "invalid_credentials"), "a wrong password never reveals the lock");
    // Every guess was counted, and a lock was applied at each fifth one: none lost to a race.
    assert_eq!(event_count(app, "ana@example.org", "sign_in_failed").await, 50);
    assert_eq!(event_count(app, "ana@example.org", "account_locked").await, 10);
    let right = app.sign_in("ana@example.org", PASSWORD).await;
    assert_eq!((right.status, right.code()), (403, "account_locked"));
    assert!(right.body["locked_until"].is_string());
}

pub async fn four_wrong_passwords_do_not_lock_and_a_right_one_resets_the_count(app: &TestApp) {
    app.register_verified("ana@example.org").await;
    for _ in 0..2 {
        futures_join_all((0..4).map(|_| app.sign_in("ana@example.org", WRONG))).await;
        assert_eq!(app.sign_in("ana@example.org", PASSWORD).await.status, 201);
    }
    assert_eq!(event_count(app, "ana@example.org", "account_locked").await, 0);
    futures_join_all((0..5).map(|_| app.sign_in("ana@example.org", WRONG))).await;
    assert_eq!(app.sign_in("ana@example.org", PASSWORD).await.code(), "account_locked");
}

pub async fn locked_account_rejects_the_right_password_until_the_wait_ends(app: &TestApp) {
    app.register_verified("ana@example.org").await;
    for _ in 0..5 {
        app.sign_in("ana@example.org", WRONG).await;
    }
    let locked = app.sign_in("ana@example.org", PASSWORD).await;
    assert_eq!(locked.code(), "account_locked");
    let until = OffsetDateTime::parse(locked.body["locked_until"].as_str().unwrap(), &Rfc3339).unwrap();
    let wait = until.unix_timestamp() - app.now_unix() as i64;
    assert!((20 * 60 - 2..=20 * 60).contains(&wait), "20 minutes, was {wait} s");
    app.advance(Duration::minutes(19));
    assert_eq!(app.sign_in("ana@example.org", PASSWORD).await.code(), "account_locked");
    app.advance(Duration::minutes(1));
    assert_eq!(app.sign_in("ana@example.org", PASSWORD).await.status, 201);
}

pub async fn a_second_lock_lasts_twice_as_long(app: &TestApp) {
    app.register_verified("ana@example.org").await;
    for _ in 0..5 {
        app.sign_in("ana@example.org", WRONG).await;
    }
    app.advance(Duration::minutes(20));
    for _ in 0..5 {
        app.sign_in("ana@example.org", WRONG).await;
    }
    app.advance(Duration::minutes(39));
    assert_eq!(app.sign_in("ana@example.org", PASSWORD).await.code(), "account_locked");
    app.advance(Duration::minutes(1));
    assert_eq!(app.sign_in("ana@example.org", PASSWORD).await.status, 201);
}

pub async fn locks_stop_doubling_at_a_day_and_the_hundredth_failure_needs_a_reset(app: &TestApp) {
    let holder = app.holder("ana@example.org").await;
    let mut waits = Vec::new();
    for _ in 0..19 {
        futures_join_all((0..5).map(|_| app.sign_in(&holder.email, WRONG))).await;
        let locked = app.sign_in(&holder.email, PASSWORD).await;
        let until = OffsetDateTime::parse(locked.body["locked_until"].as_str().unwrap(), &Rfc3339).unwrap();
        let wait = until.unix_timestamp() - app.now_unix() as i64;
        waits.push(wait / 60);
        app.advance(Duration::seconds(wait));
    }
    assert_eq!(&waits[..8], &[20, 40, 80, 160, 320, 640, 1280, 1440], "doubling from 20 minutes, capped at 24 h");
    assert!(waits[8..].iter().all(|w| *w == 1440));
    // The hundredth consecutive failure locks until a reset, however long one waits.
    futures_join_all((0..5).map(|_| app.sign_in(&holder.email, WRONG))).await;
    app.advance(Duration::days(30));
    let locked = app.sign_in(&holder.email, PASSWORD).await;
    assert_eq!((locked.code(), &locked.body["locked_until"]), ("account_locked", &serde_json::Value::Null));
    let token = app.reset_token(&holder.email).await;
    let reset = app
        .confirm_reset(&token, "a brand new passphrase for ellis", Some(("backup_code", &holder.backup_codes[0])))
        .await;
    assert_eq!(reset.status, 200, "{}", reset.raw);
    assert_eq!(app.sign_in(&holder.email, "a brand new passphrase for ellis").await.status, 201);
}

/// Runs futures concurrently on the test's runtime (no extra dependency for one helper).
pub async fn futures_join_all<F: std::future::Future>(futures: impl IntoIterator<Item = F>) -> Vec<F::Output> {
    let futures: Vec<_> = futures.into_iter().map(Box::pin).collect();
    let mut outputs: Vec<Option<F::Output>> = futures.iter().map(|_| None).collect();
    let mut pending: Vec<_> = futures.into_iter().enumerate().collect();
    std::future::poll_fn(|cx| {
        pending.retain_mut(|(index, future)| match future.as_mut().poll(cx) {
            std::task::Poll::Ready(output) => {
                outputs[*index] = Some(output);
                false
            }
            std::task::Poll::Pending => true,
        });
        if pending.is_empty() { std::task::Poll::Ready(()) } else { std::task::Poll::Pending }
    })
    .await;
    outputs.into_iter().map(|o| o.expect("every future finished")).collect()
}
