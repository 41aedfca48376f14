"""Ledger tasks: one certificate transaction (burn, trail message, transfer, airdrop, cancel), exactly once.

The discipline of mint jobs (ADR 0007): the transaction id is chosen and the signed bytes
stored before submission, so after a crash a task is settled by asking the ledger about
that id, never by submitting a new transaction while the old one may still happen.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from artmarket.domain.certificates import TRANSITIONS, MintJobStateConflict, MintJobStatus

#: A ledger task moves through the same statuses, by the same transition table, as a mint job.
TaskStatus = MintJobStatus


class LedgerTaskKind(enum.StrEnum):
    BURN = "burn"
    RECORD = "record"  # a provenance-trail message to the collection's topic
    TRANSFER = "transfer"
    AIRDROP = "airdrop"
    CANCEL_AIRDROP = "cancel_airdrop"


@dataclass(eq=False)
class LedgerTask:
    """One certificate transaction to submit exactly once.

    `account_id` is the receiving account of a transfer, airdrop or its cancellation.
    A succeeded task keeps what the ledger said: the consensus timestamp and, for a trail
    message, the topic's sequence number.
    """

    id: UUID
    certificate_id: UUID
    kind: LedgerTaskKind
    created_at: datetime
    account_id: str | None = None
    status: TaskStatus = TaskStatus.QUEUED
    attempts: int = 0
    last_error: str | None = None
    next_attempt_at: datetime | None = None
    transaction_id: str | None = None
    transaction_valid_until: datetime | None = None
    consensus_timestamp: str | None = None
    sequence_number: int | None = None
    updated_at: datetime | None = None

    def _move(self, target: TaskStatus, now: datetime) -> None:
        if target not in TRANSITIONS[self.status]:
            raise MintJobStateConflict(
                "A {status} ledger task cannot become {target}.",
                status=self.status.value,
                target=target.value,
            )
        self.status = target
        self.updated_at = now

    def submit(self, transaction_id: str, valid_until: datetime, now: datetime) -> None:
        """queued → submitted: the signed transaction is stored before it is sent."""
        self._move(TaskStatus.SUBMITTED, now)
        self.attempts += 1
        self.transaction_id = transaction_id
        self.transaction_valid_until = valid_until
        self.next_attempt_at = None

    def await_outcome(self, error: str, now: datetime, delay: timedelta) -> None:
        """Submitted, outcome unknown: stay submitted and ask the ledger again after `delay`."""
        if self.status is not TaskStatus.SUBMITTED:
            raise MintJobStateConflict("Only a submitted ledger task waits for its outcome.")
        self.last_error = error[:500]
        self.next_attempt_at = now + delay
        self.updated_at = now

    def succeed(self, now: datetime, *, consensus_timestamp: str | None, sequence_number: int | None) -> None:
        """submitted → succeeded, with what the ledger recorded."""
        self._move(TaskStatus.SUCCEEDED, now)
        self.consensus_timestamp = consensus_timestamp
        self.sequence_number = sequence_number
        self.last_error = None
        self.next_attempt_at = None

    def abandon_transaction(self, now: datetime, *, error: str, max_attempts: int) -> None:
        """submitted → queued: the ledger proved the transaction never happened and it expired.

        The attempt (counted at submission) was a retryable failure: the task backs off, or
        fails after `max_attempts` (safe: nothing happened, a retry starts afresh).
        """
        self._move(TaskStatus.QUEUED, now)
        self.transaction_id = None
        self.transaction_valid_until = None
        self._wait_or_fail(error, now, max_attempts)

    def back_off(self, error: str, now: datetime, *, max_attempts: int) -> None:
        """Preparing failed for a passing reason (ledger away): count the try, wait or fail."""
        if self.status is not TaskStatus.QUEUED:
            raise MintJobStateConflict("Only a queued ledger task backs off.")
        self.attempts += 1
        self._wait_or_fail(error, now, max_attempts)

    def _wait_or_fail(self, error: str, now: datetime, max_attempts: int) -> None:
        self.last_error = error[:500]
        if self.attempts >= max_attempts:
            self._move(TaskStatus.FAILED, now)
            return
        self.next_attempt_at = now + timedelta(seconds=min(600, 2**self.attempts))
        self.updated_at = now

    def fail(self, error: str, now: datetime) -> None:
        """A permanent refusal by the ledger: visible to admins until someone retries."""
        self._move(TaskStatus.FAILED, now)
        self.last_error = error[:500]

    @property
    def can_be_retried(self) -> bool:
        """Only a failed task: a submitted one may still settle on the ledger."""
        return self.status is TaskStatus.FAILED

    def retry(self, now: datetime) -> None:
        """failed → queued, by an operator; a failed transaction is settled, so a new one is made."""
        if not self.can_be_retried:
            raise MintJobStateConflict(
                "A {status} ledger task cannot be retried; only a failed one.", status=self.status.value
            )
        self._move(TaskStatus.QUEUED, now)
        self.attempts = 0
        self.next_attempt_at = None
        self.transaction_id = None
        self.transaction_valid_until = None
