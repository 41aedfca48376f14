"""Notifications: transactional email rendered from outbox events, delivered at least once, sent once."""
