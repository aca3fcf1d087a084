-- Schema v8: look-up (tra cứu).  A clerk finds a record among millions by
-- a name with or without diacritics, an ID or CMND number, a date of
-- birth, the office, book and number, the document type and the parents'
-- names (`hotich find`, the web's search page).
--
-- The folded keys are normalize/'s vn_fold, the same function the query
-- folds with: name_key was stored since v1; father_key and mother_key are
-- new, stored at load time and filled here for the rows loaded before by
-- loaders/search.c (search_backfill, run by the migration in its
-- transaction: SQL cannot fold as ICU does).  cmnd_number is filled from
-- the records' fields (the 9-digit legacy card: `cmnd_number`,
-- `husband_cmnd_number`, ...).
--
-- Whole words are found by the GIN index of the keys' words; pg_trgm makes
-- a search by part of a word, or a name a letter off, use an index.  It is created
-- when the server has it and the user may create it; without it the
-- searches by part of a name read every record (slower, same answers), and
-- `hotich db init` and `hotich find` say so.

ALTER TABLE record_people ADD COLUMN father_key text, ADD COLUMN mother_key text;
-- the words of the folded keys, for "these words, others between": an
-- inverted index of words (GIN on arrays, no extension needed)
ALTER TABLE record_people
    ADD COLUMN name_words text[] GENERATED ALWAYS AS (string_to_array(name_key, ' ')) STORED,
    ADD COLUMN father_words text[] GENERATED ALWAYS AS (string_to_array(father_key, ' ')) STORED,
    ADD COLUMN mother_words text[] GENERATED ALWAYS AS (string_to_array(mother_key, ' ')) STORED;

UPDATE record_people p
   SET cmnd_number = r.fields -> (CASE WHEN p.role = 'subject' THEN 'cmnd_number'
                                       ELSE p.role || '_cmnd_number' END) ->> 'value'
  FROM records r
 WHERE r.record_id = p.record_id
   AND p.cmnd_number IS NULL
   AND (r.fields -> (CASE WHEN p.role = 'subject' THEN 'cmnd_number'
                          ELSE p.role || '_cmnd_number' END) ->> 'value') ~ '^[0-9]{9}$';

CREATE INDEX record_people_cmnd ON record_people (cmnd_number)
    WHERE cmnd_number IS NOT NULL;
-- a date of birth by prefix: a year, a month of a year
CREATE INDEX record_people_dob ON record_people (dob text_pattern_ops);
CREATE INDEX record_people_words ON record_people USING gin (name_words);
CREATE INDEX record_people_father ON record_people USING gin (father_words);
CREATE INDEX record_people_mother ON record_people USING gin (mother_words);
CREATE INDEX records_book ON records (registry_office, book_no, register_no);

-- The trigram indexes, when pg_trgm can be had.  The operator class is
-- named with the extension's schema, wherever a DBA installed it.
DO $$
DECLARE
    s text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        BEGIN
            CREATE EXTENSION IF NOT EXISTS pg_trgm;
        EXCEPTION WHEN OTHERS THEN
            RAISE NOTICE 'pg_trgm is not available (%): searches by part of a name will read every record', SQLERRM;
        END;
    END IF;
    SELECT extnamespace::regnamespace::text INTO s FROM pg_extension WHERE extname = 'pg_trgm';
    IF s IS NOT NULL THEN
        EXECUTE format('CREATE INDEX record_people_name_trgm ON record_people'
                       ' USING gin ((%L || name_key || %L) %s.gin_trgm_ops)', ' ', ' ', s);
    END IF;
END
$$;

-- The web application reads what it searches already (records,
-- record_people, pages, source_files, matches, citizens, review_decisions);
-- a reviewer's correction of a parent's name updates its key.
GRANT UPDATE (father_key, mother_key, cmnd_number) ON record_people TO hotich_web;
