"""Handouts drafted from the sample plan and the VOV article, shared by the handout tests."""
from __future__ import annotations

import pytest
from handout_samples import PLAN_FILE, VOV_FILE, hits_of

from hoidap import handout as HO
from hoidap.retrieve import Hit


@pytest.fixture(scope="session")
def plan_hits() -> list[Hit]:
    return hits_of(PLAN_FILE)


@pytest.fixture(scope="session")
def handout(plan_hits) -> HO.Handout:
    return HO.build_handout("hạ tầng số", plan_hits + hits_of(VOV_FILE))
