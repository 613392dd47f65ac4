"""Outgoing webhooks: endpoints, signed deliveries from the outbox, retries with backoff."""
