-- Each CSV file of people imported into an authority, by the SHA-256 of its bytes, so that
-- importing the same file again is noticed (and refused unless asked for deliberately).
CREATE TABLE person_imports (
    id UUID PRIMARY KEY,
    authority_id UUID NOT NULL REFERENCES authorities(id),
    file_sha256 TEXT NOT NULL,
    file_name TEXT NOT NULL,
    people BIGINT NOT NULL,
    imported_by UUID REFERENCES workers(id),
    imported_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX person_imports_file ON person_imports(authority_id, file_sha256);
