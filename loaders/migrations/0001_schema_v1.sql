-- Schema v1 of hotich: everything the nightly batch, the match stage, the
-- review application and the progress report store.
--
-- Applied by `hotich db init` in one transaction and recorded in
-- schema_version.  Never edit a migration that has been released: add the
-- next number instead (the checksum of each applied migration is kept and
-- compared).
--
-- Conventions:
--   * Partial dates (a register may only give the year, or year and month)
--     are stored as text in the `partial_date` domain: 'YYYY', 'YYYY-MM' or
--     'YYYY-MM-DD', the same form as the record JSON of the contract.
--   * Names are stored normalized (NFC, one tone-mark rule, title case) as
--     produced by normalize/; `*_key` columns hold the folded key (no
--     diacritics, đ -> d, lower case) used for blocking and search.
--   * Constraints, not application code, make a duplicate impossible: a
--     file is loaded once (sha256), a record once (record_ref), a match once
--     per record and role.

CREATE DOMAIN partial_date AS text
    CHECK (VALUE ~ '^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$');

CREATE DOMAIN doc_type AS text
    CHECK (VALUE IN ('khai_sinh', 'khai_tu', 'ket_hon', 'nhan_cha_me_con',
                     'tthc_receipt', 'unknown'));

CREATE DOMAIN sex_code AS text CHECK (VALUE IN ('nam', 'nu'));

CREATE DOMAIN id_number AS text CHECK (VALUE ~ '^[0-9]{12}$');

-- A person's role on a record: who a match is about.
CREATE DOMAIN person_role AS text
    CHECK (VALUE IN ('subject', 'husband', 'wife', 'parent', 'child',
                     'applicant'));

-- ---------------------------------------------------------------------------
-- The batch: one nightly run (or a re-run under the same name).
-- ---------------------------------------------------------------------------
CREATE TABLE batches (
    batch_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         text NOT NULL UNIQUE CHECK (name <> ''),
    office       text,
    status       text NOT NULL DEFAULT 'open'
                 CHECK (status IN ('open', 'matching', 'done')),
    started_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz,
    started_by   text NOT NULL DEFAULT current_user,
    options      jsonb NOT NULL DEFAULT '{}',
    summary      jsonb
);

-- ---------------------------------------------------------------------------
-- Source files: every scan seen, loaded or rejected.  The sha256 of the
-- bytes identifies a file wherever it lies: the same scan copied to another
-- folder is not loaded again.
-- ---------------------------------------------------------------------------
CREATE TABLE source_files (
    file_id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sha256         text NOT NULL UNIQUE CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    batch_id       bigint NOT NULL REFERENCES batches,
    path           text NOT NULL,
    size_bytes     bigint NOT NULL CHECK (size_bytes >= 0),
    format         text,                 -- tiff, png, jpeg; null if unknown
    n_pages        integer CHECK (n_pages >= 0),
    registry_office text,
    status         text NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending', 'loaded', 'rejected')),
    reject_reason  text,
    seen_at        timestamptz NOT NULL DEFAULT now(),
    loaded_at      timestamptz,
    CHECK ((status = 'rejected') = (reject_reason IS NOT NULL))
);
CREATE INDEX source_files_batch ON source_files (batch_id, status);

-- ---------------------------------------------------------------------------
-- Page jobs: the work queue of the batch.  Workers (on any host) claim a
-- page with SELECT ... FOR UPDATE SKIP LOCKED and hold it under a lease;
-- a lease that expires (the worker died) makes the page claimable again.
-- ---------------------------------------------------------------------------
CREATE TABLE page_jobs (
    file_id      bigint NOT NULL REFERENCES source_files ON DELETE CASCADE,
    page_no      integer NOT NULL CHECK (page_no >= 1),
    status       text NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'running', 'done', 'failed')),
    worker       text,
    lease_until  timestamptz,
    attempts     integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    error        text,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (file_id, page_no)
);
CREATE INDEX page_jobs_claimable ON page_jobs (status, lease_until)
    WHERE status IN ('pending', 'running');

