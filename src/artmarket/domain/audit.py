"""The audit trail: who did what to which object, why, and when (append-only)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID


class AuditAction(enum.StrEnum):
    """Administrative actions that are recorded; new features add their own."""

    ORDER_REFUND = "order.refund"
    ORDER_REFUND_FAILED = "order.refund_failed"
    USER_SUSPEND = "user.suspend"
    USER_REINSTATE = "user.reinstate"
    ARTWORK_UNPUBLISH = "artwork.unpublish"
    KYC_APPROVE = "kyc.approve"
    KYC_REJECT = "kyc.reject"
    MINT_JOB_RETRY = "mint_job.retry"
    LEDGER_TASK_RETRY = "ledger_task.retry"
    CERTIFICATE_REVOKE = "certificate.revoke"
    OUTBOX_RETRY = "outbox.retry"
    SHIPMENT_RESOLVE = "shipment.resolve"
    SHIPMENT_CONFIRM_DELIVERY = "shipment.confirm_delivery"


class AuditChannel(enum.StrEnum):
    """Where the action came from."""

    HTTP = "http"
    CLI = "cli"
    WEB = "web"


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One administrative action. Entries are only ever added, never changed or removed."""

    id: UUID
    at: datetime
    actor_id: UUID
    actor_email: str
    action: str
    target_type: str
    target_id: str
    reason: str | None
    request_id: str | None
    channel: AuditChannel
