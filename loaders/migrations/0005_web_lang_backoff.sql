-- Schema v5: what the review and dashboard application needs for its
-- users' language, and for a sign-in back-off that nobody can turn against
-- a real user.  Written to apply again over itself (a test takes the
-- schema back to v3 and forward).

-- The interface language a user chose ('vi' or 'en'; NULL: the browser's).
-- The serving role may change that column of a user, and nothing else.
ALTER TABLE users ADD COLUMN IF NOT EXISTS lang text CHECK (lang IN ('vi', 'en'));
GRANT SELECT (lang) ON users TO hotich_web;
GRANT UPDATE (lang) ON users TO hotich_web;

-- Browsers that have signed in as a user: the hash of a random token the
-- browser keeps in a cookie.  A sign-in from such a browser is judged by
-- its own failures only, so that guesses from elsewhere cannot keep the
-- user out of it.
CREATE TABLE IF NOT EXISTS login_devices (
    token_hash   text PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    user_id      integer NOT NULL REFERENCES users ON DELETE CASCADE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS login_devices_user ON login_devices (user_id);
GRANT SELECT, INSERT, UPDATE, DELETE ON login_devices TO hotich_web;

-- A try is recorded (as failed) before the password is checked, and marked
-- ok when it was right: tries sent at once cannot all pass the check.  The
-- browser it came from, when known.
ALTER TABLE login_attempts
    ADD COLUMN IF NOT EXISTS attempt_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ADD COLUMN IF NOT EXISTS device text;
CREATE INDEX IF NOT EXISTS login_attempts_device ON login_attempts (device, at) WHERE device IS NOT NULL;
GRANT USAGE ON SEQUENCE login_attempts_attempt_id_seq TO hotich_web;
