//! The `ellis` binary as an operator runs it: `migrate`, `serve` until SIGTERM, and clear errors for bad
//! configuration.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use libtest_mimic::Trial;

use crate::support;

const ELLIS: &str = env!("CARGO_BIN_EXE_ellis");

pub fn trials() -> Vec<Trial> {
    vec![
        Trial::test("cli::serve_answers_health_and_stops_gracefully_on_sigterm", || {
            support::run_async(Box::pin(serve_answers_health_and_stops_gracefully_on_sigterm()))
        }),
        Trial::test("cli::an_acknowledged_sign_up_survives_a_crash", || {
            support::run_async(Box::pin(an_acknowledged_sign_up_survives_a_crash()))
        }),
        Trial::test("cli::migrate_is_repeatable", || {
            migrate_is_repeatable();
            Ok(())
        }),
        Trial::test("cli::backup_copies_the_database_and_refuses_to_overwrite", || {
            backup_copies_the_database_and_refuses_to_overwrite();
            Ok(())
        }),
        Trial::test("cli::the_flood_shield_answers_429_with_retry_after_on_public_endpoints", || {
            support::run_async(Box::pin(the_flood_shield_answers_429_with_retry_after_on_public_endpoints()))
        }),
        Trial::test("cli::filings_answered_201_survive_a_crash_and_none_is_half_made", || {
            support::run_async(Box::pin(filings_answered_201_survive_a_crash_and_none_is_half_made()))
        }),
        Trial::test("cli::history_verify_names_the_first_changed_event", || {
            support::run_async(Box::pin(history_verify_names_the_first_changed_event()))
        }),
        Trial::test("cli::staff_create_prints_a_setup_link_on_the_public_url", || {
            staff_create_prints_a_setup_link_on_the_public_url();
            Ok(())
        }),
        Trial::test("cli::bad_configuration_is_refused_with_the_key_named", || {
            bad_configuration_is_refused_with_the_key_named();
            Ok(())
        }),
    ]
}

fn ellis(data_dir: &std::path::Path) -> Command {
    let mut command = Command::new(ELLIS);
    command.current_dir(data_dir).env_remove("ELLIS_DATABASE_URL").env("ELLIS_LOG_FORMAT", "json");
    command
}

type LogLines = std::io::Lines<BufReader<std::process::ChildStdout>>;

/// A running `ellis serve`, killed when dropped: a failing test must not leave a server holding the test
/// run's output pipes open (cargo would wait for it forever).
struct Serving(Child);

impl std::ops::Deref for Serving {
    type Target = Child;

    fn deref(&self) -> &Child {
        &self.0
    }
}

impl std::ops::DerefMut for Serving {
    fn deref_mut(&mut self) -> &mut Child {
        &mut self.0
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        if matches!(self.0.try_wait(), Ok(None)) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

/// Starts `ellis serve` on a free port with its data in `dir/data`; returns once it logs that it serves
/// (no polling), with the address it bound and the rest of its log.
fn start_serve(dir: &std::path::Path) -> (Serving, String, LogLines) {
    start_serve_with(dir, &[])
}

/// [`start_serve`] with extra environment variables.
fn start_serve_with(dir: &std::path::Path, env: &[(&str, &str)]) -> (Serving, String, LogLines) {
    let mut child = ellis(dir)
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir", "data"])
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .spawn()
        .expect("ellis starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let listen = loop {
        let line = lines.next().expect("ellis logs until it serves").unwrap();
        let entry: serde_json::Value = serde_json::from_str(&line).expect("JSON logs");
        if entry["fields"]["message"].as_str().unwrap_or("").starts_with("ellis is serving") {
            break entry["fields"]["http.listen"].as_str().unwrap().to_owned();
        }
    };
    (Serving(child), listen, lines)
}

async fn serve_answers_health_and_stops_gracefully_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, listen, lines) = start_serve(dir.path());
    let health = reqwest::get(format!("http://{listen}/health")).await.unwrap();
    assert_eq!(health.status(), 200);
    let ready = reqwest::get(format!("http://{listen}/ready")).await.unwrap();
    assert_eq!(ready.status(), 200);
    assert!(dir.path().join("data/ellis.db").exists(), "the embedded database is created on first run");

    let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert!(exit.success(), "a graceful stop exits 0: {exit}");
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    assert!(rest.iter().any(|l| l.contains("shutting down")), "{rest:?}");
}

fn migrate_is_repeatable() {
    let dir = tempfile::tempdir().unwrap();
    for _ in 0..2 {
        let output = ellis(dir.path()).args(["migrate", "--data-dir", "data"]).output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        assert!(String::from_utf8_lossy(&output.stdout).contains("up to date"));
    }
}

