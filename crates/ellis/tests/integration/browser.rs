//! The whole journey in a real browser: headless Chromium driven through chromedriver (WebDriver).
//! Sign up, open the link from the outbox, sign in, set up security (the test computes the authenticator
//! code from the key shown on the page), see the account number on /account, sign out, sign in again with
//! the second factor.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use ellis_core::totp::TotpSecret;
use libtest_mimic::Trial;
use thirtyfour::prelude::*;
use time::Duration;

use crate::support::{self, Backend, TestApp};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "chromedriver";

pub fn trials() -> Vec<Trial> {
    let available =
        std::path::Path::new(CHROMIUM).exists() && Command::new(CHROMEDRIVER).arg("--version").output().is_ok();
    if !available {
        eprintln!(
            "\n{}\n",
            support::loud(
                "Chromium or chromedriver is missing: the browser test is IGNORED (apt-get install chromium chromium-driver)."
            )
        );
    }
    vec![
        Trial::test("browser::the_whole_account_journey_in_chromium", || {
            support::run_async(Box::pin(async {
                let app = TestApp::spawn(Backend::Sqlite).await;
                in_browser(&app, Journey::Account).await.expect("browser journey");
                app.stop().await;
            }))
        })
        .with_ignored_flag(!available),
        Trial::test("browser::forgot_password_in_chromium", || {
            support::run_async(Box::pin(async {
                let app = TestApp::spawn(Backend::Sqlite).await;
                in_browser(&app, Journey::ForgotPassword).await.expect("browser journey");
                app.stop().await;
            }))
        })
        .with_ignored_flag(!available),
        Trial::test("browser::filing_an_i90_in_chromium", || {
            support::run_async(Box::pin(async {
                let app = TestApp::spawn(Backend::Sqlite).await;
                in_browser(&app, Journey::FileI90).await.expect("browser journey");
                app.stop().await;
            }))
        })
        .with_ignored_flag(!available),
        Trial::test("browser::an_officer_asks_for_evidence_and_the_applicant_sends_it_in_chromium", || {
            support::run_async(Box::pin(async {
                let app = TestApp::spawn(Backend::Sqlite).await;
                in_browser(&app, Journey::OfficerAndApplicant).await.expect("browser journey");
                app.stop().await;
            }))
        })
        .with_ignored_flag(!available),
    ]
}

enum Journey {
    Account,
    ForgotPassword,
    FileI90,
    OfficerAndApplicant,
}

/// chromedriver on a free port, stopped when dropped.
struct Driver(Child, u16);

