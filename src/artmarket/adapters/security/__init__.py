"""Password hashing, access tokens, clock and ids."""
