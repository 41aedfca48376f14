"""What `artmarket doctor` and the readiness probe check: each outside dependency in use."""

from __future__ import annotations

from pathlib import Path

from dishka import AsyncContainer
from sqlalchemy.ext.asyncio import AsyncEngine

from artmarket.adapters.ipfs.kubo import KuboCheck, KuboContentStore
from artmarket.adapters.ipfs.mirrored import MirroredContentStore
from artmarket.adapters.mail.smtp import SmtpCheck, SmtpMailer
from artmarket.adapters.observability.instrumented import unwrapped
from artmarket.adapters.payments.paystack_check import PaystackCheck
from artmarket.adapters.queue.redis_check import RedisCheck
from artmarket.application.media import ContentStore
from artmarket.application.minting.content import ContentAddressedStore
from artmarket.application.minting.ledger import Ledger
from artmarket.application.notifications.ports import Mailer
from artmarket.application.ports import DependencyCheck
from artmarket.entrypoints.cli.doctor import Skipped
from artmarket.settings import Settings


def ipfs_checks(content: ContentAddressedStore) -> list[DependencyCheck]:
    """A check per Kubo node behind the content store (primary, then mirrors); none for local blocks."""
    if isinstance(content, MirroredContentStore):
        primary, *mirrors = content.nodes
    elif isinstance(content, KuboContentStore):
        primary, mirrors = content, []
    else:
        return []
    return [
        KuboCheck(primary),
        *(KuboCheck(node, name=f"ipfs-mirror-{n}") for n, node in enumerate(mirrors, 1)),
    ]


async def doctor_checks(settings: Settings, container: AsyncContainer) -> list[DependencyCheck | Skipped]:
    """What `artmarket doctor` checks for these settings: each adapter the container would use."""
    from artmarket.adapters.ledger.hedera import HederaLedger
    from artmarket.adapters.ledger.hedera_check import HederaCheck
    from artmarket.adapters.persistence.migrate import SchemaCheck
    from artmarket.adapters.storage.s3 import S3Check, S3ContentStore

    checks: list[DependencyCheck | Skipped] = [SchemaCheck(await container.get(AsyncEngine))]
    if settings.redis_url:
        checks.append(RedisCheck(settings.redis_url, require_persistence=settings.is_deployed))
    if settings.payments == "paystack":
        assert settings.paystack_secret_key is not None  # settings refuse paystack without a key
        checks.append(
            PaystackCheck(
                settings.paystack_secret_key,
                base_url=settings.paystack_base_url,
                production=settings.is_live,
            )
        )
    else:
        checks.append(Skipped("payments", "sandbox checkout (development adapter)"))
    ledger = unwrapped(await container.get(Ledger))  # the adapter inside the metrics decorator
    if isinstance(ledger, HederaLedger):
        checks.append(HederaCheck(ledger, settings.hedera_token_id))
    else:
        checks.append(Skipped("ledger", "simulated ledger (development adapter)"))
    if nodes := ipfs_checks(await container.get(ContentAddressedStore)):
        checks += nodes
    else:
        checks.append(
            Skipped("ipfs", f"local blocks under {settings.resolved_ipfs_root} (development adapter)")
        )
    mailer = await container.get(Mailer)
    if isinstance(mailer, SmtpMailer):
        checks.append(SmtpCheck(mailer.server))
    else:
        checks.append(
            Skipped("mail", f".eml files under {Path(settings.data_dir) / 'mail'} (development adapter)")
        )
    media = await container.get(ContentStore)
    if isinstance(media, S3ContentStore):
        checks.append(S3Check(media))
    else:
        checks.append(
            Skipped("media", f"files under {Path(settings.data_dir) / 'media'} (development adapter)")
        )
    return checks
