//! Filing a form online (DESIGN.md §5): validated field by field, then in one transaction the case, its
//! receipt number (`IOE` + fiscal year + 8-digit sequence), the status "Case Was Received and A Receipt
//! Notice Was Emailed", the I-797C receipt notice and the notification email. A client's Idempotency-Key
//! makes a retry return the same case instead of filing twice. Drafts keep a form between visits.

use ellis_core::events::EventKind;
use ellis_core::forms::{self, FormDefinition, ValidFiling};
use ellis_core::notice_kind::{NoticeForm, NoticeKind};
use ellis_core::receipt_number::{ReceiptNumber, fiscal_year};
use ellis_core::status::RECEIVED_ONLINE;
use ellis_store::{CaseRecord, NewCase, NoticeRecord, StoreError};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::notices::{self, NoticeParties};
use super::office_for;
use crate::AppState;
use crate::mail::{CaseUpdated, first_name};
use crate::services::auth::{Authenticated, Need};
use crate::services::{Client, ServiceError, ServiceResult, invalid, record_detail};

/// A form with its online fee from the configuration.
pub struct FormWithFee {
    pub form: FormDefinition,
    pub fee_cents: Option<i64>,
}

pub fn forms(state: &AppState) -> Vec<FormWithFee> {
    forms::all()
        .into_iter()
        .map(|form| FormWithFee { fee_cents: state.config.online_fees_cents.get(form.form_type).copied(), form })
        .collect()
}

pub fn form(form_type: &str) -> ServiceResult<FormDefinition> {
    forms::find(form_type).ok_or_else(|| {
        let known: Vec<&str> = forms::all().iter().map(|f| f.form_type).collect();
        invalid("form_type", format!("ellis files these forms online: {}", known.join(", ")))
    })
}

/// A filed case and its notices; `replayed` when an earlier request with the same Idempotency-Key made it.
pub struct Filed {
    pub case: CaseRecord,
    pub notices: Vec<NoticeRecord>,
    pub replayed: bool,
}

pub async fn file(
    state: &AppState,
    auth: &Authenticated,
    form_type: &str,
    fields: &Map<String, Value>,
    idempotency_key: Option<&str>,
    client: &Client,
) -> ServiceResult<Filed> {
    auth.require(Need::TwoFactor)?;
    let form = form(form_type)?;
    if let Some(key) = idempotency_key
        && (key.is_empty() || key.len() > 200 || !key.chars().all(|c| c.is_ascii_graphic()))
    {
        return Err(invalid("Idempotency-Key", "Use 1 to 200 visible ASCII characters"));
    }
    let digest = request_digest(form.form_type, fields);
    if let Some(key) = idempotency_key
        && let Some(earlier) = state.store.case_by_idempotency_key(auth.account.id, key).await?
    {
        return replay(state, earlier, &digest).await;
    }
    let today = state.clock.now().date();
    let filing = form.validate(fields, today, false)?;
    let account_number = auth.account.account_number.ok_or(ServiceError::SetupRequired)?;
    let fee_cents = state.config.online_fees_cents.get(form.form_type).copied();
    let fields_json = serde_json::to_string(&filing.values).map_err(anyhow::Error::from)?;
    let now = state.clock.unix();

    let mut tx = state.store.write().await?;
    let fiscal_year = fiscal_year(today);
    let sequence = tx.next_receipt_sequence(super::ONLINE_PREFIX, fiscal_year).await?;
    let receipt = u32::try_from(sequence)
        .ok()
        .and_then(|n| ReceiptNumber::online(fiscal_year, n))
        .ok_or_else(|| anyhow::anyhow!("the IOE sequence of fiscal year {fiscal_year} is exhausted"))?;
    let new = NewCase {
        receipt_number: &receipt,
        account: Some(auth.account.id),
        form_type: form.form_type,
        filed_online: true,
        status_title: RECEIVED_ONLINE,
        received_at: now,
        fields_json: &fields_json,
        fee_cents,
        office: office_for(&receipt),
        idempotency_key,
        request_digest: Some(&digest),
    };
    let id = match tx.insert_case(&new, now).await {
        Ok(id) => id,
        // The same Idempotency-Key, filed by a parallel request that committed first.
        Err(StoreError::UniqueViolation) if idempotency_key.is_some() => {
            drop(tx);
            let key = idempotency_key.unwrap_or_default();
            let earlier = state.store.case_by_idempotency_key(auth.account.id, key).await?;
            return replay(state, earlier.ok_or(ServiceError::Conflict("retry the filing"))?, &digest).await;
        }
        Err(other) => return Err(other.into()),
    };
    let case = CaseRecord {
        id,
        receipt_number: receipt,
        account: Some(auth.account.id),
        form_type: form.form_type.to_owned(),
        filed_online: true,
        status_title: RECEIVED_ONLINE.to_owned(),
        status_at: now,
        received_at: now,
        fields_json,
        fee_cents,
        office: office_for(&receipt).to_owned(),
        request_digest: Some(digest),
        unread: false,
    };
    let parties = parties(&form, &filing, Some(account_number.display()), case.office.clone());
    let body = vec![
        "We have received your form and the fee shown above. We will tell you about our decision, or if we need \
         anything else from you, in your USCIS Online Account and by notice."
            .to_owned(),
        "Keep this notice. You need the receipt number to ask about your case. You can follow it any time in your \
         account or with the public case status look-up."
            .to_owned(),
    ];
    let receipt_notice =
        notices::issue(state, &mut tx, &case, &parties, (NoticeForm::I797C, NoticeKind::Receipt), body, today).await?;
    tx.delete_draft(auth.account.id, form.form_type).await?;
    let detail = format!("Form {}, receipt number {}", form.form_type, case.receipt_number);
    record_detail(&mut tx, state, auth.account.id, EventKind::CaseFiled, client, Some(&detail)).await?;
    let message = CaseUpdated { given_name: first_name(&auth.account.given_name), link: state.config.link("/sign-in") }
        .compose(auth.account.email.as_str())
        .map_err(anyhow::Error::from)?;
    tx.enqueue_email(&message.as_new_email(), now).await?;
    tx.commit().await?;
    state.wake_mailer();
    Ok(Filed { case, notices: vec![receipt_notice], replayed: false })
}

