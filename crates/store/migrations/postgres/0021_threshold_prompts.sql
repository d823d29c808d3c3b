-- Threshold prompts at the point of decision: each authority's configured prompts (a row per
-- kind it has changed; kinds without a row use the defaults), and on each threshold decision
-- the prompts that fired, with the manager's reason when the decision authorised was below the
-- prompted outcome. Keep in step with ../sqlite/0021_threshold_prompts.sql.
CREATE TABLE threshold_prompt_rules (
    authority_id UUID NOT NULL REFERENCES authorities(id),
    kind TEXT NOT NULL,
    enabled BOOLEAN NOT NULL,
    first_parameter INTEGER NOT NULL,
    second_parameter INTEGER NOT NULL,
    minimum_outcome TEXT NOT NULL,
    source TEXT NOT NULL,
    updated_by UUID REFERENCES workers(id),
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (authority_id, kind)
);

CREATE TABLE decision_threshold_prompts (
    decision_id UUID NOT NULL REFERENCES threshold_decisions(id),
    authority_id UUID NOT NULL REFERENCES authorities(id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    minimum_outcome TEXT NOT NULL,
    source TEXT NOT NULL,
    because TEXT NOT NULL,
    -- The decision's outcome was below the prompted outcome when it was (last) evaluated.
    departed BOOLEAN NOT NULL,
    evaluated_at TIMESTAMPTZ NOT NULL,
    departure_reason TEXT,
    reason_by UUID REFERENCES workers(id),
    reason_at TIMESTAMPTZ,
    PRIMARY KEY (decision_id, kind)
);
CREATE INDEX decision_threshold_prompts_departures ON decision_threshold_prompts(authority_id, reason_at);
