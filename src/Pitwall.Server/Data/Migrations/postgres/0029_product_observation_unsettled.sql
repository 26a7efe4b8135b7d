-- Product observation rows are stored with the installation's market and are settled by the Smart Service's prediction job
-- (the car's model, the owner's market and so the deletion time) soon after: this index finds a car's unsettled rows
-- without walking its years of settled ones.
CREATE INDEX product_observation_unsettled ON product_observation (vin) WHERE model IS NULL;