-- ---------------------------------------------------------------------------
-- Pages: the result of OCR on one page of a source file.
-- ---------------------------------------------------------------------------
CREATE TABLE pages (
    page_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    file_id      bigint NOT NULL REFERENCES source_files ON DELETE CASCADE,
    page_no      integer NOT NULL CHECK (page_no >= 1),
    doc_type     doc_type NOT NULL,
    width_px     integer CHECK (width_px > 0),
    height_px    integer CHECK (height_px > 0),
    dpi          integer CHECK (dpi > 0),
    rotation     smallint CHECK (rotation IN (0, 90, 180, 270)),
    skew_deg     real,
    mean_conf    real CHECK (mean_conf BETWEEN 0 AND 1),
    preprocess   text[] NOT NULL DEFAULT '{}',  -- steps applied, in order
    ocr_ms       integer CHECK (ocr_ms >= 0),
    text         text NOT NULL DEFAULT '',
    text_search  tsvector GENERATED ALWAYS AS (to_tsvector('simple', text)) STORED,
    warnings     jsonb NOT NULL DEFAULT '[]',
    loaded_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (file_id, page_no)
);
CREATE INDEX pages_text_search ON pages USING gin (text_search);
CREATE INDEX pages_doc_type ON pages (doc_type);

-- ---------------------------------------------------------------------------
-- Records: one civil-status entry read from a page (an A3 register spread
-- carries two).  Record-level typed fields are columns; every field with its
-- value, confidence, box and review flag is in `fields`, as in the record
-- JSON of the contract.
-- ---------------------------------------------------------------------------
CREATE TABLE records (
    record_id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    record_ref      text NOT NULL UNIQUE
                    CHECK (record_ref ~ '^[0-9a-f]{64}:[0-9]+:[0-9]+$'),
    page_id         bigint NOT NULL REFERENCES pages ON DELETE CASCADE,
    rec_index       integer NOT NULL CHECK (rec_index >= 0),
    doc_type        doc_type NOT NULL,
    registry_office text,
    register_no     text,
    book_no         text,
    registered_on   partial_date,
    reg_year        integer GENERATED ALWAYS AS
                    (substr(registered_on, 1, 4)::integer) STORED,
    mean_conf       real CHECK (mean_conf BETWEEN 0 AND 1),
    n_review        integer NOT NULL DEFAULT 0 CHECK (n_review >= 0),
    fields          jsonb NOT NULL DEFAULT '{}',
    warnings        jsonb NOT NULL DEFAULT '[]',
    loaded_at       timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (page_id, rec_index)
);
CREATE INDEX records_progress ON records (registry_office, doc_type, reg_year);

-- The people on a record, typed for matching: the child of a birth record
-- and the deceased are 'subject'; spouses, parent and child of a
-- recognition, and the applicant of a receipt have their own role.
CREATE TABLE record_people (
    record_id     bigint NOT NULL REFERENCES records ON DELETE CASCADE,
    role          person_role NOT NULL,
    full_name     text,
    name_key      text,
    dob           partial_date,
    sex           sex_code,
    id_number     id_number,
    cmnd_number   text CHECK (cmnd_number ~ '^[0-9]{9}$'),
    birthplace    text,
    birth_province char(3),
    father_name   text,
    mother_name   text,
    PRIMARY KEY (record_id, role)
);
CREATE INDEX record_people_id ON record_people (id_number)
    WHERE id_number IS NOT NULL;
CREATE INDEX record_people_name ON record_people (name_key, dob);

