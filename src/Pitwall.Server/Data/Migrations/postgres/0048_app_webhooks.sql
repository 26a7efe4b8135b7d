-- Webhooks of third-party apps (issue 20): a subscription an app made with its token belongs to the owner's account and names
-- the app; it gets only the notifications of cars, and of types, that the owner's consent to the app covers.
ALTER TABLE webhook_subscriptions ADD COLUMN client_id text;
