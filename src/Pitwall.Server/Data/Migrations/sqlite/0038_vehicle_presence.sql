-- Car presence when several instances share the database (issue 19): which instance holds the car's live connection, and
-- the session's epoch, raised by every login, so that only the newest session anywhere may deliver to the car.
ALTER TABLE vehicle_link ADD COLUMN session_epoch bigint NOT NULL DEFAULT 0;
ALTER TABLE vehicle_link ADD COLUMN session_instance text; -- null while no instance holds the car
