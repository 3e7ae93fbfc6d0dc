//! Notices: built as data when a case event produces one, stored, and rendered to PDF on request; anyone
//! can check a notice's verification code.

use ellis_core::notice_kind::{NoticeForm, NoticeKind};
use ellis_core::tokens::{normalise_verification_code, random_public_id, random_verification_code};
use ellis_notices::Notice;
use ellis_store::{CaseRecord, NewNotice, NoticeRecord, Tx};
use time::Date;

use super::super::auth::{Authenticated, Need};
use super::super::{ServiceError, ServiceResult};
use crate::AppState;

/// The parts of a notice that come from the case and its filing.
pub struct NoticeParties {
    pub applicant_name: String,
    pub mailing_address: Vec<String>,
    pub beneficiary_name: Option<String>,
    pub a_number: Option<String>,
    pub account_number: Option<String>,
    pub case_type: String,
    pub office: String,
}

/// Builds, stores and returns a notice for `case` inside `tx`.
pub async fn issue(
    state: &AppState,
    tx: &mut Tx,
    case: &CaseRecord,
    parties: &NoticeParties,
    (form, kind): (NoticeForm, NoticeKind),
    body: Vec<String>,
    today: Date,
) -> ServiceResult<NoticeRecord> {
    let (public_id, verification_code) = {
        let mut rng = rand::rng();
        (random_public_id(&mut rng), random_verification_code(&mut rng))
    };
    let received_date = super::super::unix_to_datetime(case.received_at).date();
    // Petitions hold their place in line from the day they were received (DOMAIN.md §3: "priority date").
    let priority_date = (case.form_type == "I-130").then_some(received_date);
    let notice = Notice {
        form,
        kind,
        receipt_number: case.receipt_number.to_string(),
        case_type: parties.case_type.clone(),
        received_date,
        priority_date,
        notice_date: today,
        applicant_name: parties.applicant_name.clone(),
        mailing_address: parties.mailing_address.clone(),
        beneficiary_name: parties.beneficiary_name.clone(),
        a_number: parties.a_number.clone(),
        account_number: parties.account_number.clone(),
        amount_received_cents: if kind == NoticeKind::Receipt { case.fee_cents } else { None },
        body,
        office_name: parties.office.clone(),
        office_address: vec!["U.S. Citizenship and Immigration Services".into(), "Washington, DC 20529".into()],
        verification_code: verification_code.clone(),
        verify_url: state.config.link("/notices/verify"),
    };
    let data_json = serde_json::to_string(&notice).map_err(anyhow::Error::from)?;
    let notice_date = ellis_core::profile::format_date(today);
    let record = NewNotice {
        public_id: &public_id,
        case: case.id,
        form: form.as_str(),
        kind: kind.as_str(),
        notice_date: &notice_date,
        verification_code: &verification_code,
        data_json: &data_json,
    };
    tx.insert_notice(&record, state.clock.unix()).await?;
    Ok(NoticeRecord {
        public_id,
        case_id: case.id.0,
        form: form.as_str().to_owned(),
        kind: kind.as_str().to_owned(),
        notice_date,
        verification_code,
        data: data_json,
    })
}

/// A notice's PDF, for the case's owner only (anyone else: not found). Returns a file name and the bytes.
pub async fn pdf(state: &AppState, auth: &Authenticated, public_id: &str) -> ServiceResult<(String, Vec<u8>)> {
    auth.require(Need::TwoFactor)?;
    let record = state.store.notice(public_id).await?.ok_or(ServiceError::NotFound)?;
    let case = state.store.case(ellis_core::ids::CaseId(record.case_id)).await?;
    if case.account != Some(auth.account.id) {
        return Err(ServiceError::NotFound);
    }
    render(&record, &case)
}

/// A stored notice rendered as its PDF, with a file name naming form, kind and receipt number.
pub(crate) fn render(record: &NoticeRecord, case: &CaseRecord) -> ServiceResult<(String, Vec<u8>)> {
    let notice: Notice = serde_json::from_str(&record.data).map_err(anyhow::Error::from)?;
    // Rendering takes well under a millisecond: no need to leave the async thread.
    let bytes = ellis_notices::render(&notice);
    Ok((format!("{}-{}-{}.pdf", record.form, record.kind, case.receipt_number), bytes))
}

/// What a verification code proves: which notice, for which case, of what date.
pub struct Verified {
    pub form: String,
    pub kind: String,
    pub receipt_number: String,
    pub notice_date: String,
}

pub async fn verify(state: &AppState, code: &str) -> ServiceResult<Verified> {
    let code = normalise_verification_code(code);
    let record = state.store.notice_by_verification_code(&code).await?.ok_or(ServiceError::NotFound)?;
    let receipt_number = state.store.case(ellis_core::ids::CaseId(record.case_id)).await?.receipt_number.to_string();
    Ok(Verified { form: record.form, kind: record.kind, receipt_number, notice_date: record.notice_date })
}
