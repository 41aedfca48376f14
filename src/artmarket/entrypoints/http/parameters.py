"""Query parameters several API listings share."""

from __future__ import annotations

from typing import Annotated

from litestar.params import Parameter

#: A listing's page size (the API documents it the same on every listing that takes it).
Limit = Annotated[int, Parameter(ge=1, le=100, description="Page size (1-100)")]
