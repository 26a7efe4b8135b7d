-- Fewer pages written per remote command (issues 15 and 17: the command round trip's tail is the CPU and the write-ahead log
-- a command costs, and every page a transaction changes is written to the log whole).
--
-- Only open commands (accepted, sent) are indexed by state. Before, a command's result moved its entry into the range of
-- ended commands, which grows with every command ever sent: one more page written per command, at a random place. Now an
-- ended command leaves the index, which holds the few commands in flight, and every lookup of open commands reads a few
-- pages. The queries name the index's condition, state IN ('accepted', 'sent'), so that SQLite's planner may use it.
DROP INDEX vehicle_commands_state;
CREATE INDEX vehicle_commands_open ON vehicle_commands (state, vin, position) WHERE state IN ('accepted', 'sent');
