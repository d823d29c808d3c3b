-- A failed sign-in stops counting against its username once that account signs in, but
-- still counts against the address it came from (so a correct sign-in cannot wipe out the
-- evidence of a password spray from elsewhere).
ALTER TABLE sign_in_failures ADD COLUMN cleared_by_sign_in INTEGER NOT NULL DEFAULT 0;
