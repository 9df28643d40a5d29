"""Issue paths and the work they cost: how each contact of a member's issue ended, and agent-hours per issue.

Lab 04 ("one and done") asks where hand-offs come from. :func:`issue_paths` counts, for the 1st, 2nd,
3rd and later contacts of the members' issues, how each contact ended (:data:`PATH_STEPS`), per 100
issues; :func:`agent_hours_per_100_issues` is the agents' time the issues took (every answered leg's
handle time: the rep's call, a specialist's transferred call, a consult), per 100 issues.

Example::

    >>> import pandas as pd
    >>> contacts = pd.DataFrame({"issue_id": [0, 0, 1], "contact_seq": [1, 2, 1],
    ...     "issue_outcome": ["unresolved", "resolved", "resolved"], "transfers": [0, 1, 0]})
    >>> issue_paths(contacts, issues=2).loc[1].to_dict()["resolved"]
    50.0
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ccsim.errors import CcsimInputError, check_number

__all__ = ["PATH_STEPS", "PATH_WORDS", "agent_hours_per_100_issues", "issue_paths", "path_step"]

PATH_STEPS: tuple[str, ...] = (
    "resolved",
    "resolved_after_transfer",
    "consulted",
    "back_office",
    "chased",
    "unresolved",
    "hung_up",
)
"""How one contact of an issue ended, in the order the paths figure stacks them."""

PATH_WORDS: dict[str, str] = {
    "resolved": "resolved by the rep who answered",
    "resolved_after_transfer": "resolved after a warm transfer",
    "consulted": "resolved with a consult, rep on the line",
    "back_office": "handed to the back office",
    "chased": "a call to chase the back office",
    "unresolved": "not resolved: the member will call again",
    "hung_up": "hung up before anyone answered",
}
"""Each step in plain words (legend and captions)."""


def path_step(contacts: pd.DataFrame) -> np.ndarray:
    """The :data:`PATH_STEPS` name of each contact, from its ``issue_outcome`` and ``transfers``."""
    outcome = contacts["issue_outcome"].astype(str).to_numpy()
    transferred = contacts["transfers"].to_numpy() > 0
    step = np.full(len(outcome), "unresolved", dtype=object)
    step[outcome == "resolved"] = "resolved"
    step[(outcome == "resolved") & transferred] = "resolved_after_transfer"
    step[outcome == "consulted"] = "consulted"
    step[outcome == "back_office"] = "back_office"
    step[outcome == "chased"] = "chased"
    step[np.isin(outcome, ("abandoned", "unanswered"))] = "hung_up"
    return step


def issue_paths(contacts: pd.DataFrame, *, issues: int, max_contact: int = 4) -> pd.DataFrame:
    """Contacts per 100 issues by contact number (rows 1 … ``max_contact``, the last one "and later") and
    how they ended (columns :data:`PATH_STEPS`).

    ``contacts``: the contacts log of a run with journeys (``contact_seq``, ``issue_outcome``, ``transfers``);
    ``issues``: how many issues the run opened (``len(result.issues)``). Row 1 adds up to 100 less the
    issues whose first contact was resolved in the voice menu.
    """
    n = int(check_number("issues", issues, low=1, integer=True))
    top = int(check_number("max_contact", max_contact, low=1, high=20, integer=True))
    missing = {"contact_seq", "issue_outcome", "transfers"} - set(contacts.columns)
    if missing:
        raise CcsimInputError("contacts", ", ".join(sorted(missing)), "a contacts log of a run with member journeys")
    number = np.minimum(contacts["contact_seq"].to_numpy(dtype=np.int64), top)
    table = pd.crosstab(pd.Series(number, name="contact"), pd.Series(path_step(contacts), name="step"))
    table = table.reindex(index=range(1, top + 1), columns=list(PATH_STEPS), fill_value=0)
    return table.astype(float) * (100.0 / n)


def agent_hours_per_100_issues(result: Any) -> float:
    """Hours agents spent on answered calls (handle time of every answered leg: reps, specialists, consults)
    per 100 issues, for a run with member journeys."""
    legs = result.legs
    answered = legs["outcome"].astype(str).to_numpy() == "answered"
    hours = float(legs["handle_time_s"].to_numpy(dtype=float)[answered].sum()) / 3600.0
    n = len(result.issues)
    return hours * 100.0 / n if n else float("nan")
