-- Webhook events for the provider (src/webhooks): outbox rows of their own channel, delivered,
-- retried and parked like every other message.
ALTER TABLE outbox DROP CONSTRAINT outbox_channel_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_channel_check CHECK (channel IN ('sms', 'email', 'in-app', 'webhook'));
