"""Progression paths between roles: pure functions over the model and a networkx graph.

Semantics (the README says the same in plain words):

* A person's **state** is what they hold: credentials, the roles they hold or
  have held, months of experience per role, and the months of their current
  stint. Holding a role implies holding what its entry requirements demanded.
* To **enter** a role, its ``requires`` tree and the non-continuing-education
  part of its ``maintains`` tree must be satisfied. An all-of needs every
  member, an any-of one member; every way of satisfying the tree is an
  *option*, and the search tries them all.
* A credential leaf is satisfied by holding it, the same credential under
  another name (``same_as``), or a credential that counts as it or includes it;
  otherwise it is **earned**, with its own prerequisites, for its months. A
  length is a range (least, typical) from a source; a length no source gives
  is **unknown**: never added as 0, counted apart and ranked against.
* An experience leaf is satisfied by months already worked in the matching
  role (or in roles that give experience in the setting); a window ("within
  the preceding N months") counts only the current stint. Missing months are
  **accrued** by staying in the current role; months accrued at once in one
  role overlap, so a step costs the largest shortfall.
* A leaf that nothing in the graph can provide (experience in a setting no
  other role gives, or in the target role itself) is not dropped: the step
  lists it as **outside** the graph, and stated months still count.
* A step's months = months of credentials earned + months accrued + months
  of outside experience (typical lengths; the least lengths give the low end
  of the range). Paths are ranked by fewest items of unknown length, then
  fewest outside requirements, then total months, fewest credentials, fewest
  steps (``ORDERS``: ``optimize="months"`` puts months before outside
  requirements, ``optimize="steps"`` steps first).
* Rules have dates: the planner plans with the requirements in force on
  ``as_of`` (today by default; see :mod:`radgraph.rules`).

The search is A* over states, so it is exact with respect to them: what one
step earns is carried forward and never asked for again. Its bound
(:mod:`radgraph.planner.bounds`) is the cost of a relaxed problem and never
overestimates.
"""


from __future__ import annotations

from .core import Planner
from .state import (
    EMPTY,
    MAX_OPTIONS,
    MONTHS_AT,
    ORDERS,
    START,
    Accrual,
    Option,
    Path,
    State,
    Step,
    path_credentials,
    rank_key,
)

__all__ = ["Planner", "State", "Option", "EMPTY", "Accrual", "Step", "Path", "ORDERS", "MONTHS_AT", "START",
           "MAX_OPTIONS", "rank_key", "path_credentials"]
