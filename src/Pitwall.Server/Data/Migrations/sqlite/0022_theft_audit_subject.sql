-- Whom a Car Security audit entry is about (the operator a case was handed to, the authority that got it), as a key
-- rather than words in the detail text: erasing that account leaves no trace of it in the log.
ALTER TABLE theft_case_audit ADD COLUMN subject_account_id text REFERENCES accounts (id) ON DELETE SET NULL;
