-- The DfE Children in Need census: the authority's three-digit DfE LA number, written in the
-- return's header (LEA). Empty until an operator sets it. Keep in step with ../postgres/0020_cin_census.sql.
ALTER TABLE authorities ADD COLUMN dfe_la_number TEXT NOT NULL DEFAULT '';
