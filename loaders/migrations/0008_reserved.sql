-- Schema v8 is issue 26's look-up (branch h26find); this placeholder keeps
-- the numbers contiguous on the keying branch and is replaced by that
-- branch's 0008 when both are merged.
DO $$ BEGIN NULL; END $$;
