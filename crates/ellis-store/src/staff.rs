//! Agency staff: identities, their setup links and their sessions (kept apart from applicants' tables, so an
//! applicant's token can never be taken for a staff one).

use ellis_core::EmailAddress;
use ellis_core::ids::StaffId;
use ellis_core::lockout::LockoutState;
use ellis_core::session::Assurance;
use ellis_core::staff::Role;

use crate::{Result, Store, StoreError, Tx};

#[derive(Debug, Clone)]
pub struct StaffMember {
    pub id: StaffId,
    pub email: EmailAddress,
    pub name: String,
    pub role: Role,
    pub password_hash: Option<String>,
    pub totp_secret: Option<String>,
    pub totp_pending_secret: Option<String>,
    pub totp_last_step: Option<i64>,
    pub lockout: LockoutState,
    pub disabled: bool,
}

#[derive(sqlx::FromRow)]
struct StaffRow {
    id: i64,
    email: String,
    name: String,
    role: String,
    password_hash: Option<String>,
    totp_secret: Option<String>,
    totp_pending_secret: Option<String>,
    totp_last_step: Option<i64>,
    failed_sign_ins: i64,
    lock_count: i64,
    locked_until: Option<i64>,
    disabled_at: Option<i64>,
}

const STAFF_COLUMNS: &str = "id, email, name, role, password_hash, totp_secret, totp_pending_secret, totp_last_step, \
    failed_sign_ins, lock_count, locked_until, disabled_at";

impl TryFrom<StaffRow> for StaffMember {
    type Error = StoreError;

    fn try_from(row: StaffRow) -> Result<Self> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("staff {}: {what}", row.id));
        Ok(Self {
            id: StaffId(row.id),
            email: EmailAddress::parse(&row.email).map_err(|_| corrupt("email"))?,
            role: Role::parse(&row.role).map_err(|_| corrupt("role"))?,
            name: row.name,
            password_hash: row.password_hash,
            totp_secret: row.totp_secret,
            totp_pending_secret: row.totp_pending_secret,
            totp_last_step: row.totp_last_step,
            lockout: LockoutState {
                failed_sign_ins: row.failed_sign_ins,
                lock_count: row.lock_count,
                locked_until: row.locked_until,
            },
            disabled: row.disabled_at.is_some(),
        })
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StaffSessionRow {
    pub id: i64,
    pub staff_id: i64,
    pub assurance: String,
    pub created_at: i64,
    pub last_seen_at: i64,
}

impl StaffSessionRow {
    pub fn assurance(&self) -> Assurance {
        Assurance::parse(&self.assurance).unwrap_or(Assurance::Password)
    }
}

impl Store {
    pub async fn staff_by_email(&self, email: &EmailAddress) -> Result<Option<StaffMember>> {
        let sql = format!("select {STAFF_COLUMNS} from staff where email = $1");
        let row: Option<StaffRow> =
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(email.as_str()).fetch_optional(&self.reader).await?;
        row.map(StaffMember::try_from).transpose()
    }

    pub async fn find_staff_member(&self, id: StaffId) -> Result<Option<StaffMember>> {
        let sql = format!("select {STAFF_COLUMNS} from staff where id = $1");
        let row: Option<StaffRow> =
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id.0).fetch_optional(&self.reader).await?;
        row.map(StaffMember::try_from).transpose()
    }

    pub async fn staff_member(&self, id: StaffId) -> Result<StaffMember> {
        let sql = format!("select {STAFF_COLUMNS} from staff where id = $1");
        let row: StaffRow = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id.0).fetch_one(&self.reader).await?;
        row.try_into()
    }

    /// The open staff session with this token hash.
    pub async fn staff_session(&self, token_hash: &str) -> Result<Option<StaffSessionRow>> {
        Ok(sqlx::query_as(
            "select id, staff_id, assurance, created_at, last_seen_at from staff_sessions \
             where token_hash = $1 and ended_at is null",
        )
        .bind(token_hash)
        .fetch_optional(&self.reader)
        .await?)
    }

    /// The staff member a live setup link belongs to.
    pub async fn staff_by_setup_token(&self, token_hash: &str, purpose: &str, now: i64) -> Result<Option<StaffId>> {
        let id: Option<i64> = sqlx::query_scalar(
            "select staff_id from staff_tokens where token_hash = $1 and purpose = $2 and used_at is null \
             and expires_at > $3",
        )
        .bind(token_hash)
        .bind(purpose)
        .bind(now)
        .fetch_optional(&self.reader)
        .await?;
        Ok(id.map(StaffId))
    }
}

