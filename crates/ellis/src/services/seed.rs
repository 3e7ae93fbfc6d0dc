//! `ellis seed`: bulk-creates accounts that finished security setup and cases filed online with status
//! histories that follow the catalogue, for benchmarks and demonstrations. Every seeded account signs in as
//! `seed<N>@ellis.test` with [`SEED_PASSWORD`] and an authenticator on [`SEED_TOTP_SECRET`]; their security
//! answers are "Fido", "San Antonio" and "Mrs. Alvarez". Never seed a database real people use.

use ellis_core::receipt_number::{ReceiptNumber, fiscal_year};
use ellis_core::status::{self, RECEIVED_ONLINE};
use ellis_core::{AccountId, AccountNumber, security_questions};
use ellis_store::{SeedAccount, SeedCase};
use rand::{Rng, SeedableRng};

use crate::AppState;
use crate::services::ServiceResult;

pub const SEED_PASSWORD: &str = "seeded benchmark password 42";
/// The authenticator key every seeded account shares (base32), so a benchmark can compute its codes.
pub const SEED_TOTP_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
/// Rows per batch: one transaction each.
const BATCH: usize = 5000;
const FIELDS: &str = r#"{"family_name":"Seed","given_name":"Bench","date_of_birth":"1980-01-01","country_of_birth":"Mexico","a_number":"A012345678","sex":"female","reason":"lost_stolen_destroyed","mailing_address":{"line1":"1 Main St","city":"Tucson","state":"AZ","zip":"85701"}}"#;

/// What a seed run made.
pub struct Seeded {
    pub accounts: u64,
    pub cases: u64,
    pub history_rows: u64,
}

/// Creates `accounts` accounts and `cases` cases (spread over the accounts round-robin, so account 0 owns
/// case 0), calling `progress(rows_done)` after each batch. Account ids and numbers continue from
/// `first_serial`, so a second run adds to the first.
pub async fn seed(
    state: &AppState,
    accounts: u64,
    cases: u64,
    first_serial: u64,
    progress: &(dyn Fn(u64) + Sync),
) -> ServiceResult<Seeded> {
    let password_hash = state.hasher.hash(SEED_PASSWORD.to_owned()).await?;
    let answer = security_questions::normalise_answer("Fido").map_err(anyhow::Error::from)?;
    let answer_hash = state.hasher.hash(answer).await?;
    let now = state.clock.unix();
    let mut rng = rand::rngs::StdRng::seed_from_u64(first_serial);

    let mut done = 0_u64;
    let mut start = 0;
    while start < accounts {
        let end = (start + BATCH as u64).min(accounts);
        let batch: Vec<SeedAccount<'_>> = (start..end)
            .map(|i| {
                let serial = first_serial + i;
                SeedAccount {
                    id: account_id(serial),
                    email: format!("seed{serial}@ellis.test"),
                    password_hash: &password_hash,
                    given_name: format!("Bench{serial}"),
                    family_name: "Seed",
                    date_of_birth: format!("19{:02}-{:02}-{:02}", 40 + serial % 60, 1 + serial % 12, 1 + serial % 28),
                    account_number: AccountNumber::from_serial(serial).digits(),
                    totp_secret: SEED_TOTP_SECRET,
                    answer_hash: &answer_hash,
                    created_at: now - 86_400 * 800,
                }
            })
            .collect();
        let mut tx = state.store.write().await?;
        tx.seed_accounts(&batch).await?;
        tx.commit().await?;
        done += end - start;
        progress(done);
        start = end;
    }

    let year = fiscal_year(state.clock.now().date());
    let first_sequence = state.store.receipt_sequence(crate::services::cases::ONLINE_PREFIX, year).await? + 1;
    let mut history_rows = 0_u64;
    let mut start = 0;
    while start < cases {
        let end = (start + BATCH as u64).min(cases);
        let mut batch = Vec::with_capacity(BATCH);
        for i in start..end {
            let sequence = first_sequence + i as i64;
            let receipt = ReceiptNumber::online(year, sequence as u32)
                .ok_or_else(|| anyhow::anyhow!("more than 100 million online receipt numbers in fiscal year {year}"))?;
            let received_at = now - rng.random_range(86_400..86_400 * 700);
            let history = walk(&mut rng, received_at, now);
            history_rows += history.len() as u64;
            batch.push(SeedCase {
                // Increasing ids, so a large load appends to the primary-key index instead of splitting pages
                // all over it (the application's own random ids never come near this range).
                id: 0x0700_0000_0000_0000 + sequence,
                office: crate::services::cases::office_for(&receipt),
                receipt_number: receipt.to_string(),
                account: account_id(first_serial + i % accounts.max(1)),
                form_type: "I-90",
                fields_json: FIELDS,
                fee_cents: 41_500,
                received_at,
                history,
            });
        }
        let mut tx = state.store.write().await?;
        tx.seed_cases(&batch).await?;
        tx.advance_receipt_sequence(crate::services::cases::ONLINE_PREFIX, year, first_sequence + end as i64 - 1)
            .await?;
        tx.commit().await?;
        done += end - start;
        progress(done);
        start = end;
    }
    Ok(Seeded { accounts, cases, history_rows })
}

/// Seeded ids sit far above the random ids the application draws, apart from a vanishing chance.
fn account_id(serial: u64) -> AccountId {
    AccountId(0x7000_0000_0000_0000 + serial as i64)
}

/// A status history that follows the catalogue: received, then up to three allowed moves, each a few weeks
/// after the one before, none in the future.
fn walk(rng: &mut impl Rng, received_at: i64, now: i64) -> Vec<(i64, &'static str)> {
    let mut history = vec![(received_at, RECEIVED_ONLINE)];
    let steps = rng.random_range(0..=3);
    let mut at = received_at;
    for _ in 0..steps {
        let Some(current) = status::find(history.last().map_or(RECEIVED_ONLINE, |(_, t)| t)) else { break };
        let next: Vec<&'static str> = current.next_titles().collect();
        if next.is_empty() {
            break;
        }
        at += rng.random_range(86_400 * 7..86_400 * 60);
        if at >= now {
            break;
        }
        history.push((at, next[rng.random_range(0..next.len())]));
    }
    history
}
