-- Charging Service, monthly invoices (G2): the gapless number series.

-- Gapless invoice numbers: one counter per series (e.g. invoices of 2026, credit notes of 2026), moved on in the transaction that
-- writes the invoice, so a rolled-back invoice gives its number back and two instances wait for each other on the series' row.
CREATE TABLE charging_invoice_series (
    series      text PRIMARY KEY,
    last_number bigint NOT NULL
);
