"""Two `file` parts on an image upload are a 400 (the list Litestar made of them was a 500), and
the artwork gains no image."""

from __future__ import annotations

from pathlib import Path

from tests.support.api import app_settings, running_app
from tests.support.images import png_bytes


async def test_two_file_parts_are_a_bad_request_and_add_no_image(tmp_path: Path) -> None:
    async with running_app(app_settings(tmp_path)) as api:
        artist = await api.register("artist")
        body = {
            "title": "Harmattan Light",
            "medium": "painting",
            "price": {"amount": 2_500_000, "currency": "NGN"},
        }
        created = await api.client.post("/api/v1/artworks", json=body, headers=artist)
        assert created.status_code == 201, created.text
        artwork = f"/api/v1/artworks/{created.json()['id']}"
        image = png_bytes(64, 48)
        answer = await api.client.post(
            f"{artwork}/images",
            files=[("file", ("one.png", image, "image/png")), ("file", ("two.png", image, "image/png"))],
            headers=artist,
        )
        assert answer.status_code == 400, answer.text
        problem = answer.json()
        assert problem["type"].endswith("/validation-failed")
        assert [error["field"] for error in problem["errors"]] == ["file"]
        mine = (await api.client.get("/api/v1/me/artworks", headers=artist)).json()["items"]
        assert [work["images"] for work in mine] == [[]]
