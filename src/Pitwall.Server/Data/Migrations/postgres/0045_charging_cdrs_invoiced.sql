-- Charging Service, monthly invoices (G2): which invoice billed a CDR.

ALTER TABLE charging_cdrs ADD COLUMN invoice_number text;
CREATE INDEX charging_cdrs_uninvoiced ON charging_cdrs (end_at) WHERE invoice_number IS NULL;
