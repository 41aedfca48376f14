"""`artmarket seed-demo` on a fresh data directory: a shop to look at on the first `make run`, made once."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.integration.test_cli import artmarket
from tests.support.schema_templates import at_schema_head


def shop(database: Path) -> dict[str, object]:
    """What a visitor and the demo accounts would find, read from the database the command wrote."""
    with sqlite3.connect(database) as db:

        def rows(query: str) -> list[tuple[object, ...]]:
            return db.execute(query).fetchall()

        return {
            "artists with a profile and approved KYC": rows(
                "SELECT u.email FROM users u JOIN artist_profiles p ON p.user_id = u.id "
                "JOIN kyc_cases k ON k.artist_id = u.id AND k.status = 'approved' "
                "WHERE p.bio != '' AND p.website IS NOT NULL ORDER BY u.email"
            ),
            "works by status": rows("SELECT status, count(*) FROM artworks GROUP BY status ORDER BY status"),
            "works without an image": rows(
                "SELECT title FROM artworks a WHERE NOT EXISTS "
                "(SELECT 1 FROM artwork_images i WHERE i.artwork_id = a.id)"
            ),
            "picture shapes": rows(
                "SELECT DISTINCT CASE WHEN width > height THEN 'landscape' WHEN width < height "
                "THEN 'portrait' ELSE 'square' END FROM artwork_images ORDER BY 1"
            ),
            "currencies": rows("SELECT DISTINCT price_currency FROM artworks ORDER BY 1"),
            "deliveries": rows("SELECT DISTINCT delivery_kind FROM artworks ORDER BY 1"),
            "editions": rows(
                "SELECT title, edition_size, edition_artist_proofs, edition_sold, status FROM artworks "
                "WHERE edition_kind = 'limited'"
            ),
            "drops": rows("SELECT title FROM artworks WHERE available_from > datetime('now')"),
            "paid orders": rows(
                "SELECT a.title, a.edition_kind, o.edition_number, u.email FROM orders o "
                "JOIN artworks a ON a.id = o.artwork_id JOIN users u ON u.id = o.buyer_id "
                "WHERE o.status = 'paid' ORDER BY a.title, o.edition_number"
            ),
            "orders": rows("SELECT count(*) FROM orders"),
            "users": rows("SELECT count(*) FROM users"),
        }


def test_seed_demo_lists_a_shop_of_three_artists_once(tmp_path: Path) -> None:
    data_dir = tmp_path / "var"
    data_dir.mkdir()
    database = data_dir / "artmarket.db"
    at_schema_head(f"sqlite+aiosqlite:///{database}")
    env = {
        "ARTMARKET_DATA_DIR": str(data_dir),
        "ARTMARKET_ARGON2_TIME_COST": "1",
        "ARTMARKET_ARGON2_MEMORY_KIB": "1024",
    }

    first = artmarket("seed-demo", env=env)

    assert first.returncode == 0, first.stderr
    seeded = shop(database)
    assert seeded["artists with a profile and approved KYC"] == [
        ("adaeze.okafor@artmarket.local",),
        ("kofi.mensah@artmarket.local",),
        ("wanjiru.mwangi@artmarket.local",),
    ]
    assert seeded["works by status"] == [("published", 29), ("sold", 1)]
    assert seeded["works without an image"] == []
    assert seeded["picture shapes"] == [("landscape",), ("portrait",), ("square",)]
    assert seeded["currencies"] == [("GHS",), ("KES",), ("NGN",), ("USD",), ("ZAR",)]
    assert seeded["deliveries"] == [("digital",), ("physical",)]
    assert seeded["editions"] == [("Harmattan Haze (print)", 25, 2, 3, "published")]
    assert seeded["drops"] == [("Night Market",)]
    # The sold unique work and three numbers of the edition, paid through the sandbox checkout:
    # the served app's worker mints their certificates from the OrderPaid messages.
    assert seeded["paid orders"] == [
        ("Harmattan Haze (print)", "limited", 1, "buyer@artmarket.local"),
        ("Harmattan Haze (print)", "limited", 2, "collector@artmarket.local"),
        ("Harmattan Haze (print)", "limited", 3, "buyer@artmarket.local"),
        ("Lagoon Hours", "unique", None, "buyer@artmarket.local"),
    ]
    # Every new account's password is printed once: admin, artist, buyer, collector, three artists.
    assert first.stdout.count("password:") == 7

    again = artmarket("seed-demo", env=env)

    assert again.returncode == 0, again.stderr
    assert "password:" not in again.stdout
    assert "exists  demo catalogue (30 works)" in again.stdout
    assert shop(database) == seeded
