-- Account lifecycle, partner organisations and teams, and versioned threshold frameworks
-- (PostgreSQL). Keep in step with ../sqlite/0005_accounts_organisations_frameworks.sql.

-- Organisations and teams are retired, never deleted: old contacts and workers still name them.
ALTER TABLE organisations ADD COLUMN retired_at TIMESTAMPTZ;
ALTER TABLE teams ADD COLUMN retired_at TIMESTAMPTZ;

-- Names are unique within an authority, whatever their case: two administrators adding the
-- same name at once get one organisation (the other a clear conflict), never two.
CREATE UNIQUE INDEX organisations_name_unique ON organisations(authority_id, lower(name));
CREATE UNIQUE INDEX teams_name_unique ON teams(authority_id, lower(name));

-- The version of the threshold framework in force (authorities.threshold_framework holds it);
-- publishing a new version is a compare-and-set on this number.
ALTER TABLE authorities ADD COLUMN threshold_framework_version INTEGER NOT NULL DEFAULT 1;

-- Every version ever published, kept so old decisions can be read against their framework.
CREATE TABLE threshold_framework_versions (
    authority_id UUID NOT NULL REFERENCES authorities(id),
    version INTEGER NOT NULL,
    framework TEXT NOT NULL,
    published_at TIMESTAMPTZ NOT NULL,
    published_by UUID REFERENCES workers(id),
    PRIMARY KEY (authority_id, version)
);
INSERT INTO threshold_framework_versions (authority_id, version, framework, published_at, published_by)
    SELECT id, 1, threshold_framework, created_at, NULL FROM authorities;

-- The framework version a decision was made under (decisions made before versions existed
-- were made under version 1).
ALTER TABLE threshold_decisions ADD COLUMN threshold_framework_version INTEGER NOT NULL DEFAULT 1;
