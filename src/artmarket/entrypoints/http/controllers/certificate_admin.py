"""The admin's certificate routes: revoking a certificate, and the certificate ledger tasks."""

from __future__ import annotations

from inspect import getdoc
from typing import Any
from uuid import UUID

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, get, post
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_202_ACCEPTED

from artmarket.application.audit import Actor
from artmarket.application.minting.certificates import GetCertificate
from artmarket.application.minting.ledger_task_admin import ListLedgerTasks, RetryLedgerTasks
from artmarket.application.minting.revocation import RevokeCertificateByAdmin
from artmarket.domain.custody import RevocationReason
from artmarket.domain.identity import Role
from artmarket.domain.ledger_tasks import TaskStatus
from artmarket.entrypoints.http.auth import BEARER_SECURITY, requires_role
from artmarket.entrypoints.http.minting_schemas import (
    CertificateOut,
    LedgerTaskList,
    LedgerTaskOut,
    RevocationIn,
)


class AdminCertificateController(Controller):
    path = "/admin"
    tags = ["admin"]
    guards = [requires_role(Role.ADMIN)]
    security = BEARER_SECURITY

    @post(
        "/certificates/{certificate_id:uuid}/revoke",
        status_code=HTTP_200_OK,
        operation_id="adminRevokeCertificate",
        description=getdoc(RevokeCertificateByAdmin),
    )
    @inject
    async def revoke(
        self,
        certificate_id: FromPath[UUID],
        data: JSONBody[RevocationIn],
        actor: FromDishka[Actor],
        revoke: FromDishka[RevokeCertificateByAdmin],
        get_certificate: FromDishka[GetCertificate],
    ) -> CertificateOut:
        await revoke(actor, certificate_id, reason=RevocationReason(data.reason), note=data.note)
        return CertificateOut.of(await get_certificate(certificate_id))

    @get("/ledger-tasks", operation_id="adminListLedgerTasks", description=getdoc(ListLedgerTasks))
    @inject
    async def tasks(
        self, list_tasks: FromDishka[ListLedgerTasks], status: TaskStatus = TaskStatus.FAILED
    ) -> LedgerTaskList:
        return LedgerTaskList([LedgerTaskOut.of(task) for task in await list_tasks(status=status)])

    @post(
        "/ledger-tasks/{task_id:uuid}/retry",
        status_code=HTTP_202_ACCEPTED,
        operation_id="adminRetryLedgerTask",
        description=getdoc(RetryLedgerTasks),
    )
    @inject
    async def retry(
        self, task_id: FromPath[UUID], actor: FromDishka[Actor], retry: FromDishka[RetryLedgerTasks]
    ) -> LedgerTaskOut:
        (task,) = await retry(actor, task_id)
        return LedgerTaskOut.of(task)


__all__: list[Any] = ["AdminCertificateController"]
