//! Paper intake (officers, at `/staff/intake` or `POST /api/v1/staff/paper-cases`): a paper-filed case
//! with a service-center or lockbox receipt number in the real digit layout, the status "Case Was
//! Received" and an I-797C receipt notice. When the filing names an online account number (check digit
//! checked, aliases resolved) the case joins that account; otherwise an Account Access Notice carries a
//! one-time Online Access Code (90 days, stored hashed) with which the applicant links it.

use ellis_core::access_code::{ACCESS_CODE_LIFETIME, ACCESS_CODE_TRIES, AccessCode};
use ellis_core::events::EventKind;
use ellis_core::notice_kind::{NoticeForm, NoticeKind};
use ellis_core::receipt_number::{PaperLayout, ReceiptNumber, fiscal_year, workday_of_fiscal_year};
use ellis_core::staff::Role;
use ellis_core::status::RECEIVED_PAPER;
use ellis_core::tokens::token_hash;
use ellis_core::totp::constant_time_eq;
use ellis_core::{AccountNumber, FieldErrors};
use ellis_notices::Notice;
use ellis_store::{CaseRecord, NewCase};
use serde_json::{Map, Value};

use super::filing::{form, parties};
use super::notices;
use crate::AppState;
use crate::mail::{CaseUpdated, first_name};
use crate::services::staff::StaffAuthenticated;
use crate::services::{Client, ServiceError, ServiceResult, invalid, record_detail};

pub struct PaperFiling {
    pub form_type: String,
    pub prefix: String,
    pub layout: PaperLayout,
    /// The form's fields as on paper (the same names as online); a signature is not asked for.
    pub fields: Map<String, Value>,
    pub account_number: Option<String>,
    /// The officer who received it (recorded in the staff audit); `None` for bulk loads (`ellis seed`).
    pub received_by: Option<ellis_core::ids::StaffId>,
}

/// What the Account Access Notice says, with the code shown as `shown`.
fn access_body(shown: &str, expires_at: i64) -> Vec<String> {
    let expires = crate::services::unix_to_datetime(expires_at).date();
    vec![
        format!("Your Online Access Code is: {shown}"),
        format!(
            "To follow this case online, sign in to your USCIS Online Account (or create one), choose \
             \"Add a paper-filed case\", and enter the receipt number above and this code. The code works \
             once, until {}.",
            ellis_notices::long_date(expires)
        ),
    ]
}

/// The Account Access Notice as mailed, with the code printed: for the officer who received the filing and
/// was shown the code. Only the right code prints (ellis keeps its hash, not the code), and only while it
/// can still be used. Recorded in the staff audit.
pub async fn mail_copy(
    state: &AppState,
    auth: &StaffAuthenticated,
    notice_id: &str,
    code: &str,
) -> ServiceResult<(String, Vec<u8>)> {
    auth.require(&[Role::Officer])?;
    let code = AccessCode::parse(code).map_err(|e| invalid("access_code", e.to_string()))?;
    let record = state.store.notice(notice_id).await?.ok_or(ServiceError::NotFound)?;
    if record.kind != NoticeKind::AccountAccess.as_str() {
        return Err(ServiceError::NotFound);
    }
    let case = state.store.case(ellis_core::ids::CaseId(record.case_id)).await?;
    let stored = state.store.access_code(case.id).await?.ok_or(ServiceError::NotFound)?;
    if !constant_time_eq(token_hash(code.as_str()).as_bytes(), stored.code_hash.as_bytes()) {
        return Err(invalid("access_code", "This is not the code made for this case"));
    }
    if stored.used_at.is_some() || stored.expires_at <= state.clock.unix() {
        return Err(ServiceError::Conflict("the code was used or has expired; nothing to mail"));
    }
    let mut printed: Notice = serde_json::from_str(&record.data).map_err(anyhow::Error::from)?;
    printed.body = access_body(&code.to_string(), stored.expires_at);
    let mut tx = state.store.write().await?;
    let entry = ellis_store::AuditEntry {
        staff: auth.member.id,
        action: "notice.print",
        account: case.account,
        case: Some(case.id),
        detail: Some("Account Access Notice with its code"),
    };
    tx.audit(&entry, state.clock.unix()).await?;
    tx.commit().await?;
    Ok((format!("{}-{}-{}.pdf", record.form, record.kind, case.receipt_number), ellis_notices::render(&printed)))
}

pub struct Intake {
    pub receipt_number: ReceiptNumber,
    /// Shown once, here: only its hash is stored.
    pub access_code: Option<AccessCode>,
    /// The notices to mail, rendered with the access code in full (the stored copy omits it).
    pub mailed: Vec<(String, Vec<u8>)>,
}

