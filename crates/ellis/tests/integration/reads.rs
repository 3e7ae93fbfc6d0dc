//! The hot reads (ADR 0006). Inside a request's read scope the task's reads share one SQLite snapshot while
//! it runs without waiting; the task still reads its own writes, and a snapshot never outlives a wait. On
//! PostgreSQL the scope keeps its pooled connection between hot reads and gives it back at any other wait.

use ellis::services::cases::status_change::{Move, update};
use ellis_core::{EmailAddress, ReceiptNumber};
use ellis_store::{Backend, Store};
use serde_json::json;

use crate::cases::i90_fields;
use crate::support::TestApp;

const RFE: &str = "Request for Initial Evidence Was Sent";

pub async fn a_request_reads_its_own_writes_and_no_snapshot_outlives_a_wait(app: &TestApp) {
    let holder = app.holder("rita@example.org").await;
    let token = app.two_factor_session(&holder).await;
    let filed = app.post("/api/v1/cases", json!({"form_type": "I-90", "fields": i90_fields()}), Some(&token)).await;
    let receipt = ReceiptNumber::parse(filed.body["receipt_number"].as_str().unwrap()).unwrap();
    let store = app.state.store.clone();
    let url = app.state.config.effective_database_url();
    let details = Move { due_date: Some(app.state.clock.now().date() + time::Duration::days(84)), ..Move::default() };

    Store::read_scope(async {
        let before = store.case_by_receipt(&receipt).await.unwrap().unwrap();
        assert_eq!(before.status_title, ellis_core::status::RECEIVED_ONLINE);

        // The task's own write is visible to its next read.
        update(&app.state, receipt.as_str(), RFE, &details).await.expect("an RFE after a receipt");
        let moved = store.case_by_receipt(&receipt).await.unwrap().unwrap();
        assert_eq!((moved.status_title.as_str(), moved.unread), (RFE, true));

        // Another writer commits while this task runs without waiting (a blocking join, on purpose): the
        // task's reads stay on the snapshot they started on, on SQLite; on PostgreSQL each read is its own
        // statement (a scope keeps a connection there, not a snapshot).
        let case_id = moved.id;
        let other = url.clone();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            runtime.block_on(async {
                let writer = Store::connect(&other, 2).await.unwrap();
                let mut tx = writer.write().await.unwrap();
                tx.mark_case_read(case_id).await.unwrap();
                tx.commit().await.unwrap();
                writer.close().await;
            });
        })
        .join()
        .unwrap();
        let same_stretch = store.case_by_receipt(&receipt).await.unwrap().unwrap();
        match store.backend() {
            Backend::Sqlite => assert!(same_stretch.unread, "one snapshot while the task does not wait"),
            Backend::Postgres => assert!(!same_stretch.unread),
        }

        // After a wait the snapshot is gone and the other writer's change shows.
        tokio::task::yield_now().await;
        let after_wait = store.case_by_receipt(&receipt).await.unwrap().unwrap();
        assert!(!after_wait.unread, "a read after a wait sees what others committed");
    })
    .await;

    // Outside any scope every read is its own snapshot.
    assert!(!store.case_by_receipt(&receipt).await.unwrap().unwrap().unread);
    let case = app.get(&format!("/api/v1/cases/{}", receipt.as_str()), &token).await;
    assert_eq!(case.body["status_title"], RFE);
}

/// A task that keeps a pooled connection for its next hot read must give it back before it waits for
/// another: on a pool of one connection, a scope that reads, writes, reads through the plain pool and reads
/// again would otherwise wait for itself until the pool's acquire timeout.
pub async fn a_scope_gives_its_kept_connection_back_before_it_waits_for_another(app: &TestApp) {
    let holder = app.holder("paula@example.org").await;
    let email = EmailAddress::parse(&holder.email).unwrap();
    let store = Store::connect(&app.state.config.effective_database_url(), 1).await.unwrap();

    let scope = Store::read_scope(async {
        let account = store.account_by_email(&email).await.unwrap().expect("a hot read");
        let mut tx = store.write().await.expect("the write waits for the kept connection, which goes back");
        tx.set_lockout(account.id, &ellis_core::lockout::LockoutState::cleared(), app.state.clock.unix())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let again = store.account_by_email(&email).await.unwrap().expect("a hot read after the write");
        let plain = store.account(account.id).await.expect("a read through the pool, not the scope");
        let last = store.account_by_email(&email).await.unwrap().expect("and a hot read once more");
        (again.id, plain.id, last.id, account.id)
    });
    let (again, plain, last, first) =
        tokio::time::timeout(std::time::Duration::from_secs(10), scope).await.expect("no task waits for itself");
    assert_eq!((again, plain, last), (first, first, first));
    store.close().await;
}