-- ---------------------------------------------------------------------------
-- The citizen registry extract (population database).
-- ---------------------------------------------------------------------------
CREATE TABLE citizens (
    id_number      id_number PRIMARY KEY,
    full_name      text NOT NULL,
    name_key       text NOT NULL,
    dob            partial_date,
    sex            sex_code,
    birthplace     text,
    birth_province char(3),
    father_name    text,
    mother_name    text,
    source         text NOT NULL,        -- the imported file
    loaded_at      timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX citizens_name_key ON citizens (name_key);
CREATE INDEX citizens_dob ON citizens (dob);

-- ---------------------------------------------------------------------------
-- Match models: the parameters of a fitted linkage model, kept so that any
-- stored score can be reproduced and explained.
-- ---------------------------------------------------------------------------
CREATE TABLE match_models (
    model_version  text PRIMARY KEY,
    created_at     timestamptz NOT NULL DEFAULT now(),
    batch_id       bigint REFERENCES batches,
    params         jsonb NOT NULL
);

-- ---------------------------------------------------------------------------
-- Matches: one per record and role.  `auto`/`review`/`none` come from the
-- match stage; `confirmed`/`rejected` are a reviewer's decisions, which no
-- later automatic run overwrites.
-- ---------------------------------------------------------------------------
CREATE TABLE matches (
    match_id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    record_id      bigint NOT NULL,
    role           person_role NOT NULL,
    citizen_id     id_number REFERENCES citizens,
    score          double precision NOT NULL CHECK (score BETWEEN 0 AND 1),
    status         text NOT NULL
                   CHECK (status IN ('auto', 'review', 'none', 'confirmed',
                                     'rejected')),
    model_version  text NOT NULL REFERENCES match_models,
    explanation    jsonb NOT NULL DEFAULT '[]',  -- per-comparison weights
    candidates     jsonb NOT NULL DEFAULT '[]',  -- runners-up with scores
    discrepancies  jsonb NOT NULL DEFAULT '[]',  -- fields that disagree
    decided_by     text,
    decided_at     timestamptz,
    claimed_by     text,                          -- review lease
    claim_until    timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (record_id, role),
    FOREIGN KEY (record_id, role) REFERENCES record_people ON DELETE CASCADE,
    CHECK ((status = 'none' OR status = 'rejected') = (citizen_id IS NULL)),
    CHECK ((status IN ('confirmed', 'rejected')) = (decided_by IS NOT NULL))
);
CREATE INDEX matches_status ON matches (status);
CREATE INDEX matches_citizen ON matches (citizen_id);

-- ---------------------------------------------------------------------------
-- Users of the review and dashboard application.
-- ---------------------------------------------------------------------------
CREATE TABLE users (
    user_id        integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name           text NOT NULL UNIQUE CHECK (name ~ '^[A-Za-z0-9._-]{1,64}$'),
    role           text NOT NULL CHECK (role IN ('reviewer', 'manager', 'admin')),
    password_hash  text NOT NULL CHECK (password_hash <> ''),
    office         text,       -- null: every office
    disabled       boolean NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL DEFAULT now()
);

-- ---------------------------------------------------------------------------
-- Review decisions: an append-only audit of who decided what, when, with
-- the state before and after.  Rows can be added, never changed or removed.
-- ---------------------------------------------------------------------------
CREATE TABLE review_decisions (
    decision_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    decided_at    timestamptz NOT NULL DEFAULT now(),
    user_name     text NOT NULL,
    action        text NOT NULL
                  CHECK (action IN ('confirm', 'pick', 'no_match',
                                    'correct_field', 'reopen')),
    record_id     bigint NOT NULL,
    role          person_role,
    field         text,
    before        jsonb,
    after         jsonb
);
CREATE INDEX review_decisions_record ON review_decisions (record_id);

CREATE FUNCTION review_decisions_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'review_decisions is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER review_decisions_no_update
    BEFORE UPDATE OR DELETE ON review_decisions
    FOR EACH ROW EXECUTE FUNCTION review_decisions_append_only();
CREATE TRIGGER review_decisions_no_truncate
    BEFORE TRUNCATE ON review_decisions
    FOR EACH STATEMENT EXECUTE FUNCTION review_decisions_append_only();

-- ---------------------------------------------------------------------------
-- Inventory of the paper registers: expected entries per office, document
-- type, book and year (the denominator of "digitized %").
-- ---------------------------------------------------------------------------
CREATE TABLE inventory (
    registry_office  text NOT NULL,
    doc_type         doc_type NOT NULL CHECK (doc_type <> 'unknown'),
    book_no          text NOT NULL,
    year             integer NOT NULL CHECK (year BETWEEN 1900 AND 2200),
    entries          integer NOT NULL CHECK (entries >= 0),
    imported_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (registry_office, doc_type, book_no, year)
);
