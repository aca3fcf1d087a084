-- Schema v9: keying (nhập liệu).  Pages the reader could not classify (but
-- not blank pages or book covers) and records with most of their fields
-- flagged go to people who type them in beside the scan.  A keyed page
-- becomes a record like an OCR'd one (records, record_people), matched by
-- `hotich match --unlinked` and counted as digitized.

-- A page waiting to be keyed is held under a lease, like a review item.
ALTER TABLE pages ADD COLUMN claimed_by text, ADD COLUMN claim_until timestamptz;

-- How keying works, one row: double keying of the identity fields (two
-- keyers, a third when they disagree), and the share of a record's fields
-- that, flagged, sends it to keying rather than to review.
CREATE TABLE keying_settings (
    only_row       boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    double_keying  boolean NOT NULL DEFAULT false,
    flagged_share  real NOT NULL DEFAULT 0.5
                   CHECK (flagged_share > 0 AND flagged_share <= 1),
    updated_by     text,
    updated_at     timestamptz NOT NULL DEFAULT now()
);
INSERT INTO keying_settings DEFAULT VALUES;

-- Every keying of a page part (rec_index: 0, or 1 for the right page of an
-- A3 spread): who typed what, and which pass it was (1, 2 when keyed twice,
-- 3 when the two disagreed).  The record it made, when it made one.
-- Appended to only: the throughput of the dashboard is counted from it.
CREATE TABLE keyings (
    keying_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    page_id     bigint NOT NULL REFERENCES pages ON DELETE CASCADE,
    rec_index   integer NOT NULL DEFAULT 0 CHECK (rec_index >= 0),
    pass        smallint NOT NULL CHECK (pass IN (1, 2, 3)),
    user_name   text NOT NULL,
    office      text,
    doc_type    doc_type NOT NULL CHECK (doc_type <> 'unknown'),
    fields      jsonb NOT NULL,
    agreed      boolean,
    record_id   bigint REFERENCES records ON DELETE CASCADE,
    keyed_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (page_id, rec_index, pass)
);
CREATE INDEX keyings_user ON keyings (user_name, keyed_at);
CREATE INDEX keyings_office ON keyings (office, keyed_at);
CREATE INDEX pages_unknown ON pages (page_id) WHERE doc_type = 'unknown';

CREATE TRIGGER keyings_no_update
    BEFORE UPDATE OR DELETE ON keyings
    FOR EACH ROW EXECUTE FUNCTION review_decisions_append_only();

-- A keyed record in the audit log.
ALTER TABLE review_decisions DROP CONSTRAINT review_decisions_action_check;
ALTER TABLE review_decisions ADD CONSTRAINT review_decisions_action_check
    CHECK (action IN ('confirm', 'pick', 'no_match', 'correct_field',
                      'accept_field', 'reopen', 'key_record'));

-- The serving role keys pages: it creates records and their people, sets
-- the type of a keyed page, appends keyings, and an admin changes the
-- settings.
GRANT SELECT, INSERT ON keyings TO hotich_web;
GRANT USAGE ON SEQUENCE keyings_keying_id_seq TO hotich_web;
GRANT SELECT, UPDATE ON keying_settings TO hotich_web;
GRANT INSERT ON records, record_people TO hotich_web;
GRANT USAGE ON SEQUENCE records_record_id_seq TO hotich_web;
GRANT UPDATE (doc_type, claimed_by, claim_until) ON pages TO hotich_web;
GRANT UPDATE (mean_conf, warnings) ON records TO hotich_web;
GRANT UPDATE (birth_province, birth_province_now, cmnd_number) ON record_people TO hotich_web;
