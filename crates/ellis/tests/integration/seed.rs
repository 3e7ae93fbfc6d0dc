//! `ellis seed` (services::seed): seeded accounts can sign in like any other, their cases follow the status
//! catalogue, the history chains verify, and a later filing does not reuse a seeded receipt number.

use ellis::services::seed::{SEED_PASSWORD, SEED_TOTP_SECRET, seed};
use ellis_core::totp::TotpSecret;
use serde_json::json;

use crate::support::TestApp;

pub async fn seeded_accounts_sign_in_and_own_cases_that_follow_the_catalogue(app: &TestApp) {
    let seeded = seed(&app.state, 3, 10, 0, &|_| {}).await.expect("seeded");
    assert_eq!((seeded.accounts, seeded.cases), (3, 10));
    assert!(seeded.history_rows >= 10);

    let signed_in = app.sign_in("seed1@ellis.test", SEED_PASSWORD).await;
    assert_eq!(signed_in.status, 201, "{}", signed_in.raw);
    let token = signed_in.body["token"].as_str().unwrap().to_owned();
    let totp = TotpSecret::from_base32(SEED_TOTP_SECRET).unwrap();
    assert_eq!(app.step_up(&token, "totp", &totp.code_at(app.now_unix())).await.status, 200);
    let me = app.get("/api/v1/me", &token).await;
    assert!(me.body["account_number"].as_str().is_some_and(|n| n.starts_with('9')), "{}", me.raw);

    // Ten cases round-robin over three accounts: account 1 has cases 1, 4 and 7.
    let cases = app.get("/api/v1/cases", &token).await;
    let cases = cases.body.as_array().unwrap().clone();
    assert_eq!(cases.len(), 3);
    for case in &cases {
        let receipt = case["receipt_number"].as_str().unwrap();
        let detail = app.get(&format!("/api/v1/cases/{receipt}"), &token).await;
        let titles: Vec<&str> =
            detail.body["history"].as_array().unwrap().iter().map(|h| h["title"].as_str().unwrap()).collect();
        assert_eq!(titles[0], ellis_core::status::RECEIVED_ONLINE);
        for pair in titles.windows(2) {
            assert!(ellis_core::status::find(pair[0]).unwrap().allows(pair[1]), "{pair:?} is not a catalogue move");
        }
        assert_eq!(detail.body["status_title"], *titles.last().unwrap());
    }
    let (_, broken) = ellis::services::history::verify_all(&app.state.store).await.unwrap();
    assert!(broken.is_empty(), "seeded history chains verify");

    // A real filing after the seed takes the next receipt number, not a seeded one.
    let filed = app
        .post("/api/v1/cases", json!({"form_type": "I-90", "fields": crate::cases::i90_fields()}), Some(&token))
        .await;
    assert_eq!(filed.status, 201, "{}", filed.raw);
    let receipt = filed.body["receipt_number"].as_str().unwrap();
    assert!(receipt.ends_with("00000011"), "{receipt}");
}
