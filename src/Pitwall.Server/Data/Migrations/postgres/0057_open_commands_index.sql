-- Fewer index entries written per remote command (issues 15 and 17; the SQLite migration of the same number says more).
-- Only open commands (accepted, sent) are indexed by state: an ended command leaves the index instead of adding an entry
-- to the range of ended commands, which grows with every command ever sent.
DROP INDEX vehicle_commands_state;
CREATE INDEX vehicle_commands_open ON vehicle_commands (state, vin, position) WHERE state IN ('accepted', 'sent');
