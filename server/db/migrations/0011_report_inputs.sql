-- A consolidated report is stored as what it was built from (the versions, the reviewer's decisions and the round's
-- settings at the time) and derived from them; its packed form (consolidated_gz) is written the first time it is
-- read, and from then on it is what is served. Reports built before keep their stored form.
ALTER TABLE reports ADD COLUMN inputs_json text;