fn bad_configuration_is_refused_with_the_key_named() {
    let dir = tempfile::tempdir().unwrap();
    /// Arguments, one environment variable, and what the error must name.
    type Case<'a> = (&'a [&'a str], Option<(&'a str, &'a str)>, &'a str);
    let cases: [Case; 4] = [
        (&["migrate"], Some(("ELLIS_LISTEN", "not an address")), "listen"),
        (&["migrate"], Some(("ELLIS_DATABASE_URL", "mysql://db")), "database_url"),
        (&["migrate"], Some(("ELLIS_PUBLIC_URL", "ftp://example.org")), "public_url"),
        (&["--config", "missing.toml", "migrate"], None, "missing.toml"),
    ];
    for (args, env, named) in cases {
        let mut command = ellis(dir.path());
        command.args(args);
        if let Some((key, value)) = env {
            command.env(key, value);
        }
        let output = command.output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{args:?} {env:?} must fail");
        assert!(stderr.contains(named), "the error names {named}: {stderr}");
    }
    std::fs::write(dir.path().join("ellis.toml"), "body_limit_bytes = 12\n").unwrap();
    let output = ellis(dir.path()).arg("migrate").output().unwrap();
    assert!(String::from_utf8_lossy(&output.stderr).contains("body_limit_bytes"));
}

fn backup_copies_the_database_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let output = ellis(dir.path()).args(["backup", "copy.db", "--data-dir", "data"]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    // The copy is a complete database: migrating it finds nothing to do.
    std::fs::create_dir(dir.path().join("restored")).unwrap();
    std::fs::copy(dir.path().join("copy.db"), dir.path().join("restored/ellis.db")).unwrap();
    let output =
        ellis(dir.path()).args(["migrate", "--data-dir", "restored"]).env("ELLIS_LOG", "info").output().unwrap();
    assert!(output.status.success());
    assert!(!String::from_utf8_lossy(&output.stdout).contains("migration applied"), "the copy had every migration");
    let again = ellis(dir.path()).args(["backup", "copy.db", "--data-dir", "data"]).output().unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
}

/// A sign-up answered 202 is on disk: killing the process (no shutdown at all) loses neither the account
/// nor its queued email.
async fn an_acknowledged_sign_up_survives_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, listen, _) = start_serve(dir.path());
    let client = reqwest::Client::new();
    let body = serde_json::json!({"email": "crash@example.org", "password": "sturdy granite window otter",
        "given_name": "Ada", "family_name": "Stone", "date_of_birth": "1980-02-03"});
    let answer = client.post(format!("http://{listen}/api/v1/accounts")).json(&body).send().await.unwrap();
    assert_eq!(answer.status(), 202);
    child.kill().unwrap();
    child.wait().unwrap();

    let (mut child, listen, _) = start_serve(dir.path());
    let credentials = serde_json::json!({"email": "crash@example.org", "password": "sturdy granite window otter"});
    let sign_in = client.post(format!("http://{listen}/api/v1/sessions")).json(&credentials).send().await.unwrap();
    assert_eq!(sign_in.status(), 403, "the account exists (and is not verified yet)");
    let problem: serde_json::Value = sign_in.json().await.unwrap();
    assert_eq!(problem["code"], "email_not_verified");
    // The queued verification email survived too: delivered before the crash, or still in the outbox
    // (then it goes out once the crashed worker's lease runs out, which this test does not wait for).
    if !outbox_has_files(&dir.path().join("data/outbox")) {
        let url = ellis_store::Store::sqlite_url(&dir.path().join("data"));
        let store = ellis_store::Store::connect(&url, 2).await.unwrap();
        let queued = store.claim_emails(i64::MAX / 2, 0, 10).await.unwrap();
        store.close().await;
        assert!(queued.iter().any(|e| e.to_address == "crash@example.org"));
    }
    Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    child.wait().unwrap();
}

fn outbox_has_files(outbox: &std::path::Path) -> bool {
    std::fs::read_dir(outbox).map(|d| d.count()).unwrap_or(0) > 0
}

