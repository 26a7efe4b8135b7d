-- The credit notes of an invoice, found by the invoice they correct: the payment collection sums them per invoice, and without
-- this index each sum read every invoice (a 100 000-invoice run collected 155 payments in 2.5 minutes).
CREATE INDEX charging_invoices_corrects ON charging_invoices (corrects) WHERE corrects IS NOT NULL;
