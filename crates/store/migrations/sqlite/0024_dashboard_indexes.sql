-- The performance dashboard counts over a whole period: decisions authorised in it by level of
-- need (and the contact's team), and contacts received in it with their team and decision times,
-- read from the indexes alone rather than row by row from the tables.
CREATE INDEX threshold_decisions_authorised ON threshold_decisions(authority_id, state, reviewed_at, level_of_need, contact_id);
CREATE INDEX contacts_received_decided ON contacts(authority_id, received_at, team_id, decided_at, decision_due_at);