impl Tx {
    /// [`StoreError::UniqueViolation`] when the email is taken.
    pub async fn insert_staff(&mut self, email: &EmailAddress, name: &str, role: Role, now: i64) -> Result<StaffId> {
        let id = crate::new_id();
        sqlx::query(
            "insert into staff (id, email, name, role, created_at, updated_at) values ($1, $2, $3, $4, $5, $5)",
        )
        .bind(id)
        .bind(email.as_str())
        .bind(name)
        .bind(role.as_str())
        .bind(now)
        .execute(&mut *self.inner)
        .await?;
        Ok(StaffId(id))
    }

    pub async fn staff_for_update(&mut self, id: StaffId) -> Result<StaffMember> {
        let sql = format!("select {STAFF_COLUMNS} from staff where id = $1{}", self.for_update());
        let row: StaffRow = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id.0).fetch_one(&mut *self.inner).await?;
        row.try_into()
    }

    pub async fn insert_staff_token(
        &mut self,
        hash: &str,
        staff: StaffId,
        purpose: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<()> {
        sqlx::query(
            "insert into staff_tokens (token_hash, staff_id, purpose, created_at, expires_at) values ($1, $2, $3, $4, $5)",
        )
        .bind(hash)
        .bind(staff.0)
        .bind(purpose)
        .bind(now)
        .bind(expires_at)
        .execute(&mut *self.inner)
        .await?;
        Ok(())
    }

    /// Spends a live setup link; false if it was used or expired meanwhile.
    pub async fn use_staff_token(&mut self, hash: &str, purpose: &str, now: i64) -> Result<bool> {
        let done = sqlx::query(
            "update staff_tokens set used_at = $1 where token_hash = $2 and purpose = $3 and used_at is null \
             and expires_at > $1",
        )
        .bind(now)
        .bind(hash)
        .bind(purpose)
        .execute(&mut *self.inner)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn set_staff_password(&mut self, id: StaffId, hash: &str, pending_totp: &str, now: i64) -> Result<()> {
        sqlx::query("update staff set password_hash = $1, totp_pending_secret = $2, updated_at = $3 where id = $4")
            .bind(hash)
            .bind(pending_totp)
            .bind(now)
            .bind(id.0)
            .execute(&mut *self.inner)
            .await?;
        Ok(())
    }

    pub async fn confirm_staff_totp(&mut self, id: StaffId, secret: &str, step: i64, now: i64) -> Result<()> {
        sqlx::query(
            "update staff set totp_secret = $1, totp_pending_secret = null, totp_last_step = $2, updated_at = $3 \
             where id = $4",
        )
        .bind(secret)
        .bind(step)
        .bind(now)
        .bind(id.0)
        .execute(&mut *self.inner)
        .await?;
        Ok(())
    }

    /// Records the authenticator step just used; false if it (or a later one) was used already.
    pub async fn use_staff_totp_step(&mut self, id: StaffId, step: i64) -> Result<bool> {
        let done = sqlx::query(
            "update staff set totp_last_step = $1 where id = $2 and (totp_last_step is null or totp_last_step < $1)",
        )
        .bind(step)
        .bind(id.0)
        .execute(&mut *self.inner)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn set_staff_lockout(&mut self, id: StaffId, state: &LockoutState, now: i64) -> Result<()> {
        sqlx::query(
            "update staff set failed_sign_ins = $1, lock_count = $2, locked_until = $3, updated_at = $4 where id = $5",
        )
        .bind(state.failed_sign_ins)
        .bind(state.lock_count)
        .bind(state.locked_until)
        .bind(now)
        .bind(id.0)
        .execute(&mut *self.inner)
        .await?;
        Ok(())
    }

    pub async fn insert_staff_session(
        &mut self,
        staff: StaffId,
        token_hash: &str,
        ip: Option<&str>,
        user_agent: Option<&str>,
        now: i64,
    ) -> Result<()> {
        sqlx::query(
            "insert into staff_sessions (id, token_hash, staff_id, assurance, created_at, last_seen_at, ip, user_agent) \
             values ($1, $2, $3, 'password', $4, $4, $5, $6)",
        )
        .bind(crate::new_id())
        .bind(token_hash)
        .bind(staff.0)
        .bind(now)
        .bind(ip)
        .bind(user_agent)
        .execute(&mut *self.inner)
        .await?;
        Ok(())
    }

    pub async fn raise_staff_session(&mut self, session: i64, now: i64) -> Result<()> {
        sqlx::query(
            "update staff_sessions set assurance = 'two_factor', second_factor_at = $1, last_seen_at = $1 \
             where id = $2 and ended_at is null",
        )
        .bind(now)
        .bind(session)
        .execute(&mut *self.inner)
        .await?;
        Ok(())
    }

    pub async fn touch_staff_session(&mut self, session: i64, now: i64) -> Result<()> {
        sqlx::query("update staff_sessions set last_seen_at = $1 where id = $2")
            .bind(now)
            .bind(session)
            .execute(&mut *self.inner)
            .await?;
        Ok(())
    }

    pub async fn end_staff_session(&mut self, session: i64, now: i64) -> Result<()> {
        sqlx::query("update staff_sessions set ended_at = $1 where id = $2 and ended_at is null")
            .bind(now)
            .bind(session)
            .execute(&mut *self.inner)
            .await?;
        Ok(())
    }
}

/// One line of the staff audit.
pub struct AuditEntry<'a> {
    pub staff: StaffId,
    pub action: &'a str,
    pub account: Option<ellis_core::AccountId>,
    pub case: Option<ellis_core::ids::CaseId>,
    pub detail: Option<&'a str>,
}

impl Tx {
    pub async fn audit(&mut self, entry: &AuditEntry<'_>, now: i64) -> Result<()> {
        sqlx::query(
            "insert into staff_audit (id, at, staff_id, action, account_id, case_id, detail) \
             values ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(crate::new_id())
        .bind(now)
        .bind(entry.staff.0)
        .bind(entry.action)
        .bind(entry.account.map(|a| a.0))
        .bind(entry.case.map(|c| c.0))
        .bind(entry.detail)
        .execute(&mut *self.inner)
        .await?;
        Ok(())
    }
}

impl Store {
    /// The audit lines about one case, oldest first (what, by whom).
    pub async fn case_audit(&self, case: ellis_core::ids::CaseId) -> Result<Vec<(i64, i64, String)>> {
        Ok(sqlx::query_as("select at, staff_id, action from staff_audit where case_id = $1 order by at, id")
            .bind(case.0)
            .fetch_all(&self.reader)
            .await?)
    }
}

/// One line of the audit as admins search it, with names instead of ids.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditRecord {
    pub at: i64,
    pub staff_email: String,
    pub staff_role: String,
    pub action: String,
    pub account_number: Option<String>,
    pub receipt_number: Option<String>,
    pub detail: Option<String>,
}

/// What to search the audit for; `None` matches everything.
#[derive(Debug, Default, Clone, Copy)]
pub struct AuditFilter<'a> {
    /// An account number, current or an alias; lines about the account it named before a consolidation match too.
    pub account_number: Option<&'a str>,
    pub staff_email: Option<&'a str>,
}

