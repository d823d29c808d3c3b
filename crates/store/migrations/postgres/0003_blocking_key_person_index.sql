-- Replacing a person's blocking keys looked them up by person through the primary key
-- (authority_id, blocking_key, person_id): with one large authority that read every key.
-- An index led by person_id makes it a direct lookup.
DROP INDEX person_blocking_keys_person;
CREATE INDEX person_blocking_keys_person ON person_blocking_keys(person_id, authority_id);
