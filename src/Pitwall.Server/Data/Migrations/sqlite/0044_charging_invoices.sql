-- Charging Service, monthly invoices (G2): the invoices and credit notes.

-- Invoices and credit notes (negative amounts), kept 10 years from the end of the calendar year of issue (§147 AO, §14b UStG): the
-- customer's name and address and the priced charges are copied in, so the invoice outlives the CDRs (90 days) and the account.
CREATE TABLE charging_invoices (
    number            text PRIMARY KEY,
    kind              text NOT NULL,
    series            text NOT NULL,
    seq               bigint NOT NULL,
    account_id        text REFERENCES accounts (id) ON DELETE SET NULL,
    contract_id       text NOT NULL,
    period            text NOT NULL,
    currency          text NOT NULL,
    issued_at         bigint NOT NULL,
    retention_from    bigint NOT NULL,
    customer_name     text NOT NULL,
    customer_address  text,
    payment_provider  text,
    payment_token     text,
    card_last4        text,
    net_minor         bigint NOT NULL,
    vat_minor         bigint NOT NULL,
    gross_minor       bigint NOT NULL,
    lines             text NOT NULL,
    corrects          text,
    reason            text,
    payment_state     text NOT NULL,
    payment_reference text,
    updated_at        bigint NOT NULL,
    UNIQUE (series, seq)
);
CREATE UNIQUE INDEX charging_invoices_once ON charging_invoices (account_id, period, currency) WHERE kind = 'invoice';
CREATE INDEX charging_invoices_account ON charging_invoices (account_id, issued_at);
CREATE INDEX charging_invoices_age ON charging_invoices (retention_from);
CREATE INDEX charging_invoices_payment ON charging_invoices (payment_state);
