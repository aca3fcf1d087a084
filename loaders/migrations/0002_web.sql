-- Schema v2: what the review and dashboard application (`hotich serve`)
-- needs beyond v1: sessions, the record of login attempts (throttling),
-- a review lease on records whose fields wait for a person, and the
-- database role the server runs as, with only the rights it uses.

-- A session: the browser holds a random token; the database keeps only its
-- SHA-256, so a copy of this table opens no session.
CREATE TABLE web_sessions (
    token_hash   text PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    user_id      integer NOT NULL REFERENCES users ON DELETE CASCADE,
    csrf_token   text NOT NULL CHECK (length(csrf_token) >= 32),
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen    timestamptz NOT NULL DEFAULT now(),
    client       text
);
CREATE INDEX web_sessions_user ON web_sessions (user_id);

-- Every login attempt: failures within a window throttle further tries
-- for that name and for that client address.
CREATE TABLE login_attempts (
    at          timestamptz NOT NULL DEFAULT now(),
    user_name   text NOT NULL,
    client      text NOT NULL,
    ok          boolean NOT NULL
);
CREATE INDEX login_attempts_name ON login_attempts (user_name, at);
CREATE INDEX login_attempts_client ON login_attempts (client, at);

-- A record with fields flagged for review is an item of the review queue
-- too; a reviewer holds it under a lease like a match.
ALTER TABLE records ADD COLUMN claimed_by text, ADD COLUMN claim_until timestamptz;
CREATE INDEX records_field_review ON records (record_id) WHERE n_review > 0;
CREATE INDEX matches_review ON matches (match_id) WHERE status = 'review';

-- Decisions that only release an item (a reviewer skipped it) are not
-- audited; every other action is.  'accept_field' keeps a flagged value as
-- read.
ALTER TABLE review_decisions DROP CONSTRAINT review_decisions_action_check;
ALTER TABLE review_decisions ADD CONSTRAINT review_decisions_action_check
    CHECK (action IN ('confirm', 'pick', 'no_match', 'correct_field',
                      'accept_field', 'reopen'));

-- The role `hotich serve` switches to (SET ROLE) after connecting: it reads
-- what it shows, changes only matches, records and their people, appends
-- to the audit, and keeps its sessions.  It can neither change nor delete
-- a decision, nor touch users, citizens, files or the schema.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'hotich_web') THEN
        CREATE ROLE hotich_web NOLOGIN;
    END IF;
END
$$;
GRANT USAGE ON SCHEMA hotich TO hotich_web;
GRANT SELECT ON batches, source_files, pages, records, record_people,
    citizens, match_models, matches, inventory, review_decisions
    TO hotich_web;
GRANT SELECT (user_id, name, role, password_hash, office, disabled) ON users
    TO hotich_web;
GRANT UPDATE (fields, n_review, updated_at, claimed_by, claim_until, register_no,
              book_no, registered_on, registry_office) ON records
    TO hotich_web;
GRANT UPDATE (full_name, name_key, dob, sex, id_number, birthplace,
              father_name, mother_name) ON record_people TO hotich_web;
GRANT UPDATE (citizen_id, status, decided_by, decided_at, claimed_by,
              claim_until, updated_at) ON matches TO hotich_web;
GRANT INSERT ON review_decisions TO hotich_web;
GRANT SELECT, INSERT, UPDATE, DELETE ON web_sessions, login_attempts
    TO hotich_web;
