"""Which scopes are not trusted, from the latest data-quality run in the state store.

``None`` when no checks have run yet: the review then marks every figure "unchecked" rather than
"trusted", so an unchecked number never passes for a checked one.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from checks import history
from checks.trust import untrusted_scopes
from connectors.state import StateStoreError


def untrusted_scopes_or_none(state: sa.Engine) -> pd.DataFrame | None:
    """checks.trust.untrusted_scopes of the latest run; None when there is no run."""
    try:
        if history.latest_run_id(state) is None:
            return None
        return untrusted_scopes(state)
    except StateStoreError:  # check history unreadable: say "unchecked", never "trusted"
        return None
