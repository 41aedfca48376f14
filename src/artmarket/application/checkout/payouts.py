"""An artist's payout account: the bank account Paystack splits their share to."""

from __future__ import annotations

from artmarket.application.checkout.placing import CheckoutPolicy
from artmarket.application.payments.ports import (
    PaymentGateway,
)
from artmarket.application.payments.records import PayoutAccount
from artmarket.application.ports import Clock
from artmarket.application.principal import Principal
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.errors import InvalidValue


class SavePayoutAccount:
    """An artist registers the bank account their share settles to (a Paystack subaccount).

    Rules: the platform's commission comes from settings; the full account number is sent
    to the provider and only its last four digits are kept.
    """

    def __init__(
        self, uow: UnitOfWork, gateway: PaymentGateway, clock: Clock, policy: CheckoutPolicy
    ) -> None:
        self._uow = uow
        self._gateway = gateway
        self._clock = clock
        self._policy = policy

    async def __call__(self, principal: Principal, *, bank_code: str, account_number: str) -> PayoutAccount:
        if not bank_code.isdigit() or not account_number.isdigit() or not 6 <= len(account_number) <= 20:
            raise InvalidValue("Bank code and account number are digits (account number: 6 to 20).")
        subaccount = await self._gateway.create_subaccount(
            business_name=str(principal.user.display_name),
            bank_code=bank_code,
            account_number=account_number,
            commission_percent=self._policy.commission_percent,
        )
        account = PayoutAccount(
            artist_id=principal.id,
            bank_code=bank_code,
            account_number_last4=account_number[-4:],
            subaccount_code=subaccount.code,
            commission_percent=self._policy.commission_percent,
            updated_at=self._clock.now(),
        )
        async with self._uow as uow:
            await uow.payout_accounts.save(account)
            await uow.commit()
        return account


class GetPayoutAccount:
    """The caller's payout account, if any."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, principal: Principal) -> PayoutAccount | None:
        async with self._uow as uow:
            return await uow.payout_accounts.get(principal.id)