impl Driver {
    fn start() -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("free port").port();
        let mut child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        // Ready when it says so; no polling, no sleeping.
        let stdout = child.stdout.take().expect("stdout");
        for line in BufReader::new(stdout).lines() {
            if line.expect("chromedriver output").contains("started successfully") {
                break;
            }
        }
        Self(child, port)
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs a journey in a fresh headless Chromium; on failure, prints the page it failed on.
async fn in_browser(app: &TestApp, journey: Journey) -> WebDriverResult<()> {
    let chromedriver = Driver::start();
    let mut caps = DesiredCapabilities::chrome();
    caps.set_binary(CHROMIUM)?;
    let profile = tempfile::tempdir().expect("profile folder");
    for arg in [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        &format!("--user-data-dir={}", profile.path().display()),
    ] {
        caps.add_arg(arg)?;
    }
    let driver = WebDriver::new(format!("http://127.0.0.1:{}", chromedriver.1), caps).await?;
    let result = match journey {
        Journey::Account => steps(app, &driver).await,
        Journey::ForgotPassword => forgot_password(app, &driver).await,
        Journey::FileI90 => file_i90(app, &driver).await,
        Journey::OfficerAndApplicant => officer_and_applicant(app, &driver).await,
    };
    if result.is_err() {
        eprintln!(
            "browser test failed on {:?}:\n{}",
            driver.current_url().await.map(|u| u.to_string()),
            driver.source().await.unwrap_or_default()
        );
    }
    driver.quit().await?;
    result
}

async fn fill(driver: &WebDriver, id: &str, text: &str) -> WebDriverResult<()> {
    let input = driver.find(By::Id(id)).await?;
    input.clear().await?;
    input.send_keys(text).await
}

async fn press(driver: &WebDriver, label: &str) -> WebDriverResult<()> {
    driver.find(By::XPath(format!("//button[normalize-space()='{label}']"))).await?.click().await
}

/// Waits (WebDriver's explicit wait, polling the DOM) until the page's heading is `expected`: a click
/// returns before the navigation it starts has finished.
async fn expect_heading(driver: &WebDriver, expected: &str) -> WebDriverResult<()> {
    let found = driver.query(By::XPath(format!("//h1[normalize-space()=\"{expected}\"]"))).first().await;
    if found.is_err() {
        let actual = driver.find(By::Tag("h1")).await?.text().await?;
        panic!("expected the heading {expected:?}, the page shows {actual:?}");
    }
    Ok(())
}

async fn steps(app: &TestApp, driver: &WebDriver) -> WebDriverResult<()> {
    let email = "browser@example.org";
    driver.goto(app.url("/sign-up")).await?;
    fill(driver, "given_name", "Lucía").await?;
    fill(driver, "family_name", "Ramírez").await?;
    // A date input takes typed digits in the browser's locale order (en-US: month, day, year).
    fill(driver, "date_of_birth", "04011990").await?;
    fill(driver, "email", email).await?;
    fill(driver, "password", "violet tractor melody harbor").await?;
    press(driver, "Create account").await?;
    expect_heading(driver, "Check your email").await?;

    let link = app.email_to(email, "Confirm your email").await.link();
    driver.goto(link).await?;
    press(driver, "Confirm my email address").await?;
    expect_heading(driver, "Email address confirmed").await?;

    driver.goto(app.url("/sign-in")).await?;
    fill(driver, "email", email).await?;
    fill(driver, "password", "violet tractor melody harbor").await?;
    press(driver, "Sign in").await?;
    expect_heading(driver, "Security setup").await?;

    for (index, answer) in ["Canela", "Oaxaca", "Pedro"].iter().enumerate() {
        driver.find(By::Name(format!("answer_{index}"))).await?.send_keys(*answer).await?;
    }
    press(driver, "Save security questions").await?;
    driver.query(By::XPath("//h2[contains(., 'Security questions')]/span[@class='done']")).first().await?;
    press(driver, "Set up an authenticator app").await?;
    driver.query(By::Id("totp-secret")).first().await?;
    let secret =
        TotpSecret::from_base32(&driver.find(By::Id("totp-secret")).await?.text().await?).expect("key on the page");
    fill(driver, "code", &secret.code_at(app.now_unix())).await?;
    press(driver, "Confirm authenticator").await?;
    expect_heading(driver, "Save your backup codes").await?;
    let shown = driver.find(By::Id("account-number")).await?.text().await?;
    assert!(ellis_core::AccountNumber::parse(&shown).is_ok(), "a valid account number: {shown}");
    assert_eq!(driver.find(By::Id("backup-codes")).await?.find_all(By::Tag("li")).await?.len(), 10);

    driver.goto(app.url("/account")).await?;
    let information = driver.find(By::Id("account-information")).await?.text().await?;
    assert!(information.contains("Account Information") && information.contains(&shown), "{information}");

    fill(driver, "a_number", "12345678").await?;
    press(driver, "Save changes").await?;
    driver.query(By::XPath("//*[contains(., 'Your changes were saved.')]")).first().await?;
    let information = driver.find(By::Id("account-information")).await?.text().await?;
    assert!(information.contains("A012345678") && information.contains(&shown), "{information}");

    driver.goto(app.url("/account/history")).await?;
    expect_heading(driver, "Account history").await?;
    let history = driver.find(By::Tag("table")).await?.text().await?;
    for line in
        ["USCIS Online Account Number assigned", "Authenticator app enrolled", "Profile changed", "Account created"]
    {
        assert!(history.contains(line), "history shows {line:?}: {history}");
    }

    press(driver, "Sign out").await?;
    expect_heading(driver, "Your USCIS Online Account").await?;
    driver.goto(app.url("/account")).await?;
    expect_heading(driver, "Sign in").await?;

    fill(driver, "email", email).await?;
    fill(driver, "password", "violet tractor melody harbor").await?;
    press(driver, "Sign in").await?;
    expect_heading(driver, "Verify it is you").await?;
    app.advance(Duration::seconds(30));
    fill(driver, "code", &secret.code_at(app.now_unix())).await?;
    press(driver, "Verify").await?;
    expect_heading(driver, "Your account").await?;
    assert_eq!(driver.find(By::Id("account-number")).await?.text().await?, shown);
    Ok(())
}

/// Forgot password in the browser: the link from the outbox, a new password confirmed with the
/// authenticator, signing in with it, and the security page that lists this browser's session.
async fn forgot_password(app: &TestApp, driver: &WebDriver) -> WebDriverResult<()> {
    let holder = app.holder("forgetful@example.org").await;
    driver.goto(app.url("/sign-in")).await?;
    driver.find(By::LinkText("Forgot your password?")).await?.click().await?;
    expect_heading(driver, "Forgot your password").await?;
    fill(driver, "email", &holder.email).await?;
    press(driver, "Email me a link").await?;
    expect_heading(driver, "Check your email").await?;

    let link = app.email_to(&holder.email, "Reset your password").await.link();
    driver.goto(link).await?;
    expect_heading(driver, "Choose a new password").await?;
    fill(driver, "new_password", "short").await?;
    fill(driver, "code", &holder.totp.code_at(app.now_unix())).await?;
    press(driver, "Set my new password").await?;
    driver.query(By::ClassName("error-summary")).first().await?;
    fill(driver, "new_password", "lantern meadow copper violin").await?;
    fill(driver, "code", &holder.totp.code_at(app.now_unix())).await?;
    press(driver, "Set my new password").await?;
    expect_heading(driver, "Your password was changed").await?;
    assert!(app.email_to(&holder.email, "Your password was changed").await.link().contains("report-compromise"));

    driver.goto(app.url("/sign-in")).await?;
    fill(driver, "email", &holder.email).await?;
    fill(driver, "password", "lantern meadow copper violin").await?;
    press(driver, "Sign in").await?;
    expect_heading(driver, "Verify it is you").await?;
    app.advance(Duration::seconds(30));
    fill(driver, "code", &holder.totp.code_at(app.now_unix())).await?;
    press(driver, "Verify").await?;
    expect_heading(driver, "Your account").await?;

    driver.goto(app.url("/account/security")).await?;
    expect_heading(driver, "Security").await?;
    let sessions = driver.find(By::Id("sessions")).await?.text().await?;
    assert!(sessions.contains("This browser"), "{sessions}");
    Ok(())
}

/// File an I-90 from the page, see the receipt number, download the receipt notice.
async fn file_i90(app: &TestApp, driver: &WebDriver) -> WebDriverResult<()> {
    let holder = app.holder("filer@example.org").await;
    driver.goto(app.url("/sign-in")).await?;
    fill(driver, "email", &holder.email).await?;
    fill(driver, "password", &holder.password).await?;
    press(driver, "Sign in").await?;
    expect_heading(driver, "Verify it is you").await?;
    fill(driver, "code", &holder.totp.code_at(app.now_unix())).await?;
    press(driver, "Verify").await?;
    expect_heading(driver, "Your account").await?;

    driver.find(By::LinkText("Cases")).await?.click().await?;
    expect_heading(driver, "Your cases").await?;
    driver.find(By::LinkText("File a form online")).await?.click().await?;
    driver.find(By::LinkText("I-90")).await?.click().await?;
    expect_heading(driver, "Form I-90, Application to Replace Permanent Resident Card").await?;
    for (id, value) in [
        ("fields.family_name", "Ramírez"),
        ("fields.given_name", "Lucía"),
        ("fields.country_of_birth", "Mexico"),
        ("fields.a_number", "A012345678"),
        ("fields.mailing_address.line1", "12 Elm Street"),
        ("fields.mailing_address.city", "Tucson"),
        ("fields.mailing_address.state", "AZ"),
        ("fields.mailing_address.zip", "85701"),
        ("fields.signature", "Lucía Ramírez"),
    ] {
        fill(driver, id, value).await?;
    }
    fill(driver, "fields.date_of_birth", "04011990").await?;
    for (id, visible) in [("fields.sex", "Female"), ("fields.reason", "My card was lost, stolen or destroyed")] {
        let select = driver.find(By::Id(id)).await?;
        select.find(By::XPath(format!("./option[normalize-space()='{visible}']"))).await?.click().await?;
    }
    press(driver, "File Form I-90").await?;
    driver.query(By::Id("receipt-number")).first().await?;
    let receipt = driver.find(By::Id("receipt-number")).await?.text().await?;
    assert!(ellis_core::ReceiptNumber::parse(&receipt).is_ok_and(|r| r.prefix() == "IOE"), "{receipt}");
    let status = driver.find(By::Id("status-title")).await?.text().await?;
    assert_eq!(status, "Case Was Received and A Receipt Notice Was Emailed");

    // The notice link downloads the PDF; fetch it with this browser's session cookie and read it.
    let link = driver.find(By::XPath("//ul[@id='notices']//a")).await?;
    let href = link.attr("href").await?.expect("a link to the notice");
    let cookie = driver.get_named_cookie("ellis_session").await?;
    let pdf = reqwest::Client::new()
        .get(app.url(&href))
        .header("cookie", format!("ellis_session={}", cookie.value))
        .send()
        .await
        .expect("download");
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let text = crate::cases::pdf_text(&pdf.bytes().await.expect("bytes"));
    assert!(text.contains(&receipt) && text.contains("I-797C") && text.contains("Lucía Ramírez"), "{text}");
    Ok(())
}

/// A new officer sets up from the link and signs in; the officer asks for evidence on an applicant's case;
/// the applicant (same browser, their own cookie) sees the request, uploads a PDF, and the case moves on;
/// the officer then finds the file on the case.
async fn officer_and_applicant(app: &TestApp, driver: &WebDriver) -> WebDriverResult<()> {
    let holder = app.holder("filer@example.org").await;
    let token = app.two_factor_session(&holder).await;
    let filing = serde_json::json!({"form_type": "I-90", "fields": crate::cases::i90_fields()});
    let receipt = app.post("/api/v1/cases", filing, Some(&token)).await.body["receipt_number"]
        .as_str()
        .expect("filed")
        .to_owned();

    let (_, link) = ellis::services::staff::identity::create(&app.state, "pat@uscis.example", "Pat Officer", "officer")
        .await
        .expect("staff member");
    driver.goto(link).await?;
    expect_heading(driver, "Set up your staff account").await?;
    fill(driver, "password", crate::staff::STAFF_PASSWORD).await?;
    press(driver, "Continue").await?;
    driver.query(By::Id("totp_secret")).first().await?;
    let secret = TotpSecret::from_base32(&driver.find(By::Id("totp_secret")).await?.text().await?).expect("key");
    fill(driver, "code", &secret.code_at(app.now_unix())).await?;
    press(driver, "Finish setup").await?;
    expect_heading(driver, "Your staff account is ready").await?;
    app.advance(Duration::seconds(30));
    driver.find(By::LinkText("Sign in")).await?.click().await?;
    expect_heading(driver, "Staff sign-in").await?;
    fill(driver, "email", "pat@uscis.example").await?;
    fill(driver, "password", crate::staff::STAFF_PASSWORD).await?;
    press(driver, "Continue").await?;
    expect_heading(driver, "Enter your authenticator code").await?;
    fill(driver, "code", &secret.code_at(app.now_unix())).await?;
    press(driver, "Sign in").await?;
    expect_heading(driver, "Welcome, Pat Officer").await?;

    driver.find(By::LinkText("Queue")).await?.click().await?;
    expect_heading(driver, "Queue").await?;
    driver.find(By::LinkText(&receipt)).await?.click().await?;
    expect_heading(driver, &receipt).await?;
    let select = driver.find(By::Id("status_title")).await?;
    select
        .find(By::XPath("./option[starts-with(normalize-space(), 'Request for Initial Evidence Was Sent')]"))
        .await?
        .click()
        .await?;
    fill(driver, "due_date", "03012027").await?;
    fill(driver, "note", "Send a copy of your birth certificate.").await?;
    press(driver, "Update the case").await?;
    driver.query(By::XPath("//div[contains(@class, 'success')]")).first().await?;
    assert_eq!(driver.find(By::Id("status")).await?.text().await?, "Request for Initial Evidence Was Sent");

    // The applicant, in the same browser: the staff cookie is only sent to /staff pages.
    driver.goto(app.url("/sign-in")).await?;
    fill(driver, "email", &holder.email).await?;
    fill(driver, "password", &holder.password).await?;
    press(driver, "Sign in").await?;
    expect_heading(driver, "Verify it is you").await?;
    fill(driver, "code", &holder.totp.code_at(app.now_unix())).await?;
    press(driver, "Verify").await?;
    expect_heading(driver, "Your account").await?;
    driver.goto(app.url(&format!("/cases/{receipt}"))).await?;
    assert_eq!(driver.find(By::Id("status-title")).await?.text().await?, "Request for Initial Evidence Was Sent");
    let folder = tempfile::tempdir().expect("folder");
    let file = folder.path().join("birth-certificate.pdf");
    std::fs::write(&file, b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n").expect("file");
    driver.find(By::Id("files")).await?.send_keys(file.display().to_string()).await?;
    press(driver, "Send evidence").await?;
    driver.query(By::Id("evidence-sent")).first().await?;
    assert_eq!(
        driver.find(By::Id("status-title")).await?.text().await?,
        "Response To USCIS' Request For Evidence Was Received"
    );

    // Back on the staff side, the officer sees the file on the case.
    driver.goto(app.url(&format!("/staff/cases/{receipt}"))).await?;
    expect_heading(driver, &receipt).await?;
    driver.find(By::LinkText("birth-certificate.pdf")).await?;
    assert_eq!(
        driver.find(By::Id("status")).await?.text().await?,
        "Response To USCIS' Request For Evidence Was Received"
    );
    Ok(())
}
