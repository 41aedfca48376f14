"""Know-your-customer checks: an artist submits identity documents, an admin reviews them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from artmarket.application.audit import Actor
from artmarket.application.audited_steps import AuditedSteps
from artmarket.application.media import FILE_EXTENSIONS, ContentStore
from artmarket.application.messages import KycDecided
from artmarket.application.messaging import OutboxMessage
from artmarket.application.ports import Clock, IdGenerator
from artmarket.application.principal import Principal
from artmarket.application.unit_of_work import UnitOfWork
from artmarket.domain.artists import KycCase, KycStatus
from artmarket.domain.audit import AuditAction
from artmarket.domain.errors import InvalidValue, NotFound
from artmarket.domain.identity import User


class UnsupportedDocument(InvalidValue):
    default_message = "The identity document must be a PDF, JPEG, PNG or WebP file."
    field = "id_document"


def _document_type(data: bytes) -> str:
    """The identity document's type, judged by its first bytes (never by name or header)."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    raise UnsupportedDocument()


class SubmitKyc:
    """An artist submits their legal name, country and identity document for review.

    Rules: the document is a PDF or an image (judged by content) and is stored privately;
    a new case is refused while one is pending or approved.
    """

    def __init__(self, uow: UnitOfWork, store: ContentStore, ids: IdGenerator, clock: Clock) -> None:
        self._uow = uow
        self._store = store
        self._ids = ids
        self._clock = clock

    async def __call__(
        self, principal: Principal, *, legal_name: str, country: str, document: bytes
    ) -> KycCase:
        content_type = _document_type(document)
        case_id = self._ids.new_id()
        key = f"kyc/{principal.id}/{case_id}.{FILE_EXTENSIONS[content_type]}"
        async with self._uow as uow:
            case = KycCase.submit(
                id=case_id,
                artist_id=principal.id,
                legal_name=legal_name,
                country=country,
                document_key=key,
                document_content_type=content_type,
                now=self._clock.now(),
                previous=await uow.kyc_cases.latest_for_artist(principal.id),
            )
            await self._store.put(key, document, content_type, public=False)
            uow.kyc_cases.add(case)
            await uow.commit()
        return case


class ListMyKycCases:
    """The caller's KYC cases, newest first."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, principal: Principal) -> Sequence[KycCase]:
        async with self._uow as uow:
            return await uow.kyc_cases.list_for_artist(principal.id)


class ListKycCases:
    """The review queue (admins): oldest first, by status."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def __call__(
        self, *, status: KycStatus | None = KycStatus.PENDING, limit: int = 100
    ) -> Sequence[KycCase]:
        async with self._uow as uow:
            return await uow.kyc_cases.list(status=status, limit=limit)


class DecideKyc:
    """An admin approves or rejects a pending case; rejection needs a reason. Audited.

    The artist is told the decision (and the reason) by email: an outbox message is
    written with the decision.
    """

    def __init__(self, uow: UnitOfWork, ids: IdGenerator, clock: Clock) -> None:
        self._ids = ids
        self._steps = AuditedSteps(uow, ids, clock)

    async def __call__(self, actor: Actor, case_id: UUID, *, approve: bool, reason: str | None) -> KycCase:
        action = AuditAction.KYC_APPROVE if approve else AuditAction.KYC_REJECT
        async with self._steps.begin(actor, action, ("kyc_case", case_id), reason=reason) as step:
            case = await step.uow.kyc_cases.get(case_id)
            if case is None:
                raise NotFound("No such KYC case.")
            if approve:
                case.approve(reviewer_id=actor.user_id, now=step.now, reason=reason)
            else:
                case.reject(reviewer_id=actor.user_id, now=step.now, reason=reason or "")
            step.uow.outbox.add(OutboxMessage.of(KycDecided(case.id), self._ids.new_id(), step.now))
            await step.commit(reason=case.reason)  # the case words the reason ("approved" by default)
        return case


class ReadKycDocument:
    """The identity document of a case, for an admin's eyes only."""

    def __init__(self, uow: UnitOfWork, store: ContentStore) -> None:
        self._uow = uow
        self._store = store

    async def __call__(self, case_id: UUID) -> tuple[bytes, str]:
        async with self._uow as uow:
            case = await uow.kyc_cases.get(case_id)
        if case is None:
            raise NotFound("No such KYC case.")
        return await self._store.get(case.document_key), case.document_content_type


@dataclass(frozen=True, slots=True)
class KycReview:
    """One KYC case as a reviewer sees it: the case, the artist's account and their earlier cases."""

    case: KycCase
    artist: User | None
    history: Sequence[KycCase]


class GetKycCase:
    """One KYC case for review (admins), with the artist's account and every case they submitted."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    async def __call__(self, case_id: UUID) -> KycReview:
        async with self._uow as uow:
            case = await uow.kyc_cases.get(case_id)
            if case is None:
                raise NotFound("No such KYC case.")
            artist = await uow.users.get(case.artist_id)
            history = await uow.kyc_cases.list_for_artist(case.artist_id)
        return KycReview(case, artist, history)
