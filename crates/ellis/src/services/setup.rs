//! Security setup: three security questions, an authenticator app confirmed with a code, and ten backup
//! codes. When the questions and the authenticator are both in place, the USCIS Online Account Number is
//! assigned, in the same transaction as the step that completed setup.

use ellis_core::events::EventKind;
use ellis_core::security_questions::{self, AnswerError, REQUIRED_ANSWERS};
use ellis_core::tokens::{random_token, token_hash};
use ellis_core::totp::TotpSecret;
use ellis_core::{AccountId, AccountNumber, FieldErrors, backup_codes};
use ellis_store::Tx;

use super::alerts::{self, Alert};
use super::auth::{Authenticated, Need};
use super::{Client, ServiceError, ServiceResult, invalid, record};
use crate::AppState;

/// How many random numbers to draw before giving up; with 10^11 possible numbers, more than one draw is
/// already rare.
const NUMBER_DRAWS: usize = 20;
const ISSUER: &str = "USCIS Online Account (ellis)";

pub async fn set_security_questions(
    state: &AppState,
    auth: &Authenticated,
    answers: &[(i64, String)],
    client: &Client,
) -> ServiceResult<Option<AccountNumber>> {
    auth.require(need_for_factor_change(auth))?;
    let normalised = parse_answers(answers)?;
    let mut hashed = Vec::with_capacity(normalised.len());
    for (question_id, answer) in normalised {
        hashed.push((question_id, state.hasher.hash(answer).await?));
    }
    let now = state.clock.unix();
    let mut tx = state.store.write().await?;
    tx.replace_security_answers(auth.account.id, &hashed, now).await?;
    record(&mut tx, state, auth.account.id, EventKind::SecurityQuestionsSet, client).await?;
    if auth.account.questions_set {
        let alert = Alert::new(
            "Your security questions were changed",
            "New answers to your security questions were saved. They are used only, with your email, to recover \
             an account whose second factors are lost.",
        );
        alerts::send(state, &mut tx, &auth.account, alert).await?;
    }
    let assigned = complete_setup_if_ready(state, &mut tx, auth.account.id, client).await?;
    tx.commit().await?;
    Ok(assigned)
}

/// Checks the three answers and returns them normalised, naming each bad one `answers[i].answer`.
fn parse_answers(answers: &[(i64, String)]) -> ServiceResult<Vec<(i64, String)>> {
    if answers.len() != REQUIRED_ANSWERS {
        return Err(invalid("answers", AnswerError::WrongCount.to_string()));
    }
    let mut errors = FieldErrors::new();
    let mut parsed = Vec::new();
    for (index, (question_id, answer)) in answers.iter().enumerate() {
        if security_questions::find(*question_id).is_none() {
            errors.add(&format!("answers[{index}].question_id"), AnswerError::UnknownQuestion.to_string());
        } else if answers[..index].iter().any(|(earlier, _)| earlier == question_id) {
            errors.add(&format!("answers[{index}].question_id"), AnswerError::Repeated.to_string());
        }
        if let Some(normal) =
            errors.check(&format!("answers[{index}].answer"), security_questions::normalise_answer(answer))
        {
            parsed.push((*question_id, normal));
        }
    }
    errors.into_result()?;
    Ok(parsed)
}

/// A pending authenticator enrolment: what the user types or scans.
pub struct TotpEnrolment {
    pub secret: String,
    pub otpauth_uri: String,
    pub qr_svg: String,
}

pub async fn start_totp(state: &AppState, auth: &Authenticated) -> ServiceResult<TotpEnrolment> {
    auth.require(need_for_factor_change(auth))?;
    let secret = TotpSecret::generate(&mut rand::rng());
    let mut tx = state.store.write().await?;
    tx.set_pending_totp(auth.account.id, &secret.to_base32(), state.clock.unix()).await?;
    tx.commit().await?;
    Ok(enrolment(&secret, auth.account.email.as_str()))
}

/// The pending enrolment again (a page reload must not change the secret the user already scanned).
pub fn pending_totp(auth: &Authenticated) -> Option<TotpEnrolment> {
    let secret = TotpSecret::from_base32(auth.account.totp_pending_secret.as_deref()?).ok()?;
    Some(enrolment(&secret, auth.account.email.as_str()))
}

fn enrolment(secret: &TotpSecret, account_name: &str) -> TotpEnrolment {
    let otpauth_uri = secret.otpauth_uri(ISSUER, account_name);
    let qr_svg = qr_svg(&otpauth_uri);
    TotpEnrolment { secret: secret.to_base32(), otpauth_uri, qr_svg }
}

