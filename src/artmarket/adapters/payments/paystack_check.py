"""`artmarket doctor` on Paystack: which kind of secret key is configured, and whether Paystack accepts it."""

from __future__ import annotations

import os

import httpx

from artmarket.adapters.payments.paystack import DEFAULT_BASE_URL
from artmarket.application.payments.ports import (
    PaymentGatewayMisconfigured,
    PaymentGatewayUnavailable,
)
from artmarket.application.ports import NeedsAttention


class PaystackCheck:
    """`artmarket doctor`: which kind of key this is, and whether Paystack accepts it.

    The probe is a verify of a reference that cannot exist: Paystack authenticates the key
    before it looks the reference up, so 401 means a refused key and "not found" an
    accepted one, and nothing is created.
    """

    name = "payments"

    def __init__(
        self, secret_key: str, *, base_url: str = DEFAULT_BASE_URL, production: bool, timeout: float = 5.0
    ) -> None:
        self._secret_key = secret_key.strip()
        self._base_url = base_url.rstrip("/")
        self._production = production
        self._timeout = timeout

    def __repr__(self) -> str:
        return f"PaystackCheck(base_url={self._base_url!r})"

    @property
    def mode(self) -> str:
        if self._secret_key.startswith("sk_live_"):
            return "live"
        if self._secret_key.startswith("sk_test_"):
            return "test"
        return "unknown"

    async def check(self) -> str:
        if self.mode == "unknown":
            raise PaymentGatewayMisconfigured("The key is neither sk_live_… nor sk_test_…: not a secret key.")
        url = f"{self._base_url}/transaction/verify/artmarket-doctor-{os.urandom(6).hex()}"
        headers = {"Authorization": f"Bearer {self._secret_key}", "Accept": "application/json"}
        try:
            async with httpx.AsyncClient(timeout=self._timeout) as client:
                answer = await client.get(url, headers=headers)
        except httpx.HTTPError as error:
            raise PaymentGatewayUnavailable(f"Paystack is out of reach ({type(error).__name__}).") from None
        if answer.status_code == httpx.codes.UNAUTHORIZED:
            raise PaymentGatewayMisconfigured(f"Paystack refused the {self.mode} secret key (401).")
        if answer.status_code not in (httpx.codes.BAD_REQUEST, httpx.codes.NOT_FOUND, httpx.codes.OK):
            raise PaymentGatewayUnavailable(f"Paystack answered {answer.status_code}.")
        found = f"{self.mode} secret key accepted by {self._base_url}"
        if self._production and self.mode == "test":
            raise NeedsAttention(f"{found}, but a test key moves no real money in production")
        return found
