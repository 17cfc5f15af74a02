-- The consolidated report of a national or large provincial round is tens of megabytes of JSON: it is stored
-- gzip-compressed (consolidated_json is then empty). Reports built before keep their JSON text.
ALTER TABLE reports ADD COLUMN consolidated_gz blob;