/// An `otpauth://` URI as a QR code (SVG) for an authenticator app to scan.
pub fn qr_svg(otpauth_uri: &str) -> String {
    qrcode::QrCode::new(otpauth_uri.as_bytes())
        .map(|code| code.render::<qrcode::render::svg::Color<'_>>().min_dimensions(200, 200).quiet_zone(true).build())
        .unwrap_or_default()
}

/// What confirming the authenticator yields: backup codes shown once, the account number if setup is now
/// complete, and a rotated session token when asked for one.
pub struct TotpConfirmed {
    pub backup_codes: Vec<String>,
    /// Set when this confirmation completed setup and the number was assigned just now.
    pub account_number: Option<AccountNumber>,
    /// Whether security setup is complete now (the questions were answered before or with this step).
    pub setup_complete: bool,
    pub new_token: Option<String>,
}

pub async fn confirm_totp(
    state: &AppState,
    auth: &Authenticated,
    code: &str,
    rotate: bool,
    client: &Client,
) -> ServiceResult<TotpConfirmed> {
    auth.require(need_for_factor_change(auth))?;
    let pending = auth
        .account
        .totp_pending_secret
        .as_deref()
        .ok_or(ServiceError::Conflict("no authenticator enrolment is pending: start one first"))?;
    let secret = TotpSecret::from_base32(pending).map_err(anyhow::Error::from)?;
    let now = state.clock.unix();
    let step = secret.verify(code, now as u64, None).ok_or(ServiceError::InvalidCode)?;
    let codes = backup_codes::generate(&mut rand::rng());
    let hashes = hash_backup_codes(state, &codes).await?;

    let mut tx = state.store.write().await?;
    if !tx.confirm_totp(auth.account.id, pending, step as i64, now).await? {
        return Err(ServiceError::Conflict("the enrolment changed meanwhile: start again"));
    }
    tx.replace_backup_codes(auth.account.id, &hashes, now).await?;
    let new_token = rotate.then(|| random_token(&mut rand::rng()));
    tx.raise_session(auth.session.id, new_token.as_deref().map(token_hash).as_deref(), now).await?;
    record(&mut tx, state, auth.account.id, EventKind::AuthenticatorEnrolled, client).await?;
    record(&mut tx, state, auth.account.id, EventKind::BackupCodesIssued, client).await?;
    let account_number = complete_setup_if_ready(state, &mut tx, auth.account.id, client).await?;
    // Not the first setup (the number was assigned before): a factor changed, and the holder should know.
    if auth.account.account_number.is_some() {
        let alert = Alert::new(
            "A new authenticator app was set up",
            "Your account now accepts codes from a newly set up authenticator app, and new backup codes were made; \
             the old app and the old backup codes no longer work.",
        );
        alerts::send(state, &mut tx, &auth.account, alert).await?;
    }
    tx.commit().await?;
    state.wake_mailer();
    // The authenticator is now in place, so setup is complete when the questions are answered (a number
    // assigned just now means they were, even if answered after this session was read).
    let setup_complete = account_number.is_some() || auth.account.questions_set;
    Ok(TotpConfirmed { backup_codes: codes, account_number, setup_complete, new_token })
}

/// Ten new backup codes; the old ones stop working.
pub async fn regenerate_backup_codes(
    state: &AppState,
    auth: &Authenticated,
    client: &Client,
) -> ServiceResult<Vec<String>> {
    auth.require(Need::FreshTwoFactor)?;
    let codes = backup_codes::generate(&mut rand::rng());
    let hashes = hash_backup_codes(state, &codes).await?;
    let mut tx = state.store.write().await?;
    tx.replace_backup_codes(auth.account.id, &hashes, state.clock.unix()).await?;
    record(&mut tx, state, auth.account.id, EventKind::BackupCodesIssued, client).await?;
    let alert =
        Alert::new("New backup codes were made", "Ten new backup codes were made; the old ones no longer work.");
    alerts::send(state, &mut tx, &auth.account, alert).await?;
    tx.commit().await?;
    state.wake_mailer();
    Ok(codes)
}

/// Setting up a factor during security setup needs only the password; replacing one on a finished account
/// is a sensitive change and needs a second factor passed in the last 20 minutes.
fn need_for_factor_change(auth: &Authenticated) -> Need {
    if auth.account.setup_complete() { Need::FreshTwoFactor } else { Need::TwoFactorOrSetup }
}

async fn hash_backup_codes(state: &AppState, codes: &[String]) -> ServiceResult<Vec<String>> {
    let mut hashes = Vec::with_capacity(codes.len());
    for code in codes {
        hashes.push(state.hasher.hash(backup_codes::normalise(code)).await?);
    }
    Ok(hashes)
}

/// Assigns the account number once questions and authenticator are both set. Draws until a number is free
/// in the registry of every number ever issued, which is what keeps numbers unique across concurrent set-ups
/// and instances.
async fn complete_setup_if_ready(
    state: &AppState,
    tx: &mut Tx,
    id: AccountId,
    client: &Client,
) -> ServiceResult<Option<AccountNumber>> {
    let account = tx.account_for_update(id).await?;
    if !account.setup_complete() || account.account_number.is_some() {
        return Ok(None);
    }
    let now = state.clock.unix();
    for _ in 0..NUMBER_DRAWS {
        let number = AccountNumber::generate(&mut rand::rng());
        if tx.claim_account_number(id, &number, now).await? {
            tx.set_account_number(id, &number, now).await?;
            record(tx, state, id, EventKind::AccountNumberAssigned, client).await?;
            return Ok(Some(number));
        }
    }
    Err(ServiceError::Internal(anyhow::anyhow!("no free account number after {NUMBER_DRAWS} draws")))
}
