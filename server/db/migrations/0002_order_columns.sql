-- Rows written in the same millisecond need an explicit order: comments of one review keep the order the reviewer
-- wrote them in; reports of a round are numbered so "the last" is unambiguous.
ALTER TABLE comments ADD COLUMN seq integer NOT NULL DEFAULT 0;
ALTER TABLE reports ADD COLUMN seq integer NOT NULL DEFAULT 0;
