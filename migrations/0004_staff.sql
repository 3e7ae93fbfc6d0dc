-- Agency staff (API.md "Agency staff"): identities separate from applicants, their own one-time setup links
-- and sessions. An authenticator app is mandatory: a staff member without a confirmed one cannot sign in.
create table staff (
    id bigint primary key,
    email text not null unique,
    name text not null,
    role text not null check (role in ('officer', 'support', 'admin')),
    password_hash text,
    totp_secret text,
    totp_pending_secret text,
    totp_last_step bigint,
    failed_sign_ins bigint not null default 0,
    lock_count bigint not null default 0,
    locked_until bigint,
    disabled_at bigint,
    created_at bigint not null,
    updated_at bigint not null
);

create table staff_tokens (
    token_hash text primary key,
    staff_id bigint not null references staff (id),
    purpose text not null,
    created_at bigint not null,
    expires_at bigint not null,
    used_at bigint
);

create table staff_sessions (
    id bigint primary key,
    token_hash text not null unique,
    staff_id bigint not null references staff (id),
    assurance text not null check (assurance in ('password', 'two_factor')),
    created_at bigint not null,
    last_seen_at bigint not null,
    second_factor_at bigint,
    ip text,
    user_agent text,
    ended_at bigint
);
create index staff_sessions_staff on staff_sessions (staff_id);

-- Every staff read and write of an account or case: who, when, what, why.
create table staff_audit (
    id bigint primary key,
    at bigint not null,
    staff_id bigint not null references staff (id),
    action text not null,
    account_id bigint references accounts (id),
    case_id bigint references cases (id),
    detail text
);
create index staff_audit_staff on staff_audit (staff_id, at);
create index staff_audit_account on staff_audit (account_id, at);
