"""What `artmarket backup` archives for these settings, and what it leaves to other safeguards."""

from __future__ import annotations

from pathlib import Path

from artmarket.adapters.backup.archive import BackupPlan
from artmarket.settings import Settings


def backup_plan(settings: Settings) -> BackupPlan:
    """What `artmarket backup` archives: the database, and whatever content these settings keep on disk."""
    from artmarket.adapters.persistence import migrate

    data = Path(settings.data_dir)
    content: dict[str, Path] = {}
    elsewhere: list[str] = []
    if settings.content_store == "local":
        content["media"] = data / "media"
    else:
        elsewhere.append(
            f"images and identity documents: S3 bucket {settings.s3_bucket} "
            "(protect it with bucket versioning and replication)"
        )
    if settings.ipfs == "local":
        content["ipfs"] = settings.resolved_ipfs_root
    else:
        nodes = ", ".join([settings.ipfs_api_url or "", *settings.ipfs_mirror_urls])
        elsewhere.append(f"certificate content: pinned on IPFS ({nodes})")
    if settings.ledger == "simulated":
        content["ledger"] = data / "ledger"
    else:
        elsewhere.append("certificates: on Hedera itself (the ledger is the record)")
    if settings.queue == "redis":
        elsewhere.append(
            "queued tasks: in Redis (append-only file; the outbox sends again what was never handed over)"
        )
    heads = migrate.schema_heads()
    return BackupPlan(
        database_url=settings.resolved_database_url,
        content=content,
        not_included=elsewhere,
        pg_bin_dir=Path(settings.pg_bin_dir) if settings.pg_bin_dir else None,
        schema_revision=heads[0] if len(heads) == 1 else None,
    )
