"""The business: entities, value objects, state machines and domain errors (standard library only)."""
