-- Information requests to partner agencies, in-app notifications and the email outbox.

-- How long partners have to answer, per authority: urgent requests in hours, standard ones in
-- working days (see frontdoor_domain::information_request::DueRule).
ALTER TABLE authorities ADD COLUMN information_request_urgent_hours INTEGER NOT NULL DEFAULT 4;
ALTER TABLE authorities ADD COLUMN information_request_standard_days INTEGER NOT NULL DEFAULT 3;

-- A worker's email address, for notification emails (which carry no personal data).
ALTER TABLE workers ADD COLUMN email TEXT;

-- A request about one child on a contact (or, later, an episode), to one partner organisation.
-- status is sent, answered or withdrawn; overdue is read from due_at and the clock.
CREATE TABLE information_requests (
    id UUID PRIMARY KEY,
    authority_id UUID NOT NULL REFERENCES authorities(id),
    contact_id UUID NOT NULL REFERENCES contacts(id),
    -- An episode (assessment, enquiry...) the request belongs to; no key until episodes exist.
    episode_id UUID,
    subject_id UUID NOT NULL REFERENCES contact_subjects(id),
    person_id UUID NOT NULL REFERENCES people(id),
    organisation_id UUID NOT NULL REFERENCES organisations(id),
    agency TEXT NOT NULL,
    questions TEXT NOT NULL,
    consent_basis TEXT NOT NULL,
    consent_given_by TEXT,
    consent_given_on DATE,
    without_consent_reason TEXT,
    without_consent_agreed_by UUID REFERENCES workers(id),
    urgency TEXT NOT NULL,
    due_at TIMESTAMPTZ NOT NULL,
    status TEXT NOT NULL,
    sent_by UUID NOT NULL REFERENCES workers(id),
    sent_at TIMESTAMPTZ NOT NULL,
    answer TEXT,
    answered_by UUID REFERENCES workers(id),
    answered_at TIMESTAMPTZ,
    withdrawn_reason TEXT,
    withdrawn_by UUID REFERENCES workers(id),
    withdrawn_at TIMESTAMPTZ
);
CREATE INDEX information_requests_contact ON information_requests(contact_id);
CREATE INDEX information_requests_addressee ON information_requests(organisation_id, status);
CREATE INDEX information_requests_due ON information_requests(authority_id, status, due_at);

-- What is waiting for a worker: written in the same transaction as the change it announces.
CREATE TABLE notifications (
    id UUID PRIMARY KEY,
    authority_id UUID NOT NULL REFERENCES authorities(id),
    recipient_id UUID NOT NULL REFERENCES workers(id),
    kind TEXT NOT NULL,
    link TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    read_at TIMESTAMPTZ
);
CREATE INDEX notifications_recipient ON notifications(recipient_id, created_at);

-- Notification emails waiting to be sent through the SMTP relay (no personal data in them).
CREATE TABLE email_outbox (
    id UUID PRIMARY KEY,
    authority_id UUID NOT NULL REFERENCES authorities(id),
    notification_id UUID NOT NULL REFERENCES notifications(id),
    recipient_id UUID NOT NULL REFERENCES workers(id),
    created_at TIMESTAMPTZ NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    sent_at TIMESTAMPTZ,
    last_error TEXT
);
CREATE INDEX email_outbox_waiting ON email_outbox(sent_at, next_attempt_at);
