"""Certificates found by custody (pending claims the scheduler checks), for each storage."""

from __future__ import annotations

from tests.contract.test_certificate_life_persistence import issued
from tests.support.persistence import Storage

from artmarket.domain.custody import CustodyKind


async def test_certificates_in_one_custody_are_listed_oldest_first_up_to_the_limit(storage: Storage) -> None:
    first, second, third = await issued(storage, 3)
    async with storage.new_uow() as uow:
        for certificate, account in ((first, "0.0.5005"), (third, "0.0.5006")):
            loaded = await uow.certificates.get(certificate.id)
            assert loaded is not None
            loaded.await_claim(account)
        await uow.commit()

    async with storage.new_uow() as uow:
        pending = await uow.certificates.in_custody(CustodyKind.PENDING_CLAIM, limit=10)
        one = await uow.certificates.in_custody(CustodyKind.PENDING_CLAIM, limit=1)
        platform = await uow.certificates.in_custody(CustodyKind.PLATFORM, limit=10)
        wallet = await uow.certificates.in_custody(CustodyKind.WALLET, limit=10)
    # Issued at the same instant: the id breaks the tie.
    expected = sorted([(first.id, "0.0.5005"), (third.id, "0.0.5006")])
    assert [(c.id, c.custody_account) for c in pending] == expected
    assert [c.id for c in one] == [expected[0][0]]
    assert [c.id for c in platform] == [second.id]
    assert wallet == []