impl Store {
    /// Every staff member, by name.
    pub async fn staff_members(&self) -> Result<Vec<StaffMember>> {
        let sql = format!("select {STAFF_COLUMNS} from staff order by name, id");
        let rows: Vec<StaffRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(&self.reader).await?;
        rows.into_iter().map(StaffMember::try_from).collect()
    }

    /// The newest audit lines matching `filter` (at most `limit`).
    pub async fn audit_search(&self, filter: AuditFilter<'_>, limit: i64) -> Result<Vec<AuditRecord>> {
        // Each condition is `$n = ''` (not asked) or the match, so one statement serves every filter and both
        // databases (an untyped null parameter is an error on PostgreSQL).
        Ok(sqlx::query_as(
            "select a.at, s.email as staff_email, s.role as staff_role, a.action, ac.account_number, \
             c.receipt_number, a.detail \
             from staff_audit a join staff s on s.id = a.staff_id \
             left join accounts ac on ac.id = a.account_id left join cases c on c.id = a.case_id \
             where ($1 = '' or a.account_id in (select account_id from account_numbers where number = $1) \
                    or a.account_id in (select id from accounts where account_number = $1)) \
             and ($2 = '' or s.email = $2) \
             order by a.at desc, a.id desc limit $3",
        )
        .bind(filter.account_number.unwrap_or(""))
        .bind(filter.staff_email.unwrap_or(""))
        .bind(limit)
        .fetch_all(&self.reader)
        .await?)
    }
}

impl Tx {
    pub async fn set_staff_role(&mut self, id: StaffId, role: Role, now: i64) -> Result<()> {
        sqlx::query("update staff set role = $1, updated_at = $2 where id = $3")
            .bind(role.as_str())
            .bind(now)
            .bind(id.0)
            .execute(&mut *self.inner)
            .await?;
        Ok(())
    }

    /// Disables (ending every session) or enables a member.
    pub async fn set_staff_disabled(&mut self, id: StaffId, disabled: bool, now: i64) -> Result<()> {
        sqlx::query("update staff set disabled_at = $1, updated_at = $2 where id = $3")
            .bind(disabled.then_some(now))
            .bind(now)
            .bind(id.0)
            .execute(&mut *self.inner)
            .await?;
        if disabled {
            sqlx::query("update staff_sessions set ended_at = $1 where staff_id = $2 and ended_at is null")
                .bind(now)
                .bind(id.0)
                .execute(&mut *self.inner)
                .await?;
        }
        Ok(())
    }
}
