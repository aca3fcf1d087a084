-- Schema v6: where the scans of a register book lie.  The inventory may
-- give, for a book, the folder of its scans ("xa-chu-trinh/quyen-03"), so
-- that `hotich run` takes the registration office of those scans from
-- where they came from, not from what OCR read on each page.
ALTER TABLE inventory ADD COLUMN folder text CHECK (folder <> '');
CREATE INDEX inventory_folder ON inventory (folder) WHERE folder IS NOT NULL;
