-- The instances of a scaled-out platform and when each last said it is alive (issue 19). A car's presence record
-- (vehicle_link.session_instance) counts only while its instance's heartbeat is fresh, so that the cars of a killed
-- instance do not read as online for ever; any instance clears the presence records of an instance that stopped beating.
CREATE TABLE cluster_instances (
    instance_id text   PRIMARY KEY,
    started_at  bigint NOT NULL,
    seen_at     bigint NOT NULL
);
CREATE INDEX vehicle_link_session_instance ON vehicle_link (session_instance) WHERE session_instance IS NOT NULL;
