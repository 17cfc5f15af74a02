-- A Google spreadsheet belongs to the agency that first submitted it (per round): others are refused.
CREATE TABLE sheet_owners (
  spreadsheet_id text PRIMARY KEY,
  agency_id text NOT NULL,
  first_round_id text NOT NULL,
  created_at text NOT NULL
);
