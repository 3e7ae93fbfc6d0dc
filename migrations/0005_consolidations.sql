-- Consolidation of duplicate accounts (two-person rule): one support agent proposes which account to keep
-- and which to retire, a different one approves; the approval moves everything in one transaction.
create table consolidations (
    id bigint primary key,
    keep_account_id bigint not null references accounts (id),
    retire_account_id bigint not null references accounts (id),
    reason text not null,
    status text not null check (status in ('pending_approval', 'done')),
    proposed_by bigint not null references staff (id),
    proposed_at bigint not null,
    approved_by bigint references staff (id),
    approved_at bigint,
    check (keep_account_id <> retire_account_id)
);
create index consolidations_status on consolidations (status, proposed_at);

-- Likely duplicates share a date of birth (and a family name, compared without case).
create index accounts_date_of_birth on accounts (date_of_birth);
create index staff_audit_case on staff_audit (case_id, at);
