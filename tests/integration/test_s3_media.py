"""Production media storage: artwork images uploaded through the API land in S3 (a real
S3-compatible server), served from the CDN base URL; identity documents stay private."""

from __future__ import annotations

import uuid
from pathlib import Path

import boto3
from tests.support.api import app_settings, running_app
from tests.support.images import has_gps, jpeg_with_gps
from tests.support.moto_server import CREDENTIALS

CDN = "https://cdn.art.example/media"


async def test_images_go_to_the_bucket_public_prefix_and_kyc_documents_to_the_private_one(
    tmp_path: Path, moto_endpoint: str
) -> None:
    bucket = f"media-{uuid.uuid4().hex[:12]}"
    s3 = boto3.client("s3", endpoint_url=moto_endpoint, **CREDENTIALS)
    s3.create_bucket(Bucket=bucket)
    settings = app_settings(
        tmp_path,
        content_store="s3",
        s3_bucket=bucket,
        s3_endpoint_url=moto_endpoint,
        s3_access_key_id="test",
        s3_secret_access_key="test",
        media_base_url=CDN,
    )
    async with running_app(settings) as api:
        admin = await api.admin()
        artist = await api.approved_artist(admin)
        created = await api.client.post(
            "/api/v1/artworks",
            json={
                "title": "Lagos at dusk",
                "medium": "photography",
                "price": {"amount": 900_000, "currency": "NGN"},
            },
            headers=artist,
        )
        artwork_id = created.json()["id"]
        uploaded = await api.client.post(
            f"/api/v1/artworks/{artwork_id}/images",
            files={"file": ("dusk.jpg", jpeg_with_gps(), "image/jpeg")},
            headers=artist,
        )
        assert uploaded.status_code == 201, uploaded.text
        # A draft's renditions are private objects: the CDN cannot fetch them.
        draft_keys = {item["Key"] for item in s3.list_objects_v2(Bucket=bucket)["Contents"]}
        assert not any(key.startswith("public/") for key in draft_keys), draft_keys
        published = await api.client.post(f"/api/v1/artworks/{artwork_id}/publish", headers=artist)
        assert published.status_code == 200, published.text
        artwork = published.json()

    url = artwork["images"][0]["url"]
    assert url.startswith(f"{CDN}/")
    keys = {item["Key"] for item in s3.list_objects_v2(Bucket=bucket)["Contents"]}
    public = {key for key in keys if key.startswith("public/")}
    private = keys - public
    # What the CDN fetches from its origin for that URL: the display rendition, GPS removed.
    served = s3.get_object(Bucket=bucket, Key="public/" + url.removeprefix(f"{CDN}/"))["Body"].read()
    assert served[:2] == b"\xff\xd8"
    assert not has_gps(served)
    # The original and the identity document are kept, but never under the public prefix.
    assert any(key.startswith("private/kyc/") for key in private)
    assert any("original" in key for key in private), private
    assert all("kyc/" not in key and "original" not in key for key in public)
