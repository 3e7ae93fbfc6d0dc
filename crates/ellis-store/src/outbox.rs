//! The mail outbox: emails are rows written with the change that causes them, then claimed and delivered by
//! a worker. Claims are leases, so a worker that dies mid-send leaves its rows to be retried.

use crate::{Backend, Result, Store, Tx};

pub struct NewEmail<'a> {
    pub to: &'a str,
    pub subject: &'a str,
    pub body_text: &'a str,
    pub body_html: &'a str,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutboxEmail {
    pub id: i64,
    pub to_address: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub attempts: i64,
}

impl Tx {
    pub async fn enqueue_email(&mut self, email: &NewEmail<'_>, now: i64) -> Result<()> {
        sqlx::query(
            "insert into outbox (id, to_address, subject, body_text, body_html, created_at, next_attempt_at) \
             values ($1, $2, $3, $4, $5, $6, $6)",
        )
        .bind(crate::new_id())
        .bind(email.to)
        .bind(email.subject)
        .bind(email.body_text)
        .bind(email.body_html)
        .bind(now)
        .execute(&mut *self.inner)
        .await?;
        Ok(())
    }
}

impl Store {
    /// Claims up to `limit` due emails for `lease_seconds`. On PostgreSQL, `skip locked` lets several
    /// instances' workers claim disjoint rows without waiting on each other.
    pub async fn claim_emails(&self, now: i64, lease_seconds: i64, limit: i64) -> Result<Vec<OutboxEmail>> {
        let skip_locked = match self.backend {
            Backend::Postgres => " for update skip locked",
            Backend::Sqlite => "",
        };
        let sql = format!(
            "update outbox set claimed_until = $1, attempts = attempts + 1 where id in (\
               select id from outbox where sent_at is null and next_attempt_at <= $2 \
               and (claimed_until is null or claimed_until <= $2) order by next_attempt_at limit $3{skip_locked}) \
             returning id, to_address, subject, body_text, body_html, attempts"
        );
        let rows = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(now + lease_seconds)
            .bind(now)
            .bind(limit)
            .fetch_all(&self.writer)
            .await?;
        Ok(rows)
    }

    pub async fn mark_email_sent(&self, id: i64, now: i64) -> Result<()> {
        sqlx::query("update outbox set sent_at = $1, claimed_until = null, last_error = null where id = $2")
            .bind(now)
            .bind(id)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    pub async fn mark_email_failed(&self, id: i64, error: &str, retry_at: i64) -> Result<()> {
        sqlx::query("update outbox set claimed_until = null, next_attempt_at = $1, last_error = $2 where id = $3")
            .bind(retry_at)
            .bind(error)
            .bind(id)
            .execute(&self.writer)
            .await?;
        Ok(())
    }
}
