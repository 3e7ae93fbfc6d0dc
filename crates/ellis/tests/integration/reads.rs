//! The hot reads (ADR 0006). Inside a request's read scope the task's reads share one SQLite snapshot while
//! it runs without waiting; the task still reads its own writes, and a snapshot never outlives a wait.

use ellis::services::cases::status_change::{Move, update};
use ellis_core::ReceiptNumber;
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
        // task's reads stay on the snapshot they started on, on SQLite; PostgreSQL reads have no scope.
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
