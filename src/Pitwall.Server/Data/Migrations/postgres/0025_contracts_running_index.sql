-- Every command and service asks for a car's running contracts (vin, state 'active', ends_at after now): one index
-- answers it by car, as on SQLite (where the planner otherwise walked every active contract through contracts_due).
-- It starts with (vin, state), so it replaces contracts_vin.
CREATE INDEX contracts_vin_running ON contracts (vin, state, ends_at);
DROP INDEX contracts_vin;
