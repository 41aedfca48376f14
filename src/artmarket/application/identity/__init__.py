"""Identity and access: registration, sign-in, token rotation, profiles."""
