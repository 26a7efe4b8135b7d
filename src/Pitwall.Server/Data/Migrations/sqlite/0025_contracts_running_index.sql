-- Every command and service asks for a car's running contracts (vin, state 'active', ends_at after now). With only
-- (vin, state) SQLite's planner preferred contracts_due (state, ends_at) for that query and walked every active contract
-- of the fleet per question (about 0.9 ms with 2 000 contracts, against 0.02 ms by the car). This index answers it by
-- car; it starts with (vin, state), so it replaces contracts_vin.
CREATE INDEX contracts_vin_running ON contracts (vin, state, ends_at);
DROP INDEX contracts_vin;
