-- The account's time zone (an IANA id such as Europe/Berlin) for the times the portal shows; null: the browser's.
ALTER TABLE accounts ADD COLUMN time_zone text;