async fn the_flood_shield_answers_429_with_retry_after_on_public_endpoints() {
    let dir = tempfile::tempdir().unwrap();
    let env = [
        ("ELLIS_FLOOD_SHIELD_BURST", "3"),
        ("ELLIS_FLOOD_SHIELD_REFILL_MS", "60000"),
        ("ELLIS_STATUS_LOOKUP_BURST", "2"),
        ("ELLIS_STATUS_LOOKUP_REFILL_MS", "60000"),
    ];
    let (mut child, listen, _) = start_serve_with(dir.path(), &env);
    let client = reqwest::Client::new();
    let reset = |email: &str| {
        client.post(format!("http://{listen}/api/v1/password-resets")).json(&serde_json::json!({"email": email})).send()
    };
    for i in 0..3 {
        assert_eq!(reset(&format!("person{i}@example.org")).await.unwrap().status(), 202);
    }
    let refused = reset("person4@example.org").await.unwrap();
    assert_eq!(refused.status(), 429);
    let retry_after: u64 = refused.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry_after), "Retry-After says when: {retry_after}");
    let problem: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(problem["code"], "rate_limited");
    // The same address is refused on the other public endpoints, and only there.
    let sign_in = client
        .post(format!("http://{listen}/api/v1/sessions"))
        .json(&serde_json::json!({"email": "a@example.org", "password": "whatever it is"}))
        .send()
        .await
        .unwrap();
    assert_eq!(sign_in.status(), 429);
    assert_eq!(client.get(format!("http://{listen}/health")).send().await.unwrap().status(), 200);
    assert_eq!(client.get(format!("http://{listen}/sign-in")).send().await.unwrap().status(), 200);
    // Public status look-ups have their own, separate limit.
    let status = |receipt: &str| client.get(format!("http://{listen}/api/v1/case-status/{receipt}")).send();
    assert_eq!(status("EAC9999103403").await.unwrap().status(), 404);
    assert_eq!(status("EAC9999103404").await.unwrap().status(), 404);
    let limited = status("EAC9999103405").await.unwrap();
    assert_eq!(limited.status(), 429);
    assert!(limited.headers().contains_key("retry-after"));
    Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    child.wait().unwrap();
}

async fn history_verify_names_the_first_changed_event() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, listen, _) = start_serve(dir.path());
    let body = serde_json::json!({"email": "chain@example.org", "password": "sturdy granite window otter",
        "given_name": "Ada", "family_name": "Stone", "date_of_birth": "1980-02-03"});
    let client = reqwest::Client::new();
    assert_eq!(client.post(format!("http://{listen}/api/v1/accounts")).json(&body).send().await.unwrap().status(), 202);
    let wrong = serde_json::json!({"email": "chain@example.org", "password": "not the right one"});
    for _ in 0..3 {
        client.post(format!("http://{listen}/api/v1/sessions")).json(&wrong).send().await.unwrap();
    }
    Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    child.wait().unwrap();

    let verify = || ellis(dir.path()).args(["history", "verify", "--data-dir", "data"]).output().unwrap();
    let intact = verify();
    assert!(intact.status.success(), "{}", String::from_utf8_lossy(&intact.stderr));
    assert!(String::from_utf8_lossy(&intact.stdout).contains("history intact: 1 accounts checked"));

    // Someone with access to the file hides one failed sign-in by rewriting it.
    {
        use sqlx::Connection;
        let url = ellis_store::Store::sqlite_url(&dir.path().join("data"));
        let mut db = sqlx::SqliteConnection::connect(&url).await.unwrap();
        sqlx::query("update events set kind = 'signed_in' where seq = 3").execute(&mut db).await.unwrap();
    }
    let broken = verify();
    assert!(!broken.status.success());
    let stdout = String::from_utf8_lossy(&broken.stdout);
    assert!(stdout.contains("broken at event 3"), "{stdout}");
}

/// Reads the server's log until it reports writing an email whose file contains `needle`; returns the
/// file's text. The server logs every outbox file it writes, so no polling is needed.
fn next_email_containing(dir: &std::path::Path, lines: &mut LogLines, needle: &str) -> String {
    loop {
        let line = lines.next().expect("ellis logs the email it writes").unwrap();
        let entry: serde_json::Value = serde_json::from_str(&line).unwrap_or_default();
        let Some(path) = entry["fields"]["mail.delivered_to"].as_str() else { continue };
        let text = std::fs::read_to_string(dir.join(path)).expect("the email file");
        if text.contains(needle) {
            return text;
        }
    }
}

