"""Routing policy ``specialists_first``: a caller goes to the idle agent with the fewest skills, so cross-trained agents stay free for the rare queues.

Pooled routing (:class:`~ccsim.simulation.routing.PooledRouting`) sends an arriving caller to the
agent idle longest among the groups with the skill at its best priority, so a Cantonese-speaking
agent who also takes English calls is often on an English call when a Cantonese caller rings. This
policy offers an arriving caller first to the idle agents whose group has the **fewest skills**
(the specialists of that work), then the skill's priority, then the agent idle longest; a free
agent chooses exactly as in pooled routing (best skill priority, then the caller waiting longest).

It is one file added through the routing interface (``docs/architecture.md``, "Routing policies");
``ccsim.simulation`` imports it, so ``Routing("specialists_first")`` works everywhere.

>>> from ccsim.simulation.routing import routing_policy
>>> routing_policy("specialists_first").__name__
'SpecialistsFirstRouting'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from ccsim.simulation.routing import PooledRouting, RoutingView, register_routing

if TYPE_CHECKING:
    from ccsim.simulation.agents import Group

__all__ = ["NAME", "SpecialistsFirstRouting", "narrowest_first"]

NAME = "specialists_first"


def narrowest_first(groups: list[Group], skill: str) -> list[list[Group]]:
    """The ``groups`` with ``skill``, split by (how many skills the group has, the skill's priority there), fewest skills first; group order kept within a level."""
    ranked: dict[tuple[int, int], list[Group]] = {}
    for group in groups:
        priority = group.priorities.get(skill)
        if priority is not None:
            ranked.setdefault((len(group.priorities), priority), []).append(group)
    return [ranked[key] for key in sorted(ranked)]


@register_routing(NAME)
class SpecialistsFirstRouting(PooledRouting):
    """Any skilled agent at any site, the narrowest-skilled idle agent first; free agents choose as in pooled routing."""

    per_site_queues: ClassVar[bool] = False

    def __init__(self, view: RoutingView):
        super().__init__(view)
        groups = list(view.groups)
        self._servers = [narrowest_first(groups, q.skill) for q in view.queues]
        """Per queue: groups with the skill by (number of skills, priority), fewest skills first."""
