"""The ORUK page envelope."""

from __future__ import annotations

import math
from typing import Any


def page_envelope(contents: list[Any], total_items: int, page_number: int, per_page: int) -> dict[str, Any]:
    total_pages = math.ceil(total_items / per_page)
    return {
        "total_items": total_items,
        "total_pages": total_pages,
        "page_number": page_number,
        "size": len(contents),
        "first_page": page_number == 1,
        "last_page": page_number >= total_pages,
        "empty": not contents,
        "contents": contents,
    }