/// Filings run in parallel; the server is killed (SIGKILL, no shutdown) as soon as some have been
/// answered 201. After a restart every acknowledged filing is there, and every case that exists has its
/// history and its receipt notice: nothing half-made.
async fn filings_answered_201_survive_a_crash_and_none_is_half_made() {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};

    let dir = tempfile::tempdir().unwrap();
    let (child, listen, mut lines) = start_serve(dir.path());
    let client = reqwest::Client::new();
    let api = |path: &str| format!("http://{listen}{path}");
    let password = "sturdy granite window otter";
    let body = serde_json::json!({"email": "crash@example.org", "password": password,
        "given_name": "Ana María", "family_name": "Díaz", "date_of_birth": "1990-04-01"});
    assert_eq!(client.post(api("/api/v1/accounts")).json(&body).send().await.unwrap().status(), 202);
    let email = next_email_containing(dir.path(), &mut lines, "verify-email?token=");
    let token = email.split("token=").nth(1).unwrap().split_whitespace().next().unwrap().trim_end_matches('"');
    let verified = client.post(api("/api/v1/email-verifications")).json(&serde_json::json!({"token": token}));
    assert_eq!(verified.send().await.unwrap().status(), 200);
    let credentials = serde_json::json!({"email": "crash@example.org", "password": password});
    let signed_in: serde_json::Value =
        client.post(api("/api/v1/sessions")).json(&credentials).send().await.unwrap().json().await.unwrap();
    let session = signed_in["token"].as_str().unwrap().to_owned();
    let answers = serde_json::json!({"answers": [{"question_id": 1, "answer": "Fido"},
        {"question_id": 2, "answer": "Austin"}, {"question_id": 3, "answer": "Sam"}]});
    client.put(api("/api/v1/me/security-questions")).bearer_auth(&session).json(&answers).send().await.unwrap();
    let started: serde_json::Value =
        client.post(api("/api/v1/me/totp")).bearer_auth(&session).send().await.unwrap().json().await.unwrap();
    let secret = ellis_core::totp::TotpSecret::from_base32(started["secret"].as_str().unwrap()).unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let confirm = serde_json::json!({"code": secret.code_at(now)});
    let confirmed: serde_json::Value = client
        .post(api("/api/v1/me/totp/confirm"))
        .bearer_auth(&session)
        .json(&confirm)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let backup_code = confirmed["backup_codes"][0].as_str().unwrap().to_owned();

    let child = Mutex::new(Some(child));
    let answered = AtomicUsize::new(0);
    let filing = serde_json::json!({"form_type": "I-90", "fields": crate::cases::i90_fields()});
    let attempts = (0..40).map(|_| async {
        let sent = client.post(api("/api/v1/cases")).bearer_auth(&session).json(&filing).send().await;
        let receipt = match sent {
            Ok(response) if response.status() == 201 => response
                .json::<serde_json::Value>()
                .await
                .ok()
                .and_then(|body| body["receipt_number"].as_str().map(str::to_owned)),
            _ => None,
        };
        if receipt.is_some()
            && answered.fetch_add(1, Ordering::SeqCst) + 1 == 10
            && let Some(mut child) = child.lock().unwrap().take()
        {
            child.kill().unwrap();
            child.wait().unwrap();
        }
        receipt
    });
    let acknowledged: Vec<String> = crate::sign_in::futures_join_all(attempts).await.into_iter().flatten().collect();
    if let Some(mut child) = child.lock().unwrap().take() {
        child.kill().unwrap();
        child.wait().unwrap();
    }
    assert!(acknowledged.len() >= 10, "{} filings were acknowledged before the kill", acknowledged.len());

    let (mut child, listen, _) = start_serve(dir.path());
    let api = |path: &str| format!("http://{listen}{path}");
    let signed_in: serde_json::Value =
        client.post(api("/api/v1/sessions")).json(&credentials).send().await.unwrap().json().await.unwrap();
    let session = signed_in["token"].as_str().unwrap().to_owned();
    let step_up = serde_json::json!({"method": "backup_code", "code": backup_code});
    let stepped = client.post(api("/api/v1/sessions/current/second-factor")).bearer_auth(&session).json(&step_up);
    assert_eq!(stepped.send().await.unwrap().status(), 200);
    let cases: Vec<serde_json::Value> =
        client.get(api("/api/v1/cases")).bearer_auth(&session).send().await.unwrap().json().await.unwrap();
    let stored: std::collections::HashSet<&str> = cases.iter().filter_map(|c| c["receipt_number"].as_str()).collect();
    for receipt in &acknowledged {
        assert!(stored.contains(receipt.as_str()), "acknowledged {receipt} was lost");
    }
    for receipt in &stored {
        let case: serde_json::Value = client
            .get(api(&format!("/api/v1/cases/{receipt}")))
            .bearer_auth(&session)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(case["history"].as_array().map(Vec::len), Some(1), "{receipt} has its history");
        assert_eq!(case["notices"][0]["kind"], "receipt", "{receipt} has its receipt notice");
    }
    Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    child.wait().unwrap();
}

fn staff_create_prints_a_setup_link_on_the_public_url() {
    let dir = tempfile::tempdir().unwrap();
    let create = |email: &str, role: &str| {
        ellis(dir.path())
            .args(["staff", "create", "--data-dir", "data", "--public-url", "https://ellis.example.gov"])
            .args(["--email", email, "--name", "Ada Admin", "--role", role])
            .output()
            .unwrap()
    };
    let output = create("ada@uscis.example", "admin");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains("https://ellis.example.gov/staff/setup?token="), "{stdout}");
    let refused = create("bob@uscis.example", "superuser");
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("role"));
}
