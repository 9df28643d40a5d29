"""When members can call again: calls due while every site is closed move to the next open spell."""

import itertools

from ccsim.simulation.calling_hours import CallingHours
from ccsim.simulation.distributions import Exponential
from ccsim.simulation.members import DAY_S
from ccsim.simulation.model import AgentGroup, ArrivalStream, CallType, CenterModel

HOUR = 3600.0


def hours(east, west):
    """Two sites with hourly calls ``east`` and ``west`` (one interval per hour), and a uniform that cycles."""
    model = CenterModel(
        interval_s=HOUR,
        call_types=(CallType("calls", Exponential(60)),),
        arrivals=(ArrivalStream("calls", tuple(east), "East"), ArrivalStream("calls", tuple(west), "West")),
        agent_groups=(AgentGroup("a", ((0.0, 1),), site="East"),),
    )
    cycle = itertools.cycle([0.1, 0.5, 0.9])
    return CallingHours(model, ["East", "West"], lambda: next(cycle))


def test_a_call_due_while_the_site_takes_calls_stays_where_it_is():
    h = hours([10, 10, 0, 0], [0, 10, 10, 0])
    assert h.place(1800.0, 0) == (1800.0, 0)
    assert h.place(HOUR + 5, 1) == (HOUR + 5, 1)


def test_a_call_due_while_the_members_site_is_closed_goes_to_a_site_open_then():
    h = hours([10, 10, 0, 0], [0, 10, 10, 0])
    assert h.place(2 * HOUR + 60, 0) == (2 * HOUR + 60, 1)  # East closed at 2 h, West open


def test_a_call_due_while_every_site_is_closed_moves_into_the_next_open_spell():
    h = hours([10, 0, 0, 5, 5], [0, 0, 0, 0, 0])
    time_s, site = h.place(HOUR + 10, 0)
    assert 3 * HOUR <= time_s < 5 * HOUR and site == 0


def test_a_call_due_after_the_last_open_interval_or_the_horizon_is_never_made():
    h = hours([10, 10, 0, 0], [0, 0, 0, 0])
    assert h.place(2.5 * HOUR, 0) is None
    assert h.place(4 * HOUR, 0) is None


def test_on_day_draws_a_moment_of_that_day_in_proportion_to_its_calls():
    per_day = int(DAY_S // HOUR)
    day = [0] * 8 + [10] * 10 + [0] * (per_day - 18)
    h = hours(day * 3, [0] * per_day * 3)
    for d in range(3):
        time_s, _ = h.on_day(d, 0)
        assert d * DAY_S + 8 * HOUR <= time_s < d * DAY_S + 18 * HOUR
    assert h.on_day(3, 0) is None
