-- MASH triage meetings: who attended (with their agency), and each contact discussed with its
-- RAG rating and the next step agreed. Keep in step with ../postgres/0010_triage_meetings.sql.
CREATE TABLE triage_meetings (
    id BLOB PRIMARY KEY,
    authority_id BLOB NOT NULL REFERENCES authorities(id),
    held_at TEXT NOT NULL,
    team_id BLOB REFERENCES teams(id),
    notes TEXT NOT NULL,
    recorded_by BLOB NOT NULL REFERENCES workers(id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX triage_meetings_held ON triage_meetings(authority_id, held_at);

CREATE TABLE triage_attendees (
    meeting_id BLOB NOT NULL REFERENCES triage_meetings(id),
    position INTEGER NOT NULL,
    authority_id BLOB NOT NULL REFERENCES authorities(id),
    name TEXT NOT NULL,
    agency TEXT NOT NULL,
    role TEXT NOT NULL,
    PRIMARY KEY (meeting_id, position)
);

CREATE TABLE triage_discussions (
    meeting_id BLOB NOT NULL REFERENCES triage_meetings(id),
    contact_id BLOB NOT NULL REFERENCES contacts(id),
    authority_id BLOB NOT NULL REFERENCES authorities(id),
    position INTEGER NOT NULL,
    rating TEXT NOT NULL,
    next_step TEXT NOT NULL,
    PRIMARY KEY (meeting_id, contact_id)
);
CREATE INDEX triage_discussions_contact ON triage_discussions(contact_id);
