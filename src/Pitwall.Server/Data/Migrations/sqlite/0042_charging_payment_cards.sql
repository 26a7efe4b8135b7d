-- Charging Service, monthly invoices (G2): every CDR of the month priced by its tariff, with the customer's name and address and the
-- payment card (only the payment provider's token and the last four digits, never a card number).

-- The account's payment card: the payment provider's token and the card's last four digits; no card number is ever stored.
CREATE TABLE charging_payment_cards (
    account_id text PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    provider   text NOT NULL,
    token      text NOT NULL,
    brand      text,
    last4      text NOT NULL,
    created_at bigint NOT NULL
);
