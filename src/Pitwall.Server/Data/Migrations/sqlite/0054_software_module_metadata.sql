-- hawkBit DDI conformance (issue 22): a software module's metadata, keys and values an administrator gives it when making it; those
-- marked target-visible go to the update clients in the deployment's chunk (hawkBit's "target visible" software-module metadata).
-- JSON array of {"key", "value", "targetVisible"}; null: none. Not personal data (the software catalogue).
ALTER TABLE sw_modules ADD COLUMN metadata text;
