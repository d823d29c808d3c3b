-- frontdoor foundation schema (SQLite). Keep in step with ../postgres/0001_foundation.sql:
-- the same tables and columns, with each backend's own types.
-- Every record carries authority_id; every query filters on it.

CREATE TABLE authorities (
    id BLOB PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    threshold_framework TEXT NOT NULL,
    local_closure_days TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);

CREATE TABLE organisations (
    id BLOB PRIMARY KEY,
    authority_id BLOB NOT NULL REFERENCES authorities(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX organisations_authority ON organisations(authority_id, name);

CREATE TABLE teams (
    id BLOB PRIMARY KEY,
    authority_id BLOB NOT NULL REFERENCES authorities(id),
    organisation_id BLOB NOT NULL REFERENCES organisations(id),
    name TEXT NOT NULL,
    receives_contacts INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX teams_authority ON teams(authority_id);

CREATE TABLE workers (
    id BLOB PRIMARY KEY,
    authority_id BLOB NOT NULL REFERENCES authorities(id),
    organisation_id BLOB NOT NULL REFERENCES organisations(id),
    team_id BLOB REFERENCES teams(id),
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    asye INTEGER NOT NULL,
    password_hash TEXT NOT NULL,
    active INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX workers_authority ON workers(authority_id, role);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    worker_id BLOB NOT NULL REFERENCES workers(id),
    authority_id BLOB NOT NULL REFERENCES authorities(id),
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_worker ON sessions(worker_id);

CREATE TABLE sign_in_failures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL,
    client TEXT NOT NULL,
    failed_at TEXT NOT NULL
);
CREATE INDEX sign_in_failures_username ON sign_in_failures(username, failed_at);
CREATE INDEX sign_in_failures_client ON sign_in_failures(client, failed_at);

CREATE TABLE people (
    id BLOB PRIMARY KEY,
    authority_id BLOB NOT NULL REFERENCES authorities(id),
    la_person_id TEXT NOT NULL,
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    birth_date TEXT,
    birth_date_expected INTEGER NOT NULL,
    sex TEXT NOT NULL,
    ethnicity TEXT NOT NULL,
    nhs_number TEXT,
    upn TEXT,
    disabilities TEXT NOT NULL,
    postcode TEXT,
    merged_into BLOB REFERENCES people(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (authority_id, la_person_id)
);
CREATE INDEX people_family ON people(authority_id, family_name);
CREATE INDEX people_birth ON people(authority_id, birth_date);
CREATE INDEX people_nhs ON people(authority_id, nhs_number);
CREATE INDEX people_postcode ON people(authority_id, postcode);

CREATE TABLE person_names (
    id BLOB PRIMARY KEY,
    authority_id BLOB NOT NULL REFERENCES authorities(id),
    person_id BLOB NOT NULL REFERENCES people(id),
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    kind TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX person_names_person ON person_names(person_id);

CREATE TABLE addresses (
    id BLOB PRIMARY KEY,
    authority_id BLOB NOT NULL REFERENCES authorities(id),
    person_id BLOB NOT NULL REFERENCES people(id),
    line1 TEXT NOT NULL,
    line2 TEXT NOT NULL,
    town TEXT NOT NULL,
    postcode TEXT,
    from_date TEXT,
    to_date TEXT,
    recorded_at TEXT NOT NULL
);
CREATE INDEX addresses_person ON addresses(person_id);

CREATE TABLE relationships (
    id BLOB PRIMARY KEY,
    authority_id BLOB NOT NULL REFERENCES authorities(id),
    person_id BLOB NOT NULL REFERENCES people(id),
    related_person_id BLOB NOT NULL REFERENCES people(id),
    relationship TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX relationships_person ON relationships(person_id);
CREATE INDEX relationships_related ON relationships(related_person_id);

CREATE TABLE contacts (
    id BLOB PRIMARY KEY,
    authority_id BLOB NOT NULL REFERENCES authorities(id),
    reference TEXT NOT NULL,
    received_at TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by BLOB REFERENCES workers(id),
    channel TEXT NOT NULL,
    source TEXT NOT NULL,
    referrer_name TEXT NOT NULL,
    referrer_organisation TEXT NOT NULL,
    referrer_role TEXT NOT NULL,
    referrer_phone TEXT NOT NULL,
    referrer_email TEXT NOT NULL,
    made_by_organisation_id BLOB REFERENCES organisations(id),
    concern_categories TEXT NOT NULL,
    concern_summary TEXT NOT NULL,
    urgency TEXT NOT NULL,
    out_of_hours INTEGER NOT NULL,
    family_consent TEXT NOT NULL,
    consent_notes TEXT NOT NULL,
    team_id BLOB REFERENCES teams(id),
    status TEXT NOT NULL,
    decision_due_at TEXT NOT NULL,
    decided_at TEXT,
    UNIQUE (authority_id, reference)
);
CREATE INDEX contacts_queue ON contacts(authority_id, status, decision_due_at);
CREATE INDEX contacts_received ON contacts(authority_id, received_at);

-- The people a contact is about, as the referrer described them, then linked to a record.
CREATE TABLE contact_subjects (
    id BLOB PRIMARY KEY,
    authority_id BLOB NOT NULL REFERENCES authorities(id),
    contact_id BLOB NOT NULL REFERENCES contacts(id),
    position INTEGER NOT NULL,
    is_child INTEGER NOT NULL,
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    birth_date TEXT,
    sex TEXT NOT NULL,
    address TEXT NOT NULL,
    postcode TEXT,
    nhs_number TEXT,
    person_id BLOB REFERENCES people(id),
    linked_at TEXT,
    linked_by BLOB REFERENCES workers(id)
);
CREATE INDEX contact_subjects_contact ON contact_subjects(contact_id);
CREATE INDEX contact_subjects_person ON contact_subjects(person_id);

CREATE TABLE threshold_decisions (
    id BLOB PRIMARY KEY,
    authority_id BLOB NOT NULL REFERENCES authorities(id),
    contact_id BLOB NOT NULL REFERENCES contacts(id),
    state TEXT NOT NULL,
    outcome TEXT NOT NULL,
    level_of_need INTEGER NOT NULL,
    signposted_to TEXT,
    rationale TEXT NOT NULL,
    recommended_by BLOB NOT NULL REFERENCES workers(id),
    recommended_at TEXT NOT NULL,
    reviewed_by BLOB REFERENCES workers(id),
    reviewed_at TEXT,
    review_rationale TEXT
);
CREATE INDEX threshold_decisions_contact ON threshold_decisions(contact_id, recommended_at);
CREATE INDEX threshold_decisions_state ON threshold_decisions(authority_id, state);

CREATE TABLE referrals (
    id BLOB PRIMARY KEY,
    authority_id BLOB NOT NULL REFERENCES authorities(id),
    contact_id BLOB NOT NULL REFERENCES contacts(id),
    person_id BLOB NOT NULL REFERENCES people(id),
    decision_id BLOB NOT NULL REFERENCES threshold_decisions(id),
    referral_date TEXT NOT NULL,
    source TEXT NOT NULL,
    is_re_referral INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX referrals_person ON referrals(person_id, referral_date);
CREATE INDEX referrals_authority ON referrals(authority_id, referral_date);

CREATE TABLE assessments (
    id BLOB PRIMARY KEY,
    authority_id BLOB NOT NULL REFERENCES authorities(id),
    person_id BLOB NOT NULL REFERENCES people(id),
    referral_id BLOB REFERENCES referrals(id),
    started_on TEXT NOT NULL,
    completed_on TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX assessments_person ON assessments(person_id, started_on);

CREATE TABLE emergency_actions (
    id BLOB PRIMARY KEY,
    authority_id BLOB NOT NULL REFERENCES authorities(id),
    contact_id BLOB NOT NULL REFERENCES contacts(id),
    person_id BLOB REFERENCES people(id),
    action TEXT NOT NULL,
    taken_at TEXT NOT NULL,
    notes TEXT NOT NULL,
    recorded_by BLOB NOT NULL REFERENCES workers(id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX emergency_actions_contact ON emergency_actions(contact_id);

-- Append-only, hash-chained event log: the audit trail and every child's chronology.
CREATE TABLE events (
    sequence BIGINT PRIMARY KEY,
    id BLOB NOT NULL UNIQUE,
    authority_id BLOB NOT NULL,
    recorded_at TEXT NOT NULL,
    actor_id BLOB,
    kind TEXT NOT NULL,
    subject_id BLOB NOT NULL,
    payload TEXT NOT NULL,
    previous_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX events_subject ON events(subject_id, sequence);
CREATE INDEX events_authority ON events(authority_id, sequence);

-- Which people each event concerns (an index into the chain, for chronologies).
CREATE TABLE event_people (
    event_sequence BIGINT NOT NULL REFERENCES events(sequence),
    person_id BLOB NOT NULL,
    authority_id BLOB NOT NULL,
    PRIMARY KEY (person_id, event_sequence)
);

-- Append-only, hash-chained log of every read of a child's record.
CREATE TABLE access_log (
    sequence BIGINT PRIMARY KEY,
    authority_id BLOB NOT NULL,
    accessed_at TEXT NOT NULL,
    actor_id BLOB NOT NULL,
    person_id BLOB NOT NULL,
    purpose TEXT NOT NULL,
    previous_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX access_log_person ON access_log(person_id, sequence);
CREATE INDEX access_log_actor ON access_log(actor_id, sequence);

-- Per-authority counters: contact references per year ("contact-2026"), LA person ids ("person").
CREATE TABLE counters (
    authority_id BLOB NOT NULL REFERENCES authorities(id),
    counter TEXT NOT NULL,
    last_value INTEGER NOT NULL,
    PRIMARY KEY (authority_id, counter)
);

-- Blocking keys for person matching: candidates for a search are the people sharing a key.
CREATE TABLE person_blocking_keys (
    authority_id BLOB NOT NULL,
    blocking_key TEXT NOT NULL,
    person_id BLOB NOT NULL REFERENCES people(id),
    PRIMARY KEY (authority_id, blocking_key, person_id)
);
CREATE INDEX person_blocking_keys_person ON person_blocking_keys(person_id);
