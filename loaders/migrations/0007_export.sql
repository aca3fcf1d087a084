-- Schema v7: what `hotich export` and the web application's download of a
-- register book keep, so that an export can be repeated and a record
-- corrected after it was delivered is marked as a correction in the next.

-- Every export asked for: who, how (command line or web), what, and what
-- came out.  Appended to by each export; the log of who took which data.
CREATE TABLE exports (
    export_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    started_at    timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz,
    requested_by  text NOT NULL CHECK (requested_by <> ''),
    via           text NOT NULL CHECK (via IN ('cli', 'web')),
    request       jsonb NOT NULL DEFAULT '{}',
    summary       jsonb
);

-- Every record delivered: the SHA-256 of its row (the template's columns
-- as written) when it was first delivered, and when last.  A record whose
-- row differs from its first delivery is a correction.
CREATE TABLE export_records (
    record_id     bigint PRIMARY KEY REFERENCES records ON DELETE CASCADE,
    template      text NOT NULL CHECK (template ~ '^[a-z_]+$'),
    first_sha256  text NOT NULL CHECK (first_sha256 ~ '^[0-9a-f]{64}$'),
    first_export  bigint NOT NULL REFERENCES exports,
    first_at      timestamptz NOT NULL DEFAULT now(),
    last_sha256   text NOT NULL CHECK (last_sha256 ~ '^[0-9a-f]{64}$'),
    last_export   bigint NOT NULL REFERENCES exports,
    last_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX export_records_last ON export_records (last_export);

-- The web application exports a book for a manager: it logs the export
-- and keeps the state of what it delivered, and reads both for the
-- dashboard.  It cannot delete either.
GRANT SELECT, INSERT, UPDATE ON exports, export_records TO hotich_web;
GRANT USAGE ON SEQUENCE exports_export_id_seq TO hotich_web;
