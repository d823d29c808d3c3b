-- Closing an early help episode (needs met, the family withdrew, moved away, another service,
-- other), with the worker's summary, who closed it and when; closed_on (already there, set by
-- a step-up too) is the day it closed. Keep in step with ../postgres/0028_early_help_closure.sql.
ALTER TABLE early_help_episodes ADD COLUMN closure_reason TEXT;
ALTER TABLE early_help_episodes ADD COLUMN closure_summary TEXT;
ALTER TABLE early_help_episodes ADD COLUMN closed_by BLOB REFERENCES workers(id);
ALTER TABLE early_help_episodes ADD COLUMN closed_at TEXT;
