-- Cases (DESIGN.md §5): filed online or received on paper, with their status history, notices, drafts, and
-- the counters that issue receipt numbers.

-- The last sequence number issued per prefix and fiscal year; one upsert takes the next, so numbers stay
-- unique across concurrent filings and instances.
create table receipt_sequences (
    prefix text not null,
    fiscal_year bigint not null,
    last_value bigint not null,
    primary key (prefix, fiscal_year)
);

create table cases (
    id bigint primary key,
    receipt_number text not null unique,
    -- The online account the case belongs to; null for a paper case nobody has linked yet.
    account_id bigint references accounts (id),
    form_type text not null,
    filed_online bigint not null check (filed_online in (0, 1)),
    status_title text not null,
    status_at bigint not null,
    received_at bigint not null,
    -- The filing as submitted (JSON, normalised by ellis_core::forms).
    fields text not null,
    fee_cents bigint,
    office text not null,
    -- A client's Idempotency-Key and a digest of its request, so a retry gets the same case back.
    idempotency_key text,
    request_digest text,
    -- The holder has not seen the latest change yet.
    unread bigint not null default 0 check (unread in (0, 1)),
    created_at bigint not null,
    updated_at bigint not null,
    unique (account_id, idempotency_key)
);
create index cases_account on cases (account_id, received_at);
create index cases_status on cases (status_title, received_at);

create table case_history (
    id bigint primary key,
    case_id bigint not null references cases (id),
    seq bigint not null,
    at bigint not null,
    status_title text not null,
    unique (case_id, seq)
);

-- Notices are stored as data (what the PDF prints) and rendered on request.
create table notices (
    id bigint primary key,
    public_id text not null unique,
    case_id bigint not null references cases (id),
    form text not null,
    kind text not null,
    notice_date text not null,
    verification_code text not null unique,
    data text not null,
    created_at bigint not null
);
create index notices_case on notices (case_id);

-- One draft per account and form, resumable until it is filed.
create table drafts (
    account_id bigint not null references accounts (id),
    form_type text not null,
    fields text not null,
    updated_at bigint not null,
    primary key (account_id, form_type)
);

-- Online Access Codes for paper-filed cases (DOMAIN.md §1): stored hashed, 90 days, single use, a few tries.
create table access_codes (
    case_id bigint primary key references cases (id),
    code_hash text not null,
    expires_at bigint not null,
    attempts_left bigint not null,
    used_at bigint,
    used_by bigint references accounts (id)
);

-- Files an applicant sent in answer to a request for evidence. Kept in the database (bytea: a blob on
-- SQLite too), so every instance can serve them; only the case's owner and staff ever see them.
create table evidence_files (
    id bigint primary key,
    public_id text not null unique,
    case_id bigint not null references cases (id),
    account_id bigint not null references accounts (id),
    file_name text not null,
    content_type text not null,
    size_bytes bigint not null,
    content bytea not null,
    note text,
    uploaded_at bigint not null
);
create index evidence_files_case on evidence_files (case_id);
