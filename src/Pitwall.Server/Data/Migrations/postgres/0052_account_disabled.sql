-- When an administrator disabled the account (it cannot sign in until enabled again); null: active.
ALTER TABLE accounts ADD COLUMN disabled_at bigint;
