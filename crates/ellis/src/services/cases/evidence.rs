//! Answering a request for evidence: while a case waits for evidence, its owner sends PDF, JPEG or PNG files
//! (at most 10 MB each, the type read from the content) with a note; the case moves to "Response To USCIS'
//! Request For Evidence Was Received". Files are stored in the database and served to the owner only (and,
//! with the agency side, to staff).

use ellis_core::evidence::{EvidenceType, MAX_FILE_BYTES, MAX_FILES, clean_file_name};
use ellis_core::status::RFE_RESPONSE_RECEIVED;
use ellis_core::tokens::random_public_id;
use ellis_store::{EvidenceRecord, NewEvidence};

use super::status_change::{Move, awaits_evidence, move_to};
use crate::AppState;
use crate::services::auth::{Authenticated, Need};
use crate::services::{ServiceError, ServiceResult, invalid};

pub struct Upload {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

pub async fn respond(
    state: &AppState,
    auth: &Authenticated,
    receipt: &str,
    files: Vec<Upload>,
    note: Option<&str>,
) -> ServiceResult<Vec<EvidenceRecord>> {
    let case = super::tracking::owned_case(state, auth, receipt).await?;
    if files.is_empty() {
        return Err(invalid("files", "Attach at least one file"));
    }
    if files.len() > MAX_FILES {
        return Err(invalid("files", format!("Send at most {MAX_FILES} files at a time")));
    }
    let mut typed = Vec::with_capacity(files.len());
    for (index, file) in files.iter().enumerate() {
        if file.bytes.len() > MAX_FILE_BYTES {
            return Err(invalid(&format!("files[{index}]"), "A file may be at most 10 MB"));
        }
        let kind = EvidenceType::sniff(&file.bytes)
            .ok_or_else(|| invalid(&format!("files[{index}]"), "Send a PDF, JPEG or PNG file"))?;
        typed.push(kind);
    }
    let note = crate::services::given(note);
    if note.is_some_and(|n| n.chars().count() > 2000) {
        return Err(invalid("note", "Use at most 2,000 characters"));
    }
    let now = state.clock.unix();
    let mut tx = state.store.write().await?;
    // Read again under the lock: the status decides whether evidence is expected right now.
    let current = tx.case_for_update(case.id).await?;
    if !awaits_evidence(&current) {
        return Err(ServiceError::Conflict("this case is not waiting for evidence"));
    }
    let mut stored = Vec::new();
    for (file, kind) in files.iter().zip(typed) {
        let public_id = random_public_id(&mut rand::rng());
        let name = clean_file_name(&file.file_name);
        let new = NewEvidence {
            public_id: &public_id,
            case: case.id,
            account: auth.account.id,
            file_name: &name,
            content_type: kind.content_type(),
            content: &file.bytes,
            note,
        };
        tx.insert_evidence(&new, now).await?;
        stored.push(EvidenceRecord {
            public_id,
            case_id: case.id.0,
            file_name: name,
            content_type: kind.content_type().to_owned(),
            size_bytes: file.bytes.len() as i64,
            note: note.map(str::to_owned),
            uploaded_at: now,
        });
    }
    move_to(state, &mut tx, &current, RFE_RESPONSE_RECEIVED, &Move::default(), true).await?;
    tx.commit().await?;
    Ok(stored)
}

/// A file the caller sent, for the caller only.
pub async fn download(
    state: &AppState,
    auth: &Authenticated,
    public_id: &str,
) -> ServiceResult<(EvidenceRecord, Vec<u8>)> {
    auth.require(Need::TwoFactor)?;
    let (record, bytes) = state.store.evidence_file(public_id).await?.ok_or(ServiceError::NotFound)?;
    let case = state.store.case(ellis_core::ids::CaseId(record.case_id)).await?;
    if case.account != Some(auth.account.id) {
        return Err(ServiceError::NotFound);
    }
    Ok((record, bytes))
}

/// The files sent for one of the caller's cases.
pub async fn list(state: &AppState, auth: &Authenticated, receipt: &str) -> ServiceResult<Vec<EvidenceRecord>> {
    let case = super::tracking::owned_case(state, auth, receipt).await?;
    Ok(state.store.evidence_of(case.id).await?)
}
