-- Schema v3: a partial index on the pages of a file that are still to be
-- read. After each page, the batch asks whether its file has any page left
-- (file_done_sql in loaders/batch.c); without this index that question
-- walks every job of the file, so a file of N pages costs N^2/2 row visits.
-- The index holds only pending and leased jobs, so it stays small.
CREATE INDEX page_jobs_open ON page_jobs (file_id)
    WHERE status NOT IN ('done', 'failed');
