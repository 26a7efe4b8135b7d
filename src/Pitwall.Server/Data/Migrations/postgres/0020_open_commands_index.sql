-- The commands still open (accepted, sent) are looked up per car on every hand-over and result, and all together by
-- the command job; without this index each such lookup reads the car's whole command history (the job: every row).
-- Ended commands sit in other state ranges of the index and are never visited by these lookups.
CREATE INDEX vehicle_commands_state ON vehicle_commands (state, vin, position);
