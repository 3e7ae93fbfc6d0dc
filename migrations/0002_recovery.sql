-- Recovery and account protection (DESIGN.md §4): reset links that allow a few tries and carry an emailed
-- code, lost-factor recoveries with their waiting period, the compromise state, per-address email quotas,
-- and a hash chain over each account's history.

-- When the holder (or support) reported the account compromised, and until when contact details are frozen.
alter table accounts add column compromised_at bigint;
alter table accounts add column contact_frozen_until bigint;
-- Wrong security answers in lost-factor recovery: 5 close that path for 24 hours.
alter table accounts add column recovery_failures bigint not null default 0;
alter table accounts add column recovery_closed_until bigint;

-- Links that accept a few wrong tries (password resets), carry a value (the new address of an email change),
-- or hold a 6-digit code emailed for them.
alter table one_time_tokens add column attempts_left bigint;
alter table one_time_tokens add column payload text;
alter table one_time_tokens add column code_hash text;
alter table one_time_tokens add column code_expires_at bigint;

-- A lost-factor recovery: started with the emailed link and all three security answers, finished (a new
-- password, then a new authenticator) only after `ready_at`, and cancellable from the alert until then.
create table recoveries (
    id bigint primary key,
    account_id bigint not null references accounts (id),
    started_at bigint not null,
    ready_at bigint not null,
    expires_at bigint not null,
    cancelled_at bigint,
    completed_at bigint
);
create index recoveries_account on recoveries (account_id);

-- How many unsolicited emails (links, reminders, codes) went to an address in the current window, counted
-- in one atomic upsert so that several instances share the limit.
create table email_quota (
    address text primary key,
    window_start bigint not null,
    sent bigint not null
);

-- hash = SHA-256 over the previous event's hash and this event's fields (ellis_core::events::chain_hash).
-- Rows written before this migration are chained by the migration step itself (ellis-store migrate.rs).
alter table events add column hash text;