/// The case an earlier request made, if this request is the same one again; a different request under the
/// same key is a conflict.
async fn replay(state: &AppState, earlier: CaseRecord, digest: &str) -> ServiceResult<Filed> {
    if earlier.request_digest.as_deref() != Some(digest) {
        return Err(ServiceError::Conflict("this Idempotency-Key was already used for a different filing"));
    }
    let notices = state.store.notices_of(earlier.id).await?;
    Ok(Filed { case: earlier, notices, replayed: true })
}

/// SHA-256 over the form type and the fields as sent (serde_json sorts object keys, so the digest does
/// not depend on their order).
fn request_digest(form_type: &str, fields: &Map<String, Value>) -> String {
    let canonical = serde_json::to_string(fields).unwrap_or_default();
    hex::encode(Sha256::digest(format!("{form_type}\n{canonical}").as_bytes()))
}

/// Who a notice names, from the filing.
pub(crate) fn parties(
    form: &FormDefinition,
    filing: &ValidFiling,
    account_number: Option<String>,
    office: String,
) -> NoticeParties {
    let name = |(given, family): (&str, &str)| {
        [filing.text(given), filing.text(family)].into_iter().flatten().collect::<Vec<_>>().join(" ")
    };
    let mailing_address = filing
        .mailing_address()
        .map(|a| {
            let mut lines = vec![a.line1];
            lines.extend(a.line2);
            lines.push(format!("{}, {} {}", a.city, a.state, a.zip));
            lines
        })
        .unwrap_or_default();
    NoticeParties {
        applicant_name: name(form.signer),
        mailing_address,
        beneficiary_name: form.beneficiary.map(name),
        a_number: filing.text("a_number").map(str::to_owned),
        account_number,
        case_type: format!("{} - {}", form.form_type, form.title),
        office,
    }
}

/// Saves what the applicant typed so far; values must be valid, but required ones may be missing.
pub async fn save_draft(
    state: &AppState,
    auth: &Authenticated,
    form_type: &str,
    fields: &Map<String, Value>,
) -> ServiceResult<()> {
    auth.require(Need::TwoFactor)?;
    let form = form(form_type)?;
    let draft = form.validate(fields, state.clock.now().date(), true)?;
    let json = serde_json::to_string(&draft.values).map_err(anyhow::Error::from)?;
    let mut tx = state.store.write().await?;
    tx.save_draft(auth.account.id, form.form_type, &json, state.clock.unix()).await?;
    tx.commit().await?;
    Ok(())
}

/// The caller's drafts as (form type, last saved, unix seconds), newest first.
pub async fn drafts(state: &AppState, auth: &Authenticated) -> ServiceResult<Vec<(String, i64)>> {
    auth.require(Need::TwoFactor)?;
    Ok(state.store.drafts_of(auth.account.id).await?)
}

/// The saved draft of a form, if any.
pub async fn draft(
    state: &AppState,
    auth: &Authenticated,
    form_type: &str,
) -> ServiceResult<Option<Map<String, Value>>> {
    auth.require(Need::TwoFactor)?;
    let form = form(form_type)?;
    let Some(json) = state.store.draft(auth.account.id, form.form_type).await? else {
        return Ok(None);
    };
    Ok(serde_json::from_str(&json).map_err(anyhow::Error::from)?)
}
