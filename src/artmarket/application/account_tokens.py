"""The tokens in verification and password-reset links, derived so that only their hashes are stored."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import timedelta
from uuid import UUID

#: How long a verification link works: long enough for a weekend away from the inbox.
VERIFY_EMAIL_TTL = timedelta(hours=48)
#: How long a password-reset link works (OWASP Forgot Password cheat sheet: short-lived).
RESET_PASSWORD_TTL = timedelta(hours=1)


class AccountTokenCodec:
    """The token of an account-token id is HMAC-SHA256(key, id): 256 bits nobody can guess.

    The database keeps only SHA-256 of the token, and the outbox and delivery records only
    its id, so a copy of the database opens no account; the token is derived again when the
    email is rendered, and a link is checked by looking its hash up.
    """

    def __init__(self, key: bytes) -> None:
        if len(key) < 32:
            raise ValueError("The account-token key needs at least 32 bytes.")
        self._key = key

    def token_for(self, token_id: UUID) -> str:
        digest = hmac.new(self._key, b"account-token:" + token_id.bytes, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def hash_of_id(self, token_id: UUID) -> str:
        return self.hash(self.token_for(token_id))

    @staticmethod
    def hash(token: str) -> str:
        # A fast hash is right here: the token has 256 bits of entropy.
        return hashlib.sha256(token.encode()).hexdigest()
