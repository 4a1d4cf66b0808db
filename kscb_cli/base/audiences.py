"""Who may read what: the classifications a record carries, which are also the audiences.

Named here, below the model, so that the command line can offer ``--audience`` without
importing pydantic (`model.common` types the ``classification`` field with it).
"""

from __future__ import annotations

from typing import Literal, get_args

Classification = Literal["public", "partnership", "restricted"]
# the audiences, lowest first: each sees the records classified at its level or below
AUDIENCES: tuple[Classification, ...] = get_args(Classification)
