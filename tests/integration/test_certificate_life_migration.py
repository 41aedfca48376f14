"""Migration 0012: certificates issued before it get a public code each (unique, readable off
paper), stay valid in the platform's custody, and the migration goes down again."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

from artmarket.adapters.persistence import migrate
from artmarket.domain.custody import is_public_code

BEFORE, AFTER = "0011_outbox_versions", "0012_certificate_life"


def _insert_certificates(path: Path, count: int) -> None:
    # Plain sqlite3: foreign keys are off, so the certificates need no orders or users here.
    with sqlite3.connect(path) as connection:
        for serial in range(1, count + 1):
            connection.execute(
                "INSERT INTO certificates (id, order_id, owner_id, artwork_id, artwork_title, artist_id,"
                " artist_name, medium, image_type, network, token_id, serial, transaction_id, metadata_uri,"
                " metadata_document, issued_at) VALUES (?, ?, ?, ?, 'Work', ?, 'Ada', 'painting',"
                " 'image/png', 'simulated', '0.0.1000', ?, '0.0.2@1.000000001', 'ipfs://bafkrei', X'7B7D',"
                " '2026-03-01 09:30:00.000000')",
                (
                    uuid.uuid4().hex,
                    uuid.uuid4().hex,
                    uuid.uuid4().hex,
                    uuid.uuid4().hex,
                    uuid.uuid4().hex,
                    serial,
                ),
            )


#: What the backfill set on each certificate (a fixed list of columns, not input).
_STANDING = "public_code, status, custody, custody_account, shows_owner_name, revoked_at, version"


def _rows(path: Path, query: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as connection:
        return list(connection.execute(query))


def test_certificates_issued_before_get_distinct_codes_and_stay_valid_with_the_platform(
    tmp_path: Path,
) -> None:
    path = tmp_path / "artmarket.db"
    url = f"sqlite+aiosqlite:///{path}"
    migrate.upgrade(url, BEFORE)
    _insert_certificates(path, 3)

    migrate.upgrade(url, AFTER)

    rows = _rows(path, f"SELECT {_STANDING} FROM certificates ORDER BY serial")  # noqa: S608
    codes = [str(row[0]) for row in rows]
    assert len(set(codes)) == 3
    assert all(is_public_code(code) for code in codes)
    assert {row[1:] for row in rows} == {("valid", "platform", None, 0, None, 1)}

    migrate.downgrade(url, BEFORE)
    assert [row[0] for row in _rows(path, "SELECT serial FROM certificates ORDER BY serial")] == [1, 2, 3]