pub async fn intake(state: &AppState, paper: PaperFiling, client: &Client) -> ServiceResult<Intake> {
    let form = form(&paper.form_type)?;
    let prefix = paper.prefix.trim().to_ascii_uppercase();
    if prefix.len() != 3 || !prefix.bytes().all(|b| b.is_ascii_uppercase()) || prefix == "IOE" {
        return Err(invalid("prefix", "Use the three letters of a service center or lockbox, such as LIN or MSC"));
    }
    let today = state.clock.now().date();
    // A paper filing is checked like a draft (no signature to type), plus the parts every notice needs.
    let (filing, mut errors) = match form.validate(&paper.fields, today, true) {
        Ok(filing) => (Some(filing), FieldErrors::new()),
        Err(errors) => (None, errors),
    };
    for required in [form.signer.0, form.signer.1, "mailing_address"] {
        let blank =
            paper.fields.get(required).is_none_or(|v| v.is_null() || v.as_str().is_some_and(|s| s.trim().is_empty()));
        if blank {
            errors.add(&format!("fields.{required}"), "This field is required");
        }
    }
    errors.clone().into_result()?;
    let filing = filing.ok_or(ServiceError::Invalid(errors))?;
    let account = match crate::services::given(paper.account_number.as_deref()) {
        Some(typed) => {
            let number = AccountNumber::parse(typed).map_err(|e| invalid("account_number", e.to_string()))?;
            let account = state.store.account_by_number(&number).await?;
            Some(account.ok_or_else(|| invalid("account_number", "No online account has this number"))?)
        }
        None => None,
    };
    let fields_json = serde_json::to_string(&filing.values).map_err(anyhow::Error::from)?;
    let now = state.clock.unix();
    let (fiscal_year, workday) = (fiscal_year(today), workday_of_fiscal_year(today));

    let mut tx = state.store.write().await?;
    let layout_key = match paper.layout {
        PaperLayout::ServiceCenter => "5",
        PaperLayout::Lockbox => "9",
    };
    let serial = tx.next_receipt_sequence(&format!("{prefix}{layout_key}{workday:03}"), fiscal_year).await?;
    let receipt = u16::try_from(serial)
        .ok()
        .and_then(|serial| ReceiptNumber::paper(&prefix, paper.layout, fiscal_year, workday, serial))
        .ok_or(ServiceError::Conflict("today's 9,999 receipt numbers for this office are used up"))?;
    let office = receipt.office().unwrap_or("U.S. Citizenship and Immigration Services").to_owned();
    let new = NewCase {
        receipt_number: &receipt,
        account: account.as_ref().map(|a| a.id),
        form_type: form.form_type,
        filed_online: false,
        status_title: RECEIVED_PAPER,
        received_at: now,
        fields_json: &fields_json,
        fee_cents: None,
        office: &office,
        idempotency_key: None,
        request_digest: None,
    };
    let id = tx.insert_case(&new, now).await?;
    let case = CaseRecord {
        id,
        receipt_number: receipt,
        account: new.account,
        form_type: form.form_type.to_owned(),
        filed_online: false,
        status_title: RECEIVED_PAPER.to_owned(),
        status_at: now,
        received_at: now,
        fields_json,
        fee_cents: None,
        office: office.clone(),
        request_digest: None,
        unread: false,
    };
    let account_number = account.as_ref().and_then(|a| a.account_number).map(|n| n.display());
    let who = parties(&form, &filing, account_number, office);
    let receipt_body = vec![
        "We have received your form. We will tell you about our decision, or if we need anything else from you, \
         by notice."
            .to_owned(),
    ];
    let receipt_notice =
        notices::issue(state, &mut tx, &case, &who, (NoticeForm::I797C, NoticeKind::Receipt), receipt_body, today)
            .await?;
    let mut mailed = vec![(receipt_notice.public_id.clone(), render(&receipt_notice.data)?)];
    let access_code = match &account {
        Some(account) => {
            let detail = format!("Form {}, receipt number {}", form.form_type, case.receipt_number);
            record_detail(&mut tx, state, account.id, EventKind::CaseLinked, client, Some(&detail)).await?;
            let message =
                CaseUpdated { given_name: first_name(&account.given_name), link: state.config.link("/sign-in") }
                    .compose(account.email.as_str())
                    .map_err(anyhow::Error::from)?;
            tx.enqueue_email(&message.as_new_email(), now).await?;
            None
        }
        None => {
            let code = AccessCode::generate(&mut rand::rng());
            let expires_at = now + ACCESS_CODE_LIFETIME.whole_seconds();
            tx.insert_access_code(case.id, &token_hash(code.as_str()), expires_at, ACCESS_CODE_TRIES).await?;
            let body = |shown: &str| access_body(shown, expires_at);
            // The stored notice omits the code; the mailed one prints it.
            let stored = notices::issue(
                state,
                &mut tx,
                &case,
                &who,
                (NoticeForm::AccountAccess, NoticeKind::AccountAccess),
                body("printed only on the notice mailed to you"),
                today,
            )
            .await?;
            let mut printed: Notice = serde_json::from_str(&stored.data).map_err(anyhow::Error::from)?;
            printed.body = body(&code.to_string());
            mailed.push((stored.public_id, ellis_notices::render(&printed)));
            Some(code)
        }
    };
    if let Some(staff) = paper.received_by {
        let entry = ellis_store::AuditEntry {
            staff,
            action: "case.intake",
            account: case.account,
            case: Some(case.id),
            detail: Some(form.form_type),
        };
        tx.audit(&entry, now).await?;
    }
    tx.commit().await?;
    state.wake_mailer();
    Ok(Intake { receipt_number: receipt, access_code, mailed })
}

fn render(data: &str) -> ServiceResult<Vec<u8>> {
    let notice: Notice = serde_json::from_str(data).map_err(anyhow::Error::from)?;
    Ok(ellis_notices::render(&notice))
}
