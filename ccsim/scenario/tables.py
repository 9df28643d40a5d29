"""The tables of a scenario (horizon, sites, call types, arrivals, agent groups, ...) and each table's own rules.

Rules that need more than one table (names that must exist elsewhere, shares of all call types,
shifts within the horizon) are in :mod:`ccsim.scenario.checks`.

    >>> Shift(start="08:00", hours=4, headcount=10, breaks=[{"start": "10:00", "length_min": 15}]).on_intervals_min()
    [(0.0, 120.0), (135.0, 240.0)]
    >>> Shift(start="08:00", hours=4, headcount=10, breaks=[{"start": "11:50", "length_min": 15}])
    Traceback (most recent call last):
    ...
    ccsim.errors.ScenarioError: breaks[0].start: '11:50' is not allowed; use a break that lies within the shift (08:00 for 4 h)
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from ccsim.scenario.durations import Delay, TimeDistribution
from ccsim.scenario.fields import (
    WEEKDAYS,
    Count,
    Name,
    Seconds,
    Share,
    TimeOfDay,
    Weekday,
    WeekdayFactors,
    minutes_of,
    shares_add_up_to_1,
    time_before,
)
from ccsim.scenario.messages import Problem, Shown, StrictTable, number_field, number_text, short
from ccsim.simulation.model import TRANSFER_TOLERANCE
from ccsim.simulation.routing import routing_names

__all__ = [
    "MAX_DAYS",
    "AgentGroup",
    "Arrivals",
    "Break",
    "CallType",
    "Callback",
    "Delay",
    "Horizon",
    "Routing",
    "Shift",
    "Site",
    "Targets",
    "TimeDistribution",
    "Transfer",
]


MAX_DAYS = 92
"""Most days in one run (a quarter)."""


class Horizon(StrictTable):
    """The simulated day (when it starts, local time at ``clock_site``; how long; its intervals), repeated for ``days`` days.

    Day ``d`` (0-based) of a run starts ``d`` × 24 h after the first; it is a ``WEEKDAYS[(first_weekday + d) % 7]``.
    """

    start: TimeOfDay = "00:00"
    """Local time of day at ``clock_site`` when calls begin, 'HH:MM'."""
    hours: Annotated[float, number_field(gt=0, le=24)]
    """Length of the day, hours (at most 24)."""
    interval_min: Annotated[float, number_field(ge=1, le=1440)] = 30
    """Forecast and staffing interval, minutes; must divide the day into whole intervals."""
    clock_site: Name | None = None
    """Site whose local time the horizon start and the profile use; default: the first site."""
    days: Annotated[int, Field(strict=True, ge=1, le=MAX_DAYS)] = 1
    """Days simulated one after another; every day repeats the day's profile and staffing (1: one day, as before)."""
    first_weekday: Weekday = "Mon"
    """Day of the week of the first day."""
    closed_weekdays: tuple[Weekday, ...] = ()
    """Days of the week with no calls and no staff, e.g. ['Sat', 'Sun']."""
    closed_days: tuple[Annotated[int, Field(strict=True, ge=1, le=MAX_DAYS)], ...] = ()
    """Day numbers (1 = the first day) with no calls and no staff: holidays."""

    _v_start = field_validator("start", mode="before")(time_before)

    @model_validator(mode="after")
    def _days(self) -> Horizon:
        for k, day in enumerate(self.closed_days):
            if day > self.days:
                raise Problem(f"closed_days[{k}]", day, f"a day number from 1 to {self.days} (the horizon's days)")
        if self.days > 1 and 1440 % self.interval_min:
            raise Problem(
                "interval_min",
                Shown(number_text(self.interval_min)),
                "a length that divides 24 hours into whole intervals when days is more than 1, e.g. 15, 30 or 60",
            )
        return self

    @model_validator(mode="after")
    def _whole_intervals(self) -> Horizon:
        n = self.hours * 60 / self.interval_min
        if n < 1 - 1e-9:
            raise Problem(
                "hours",
                Shown(number_text(self.hours)),
                f"at least one {number_text(self.interval_min)}-minute interval ({number_text(self.interval_min / 60)} h) or a shorter interval_min",
            )
        if abs(n - round(n)) > 1e-9:
            raise Problem(
                "interval_min",
                Shown(number_text(self.interval_min)),
                f"a length that divides the {number_text(self.hours)}-hour day into whole intervals, e.g. 15, 30 or 60",
            )
        return self

    @property
    def intervals(self) -> int:
        """Number of intervals in one day (the day's profile and staffing)."""
        return round(self.hours * 60 / self.interval_min)

    @property
    def total_intervals(self) -> int:
        """Intervals of the whole run: every day but the last is 24 h long, the last ends with the day's hours."""
        return (self.days - 1) * round(1440 / self.interval_min) + self.intervals

    def weekday(self, day: int) -> Weekday:
        """Day of the week of day ``day`` (0-based), e.g. 'Mon'."""
        return WEEKDAYS[(WEEKDAYS.index(self.first_weekday) + day) % 7]

    def is_closed(self, day: int) -> bool:
        """Whether day ``day`` (0-based) has no calls and no staff (a closed weekday or a holiday)."""
        return self.weekday(day) in self.closed_weekdays or day + 1 in self.closed_days


class Site(StrictTable):
    """A site: its time zone and opening hours (local time). Omit both hours for open the whole horizon."""

    name: Name
    utc_offset_h: Annotated[float, number_field(ge=-12, le=14)] = 0.0
    """Hours from UTC, e.g. -8 for Pacific standard time."""
    opens: TimeOfDay | None = None
    """Local opening time 'HH:MM'."""
    closes: TimeOfDay | None = None
    """Local closing time 'HH:MM' (later than ``opens`` on the same day; '24:00' is midnight)."""

    _v_times = field_validator("opens", "closes", mode="before")(time_before)

    @model_validator(mode="after")
    def _hours(self) -> Site:
        if self.opens is None or self.closes is None:
            if self.opens is not None or self.closes is not None:
                missing = "closes" if self.closes is None else "opens"
                raise Problem(
                    missing,
                    None,
                    "",
                    "missing; give both opens and closes, or neither for a site open the whole horizon",
                )
            return self
        if minutes_of(self.closes) <= minutes_of(self.opens):
            raise Problem("closes", self.closes, f"a time later than opens ({self.opens}) on the same day")
        return self


_TARGETS = ("to_call_type", "consult_with", "back_office_days", "back_office")
"""The ways a call moves on after an agent: exactly one per transfer."""
_ONE_TARGET = "use one of to_call_type, consult_with, back_office_days or back_office"


class Transfer(StrictTable):
    """After an agent handles a call, with ``probability`` it moves on one way: a warm transfer, a consult or a back-office hand-off.

    ``to_call_type``: a warm transfer (the caller joins that call type's queue); ``consult_with``: a
    consult (the agent stays on the line and reaches an agent of that call type, held for its handle
    time; the issue is then resolved with ``resolves_share``); ``back_office_days`` or ``back_office``:
    a hand-off to a back office that takes that long (no agent).
    """

    probability: Share
    to_call_type: Name | None = None
    """A warm transfer to this call type's queue."""
    consult_with: Name | None = None
    """A consult: the call type whose agents are consulted (its handle time is the consult's length)."""
    back_office_days: Annotated[float, number_field(ge=0, le=365)] | None = None
    """Back-office processing time, days, the same every time (converted to seconds)."""
    back_office: Delay | None = None
    """Back-office processing time as a distribution (e.g. ``{ kind = 'exponential', mean_days = 26 }``)."""
    resolves_share: Share | None = None
    """With consult_with: chance the consult resolves the member's issue (0–1, default 1)."""
    max_hold_s: Annotated[float, number_field(ge=0, le=3600)] | None = None
    """With consult_with: longest the agent waits for a consult to be answered, seconds (default 300)."""

    @model_validator(mode="after")
    def _one_target(self) -> Transfer:
        given = [k for k in _TARGETS if getattr(self, k) is not None]
        if not given:
            raise Problem(
                "to_call_type",
                None,
                "",
                "missing; give to_call_type (a warm transfer), consult_with (a consult) "
                "or back_office_days or back_office (a back-office hand-off)",
            )
        if len(given) > 1:
            v = short(getattr(self, given[1]))
            raise Problem(given[1], v, "", f"{v!r} is not allowed together with {given[0]}; {_ONE_TARGET}")
        if self.consult_with is None:
            for k in ("resolves_share", "max_hold_s"):
                if getattr(self, k) is not None:
                    raise Problem(k, getattr(self, k), "it only on a consult (with consult_with), or leave it out")
        return self

    @property
    def back_office_s(self) -> float:
        """The fixed back-office time, seconds (0 unless ``back_office_days`` is given)."""
        return float(self.back_office_days or 0.0) * 86400.0


class CallType(StrictTable):
    """A kind of call: its share of volume, handle time, patience, required skill, voice menu and transfers."""

    name: Name
    volume_share: Share
    """Share of all calls (0–1); the shares of all call types add up to 1."""
    handle_time: TimeDistribution
    """Talk plus wrap-up time, seconds."""
    patience: TimeDistribution | None = None
    """How long callers wait before hanging up, seconds; leave out for callers who never hang up."""
    skill: Name | None = None
    """Skill an agent needs, e.g. a language or 'tty'; default: the call type's name."""
    tier: Name = "generalist"
    menu_containment: Share = 0.0
    """Probability (0–1) the voice menu resolves the call with no agent (self-service)."""
    menu_time_s: Seconds = 0.0
    """Seconds in the voice menu before self-service ends or the queue begins."""
    transfers: tuple[Transfer, ...] = ()
    resolution_share: Share | None = None
    """With journeys: chance an answered call resolves the member's issue (at most 1 − the transfers' total);
    the rest left by the transfers is left unresolved (the member calls again). Default: all of the rest resolves."""

    @model_validator(mode="after")
    def _transfer_total(self) -> CallType:
        total = sum(t.probability for t in self.transfers)
        if total > 1 + TRANSFER_TOLERANCE:
            raise Problem(
                "transfers",
                round(total, 9),
                "",
                f"probabilities add up to {total:.10g}, which is not allowed; use probabilities that add up to 1 or less",
            )
        if self.resolution_share is not None and self.resolution_share > 1 - total + TRANSFER_TOLERANCE:
            raise Problem(
                "resolution_share",
                self.resolution_share,
                f"a number from 0 to {number_text(round(max(0.0, 1 - total), 9))} (1 minus the transfers' probabilities)",
            )
        return self

    @property
    def required_skill(self) -> str:
        """The skill an agent needs: ``skill``, or the call type's name."""
        return self.skill or self.name


class Arrivals(StrictTable):
    """How many calls arrive: ``calls_per_day`` spread by an intraday ``profile``, or explicit ``calls_per_interval``."""

    calls_per_day: Annotated[float, number_field(ge=0, le=10_000_000)] | None = None
    """Expected calls over the whole horizon (one simulated day), before the surge multiplier."""
    profile: Name | None = None
    """Intraday shape: 'flat' or a CSV (interval_start,share) in data/profiles/ or beside the scenario; default 'flat'."""
    calls_per_interval: tuple[Annotated[float, number_field(ge=0, le=1_000_000)], ...] | None = None
    """Expected calls in each interval (all call types together), instead of calls_per_day."""
    surge_multiplier: Annotated[float, number_field(gt=0, le=100)] = 1.0
    """Multiplies every interval's volume, e.g. 3 for an open-enrollment surge."""
    site_volume_share: dict[Name, Share] | None = None
    """Share of calls arriving at each site (0–1, adding up to 1); default: an even split. Closed sites' share goes to open ones."""
    weekday_factors: WeekdayFactors = Field(default_factory=dict)
    """Day of the week → factor (0–10) multiplying that day's calls, e.g. { Mon = 1.2, Fri = 0.9 }; days left out: 1."""

    @model_validator(mode="after")
    def _one_source(self) -> Arrivals:
        if self.calls_per_day is not None and self.calls_per_interval is not None:
            shown = short(list(self.calls_per_interval))
            raise Problem(
                "calls_per_interval",
                shown,
                "",
                f"{shown!r} is not allowed together with calls_per_day; use one of them",
            )
        if self.calls_per_day is None and self.calls_per_interval is None:
            raise Problem(
                "calls_per_day", None, "", "missing; give calls_per_day (with a profile) or calls_per_interval"
            )
        if self.profile is not None and self.calls_per_day is None:
            raise Problem("profile", self.profile, "a profile only together with calls_per_day")
        if self.site_volume_share is not None:
            shares_add_up_to_1("site_volume_share", self.site_volume_share.values())
        return self


class Break(StrictTable):
    """A break in a shift: local start time at the group's site and length in minutes."""

    start: TimeOfDay
    length_min: Annotated[float, number_field(gt=0, le=240)]

    _v_start = field_validator("start", mode="before")(time_before)


class Shift(StrictTable):
    """``headcount`` agents who start at ``start`` (local time at the group's site) for ``hours``, with breaks."""

    start: TimeOfDay
    hours: Annotated[float, number_field(gt=0, le=24)]
    headcount: Count
    """Scheduled agents on this shift (before shrinkage)."""
    breaks: tuple[Break, ...] = ()

    _v_start = field_validator("start", mode="before")(time_before)

    def _offset_min(self, b: Break) -> int:
        """Minutes from the shift start to the break's start (a break after midnight belongs to the same shift)."""
        return (minutes_of(b.start) - minutes_of(self.start)) % 1440

    @model_validator(mode="after")
    def _breaks_inside(self) -> Shift:
        for i, b in enumerate(self.breaks):
            if self._offset_min(b) + b.length_min > self.hours * 60 + 1e-9:
                raise Problem(
                    f"breaks[{i}].start",
                    b.start,
                    f"a break that lies within the shift ({self.start} for {number_text(self.hours)} h)",
                )
        return self

    def on_intervals_min(self) -> list[tuple[float, float]]:
        """Working spans (start, end) in minutes after the shift start, breaks removed."""
        cuts = sorted((self._offset_min(b), b.length_min) for b in self.breaks)
        spans: list[tuple[float, float]] = []
        t = 0.0
        for off, length in cuts:
            if off > t:
                spans.append((t, float(off)))
            t = max(t, off + length)
        if t < self.hours * 60:
            spans.append((t, self.hours * 60))
        return spans


class AgentGroup(StrictTable):
    """Agents at one site with the same skills; staffed by ``headcount``, ``headcount_per_interval`` or ``shifts`` (one of them)."""

    name: Name
    site: Name | None = None
    """Site name; may be left out when there is at most one site."""
    skills: dict[Name, Annotated[int, Field(strict=True, ge=1, le=9)]] = Field(min_length=1)
    """Skill → priority (1 is served first); a list of names means priority 1 for each."""
    tier: Name = "generalist"
    shrinkage_share: Annotated[float, number_field(ge=0, le=0.95)] = 0.0
    """Share of scheduled headcount not on the phones (absence, training, meetings): on duty = headcount × (1 − shrinkage), rounded."""
    headcount: Count | None = None
    """Scheduled agents for the whole horizon."""
    headcount_per_interval: tuple[Count, ...] | None = None
    """Scheduled agents in each interval."""
    shifts: tuple[Shift, ...] | None = None
    weekday_factors: WeekdayFactors = Field(default_factory=dict)
    """Day of the week → factor (0–10) multiplying the scheduled headcount (rounded half up, before shrinkage); days left out: 1."""

    @field_validator("skills", mode="before")
    @classmethod
    def _skill_list(cls, v: Any) -> Any:
        if isinstance(v, (list, tuple)):
            if not all(isinstance(s, str) for s in v):
                raise Problem("", short(v), "a list of skill names or a table of skill = priority")
            return dict.fromkeys(v, 1)
        return v

    @model_validator(mode="after")
    def _one_staffing(self) -> AgentGroup:
        given = [k for k in ("headcount", "headcount_per_interval", "shifts") if getattr(self, k) is not None]
        if not given:
            raise Problem("headcount", None, "", "missing; give one of headcount, headcount_per_interval or shifts")
        if len(given) > 1:
            v = short(getattr(self, given[1]))
            raise Problem(
                given[1],
                v,
                "",
                f"{v!r} is not allowed together with {given[0]}; use one of headcount, headcount_per_interval or shifts",
            )
        return self


class Routing(StrictTable):
    """How calls find agents: ``mode`` names a routing policy registered with the engine.

    Built in: ``pooled`` (any skilled agent anywhere) and ``site_first`` (own site, then any after
    ``overflow_after_s``); :func:`ccsim.simulation.routing.routing_names` lists every registered one.
    Skills-based routing always applies: an agent takes the waiting call of its best-priority skill.
    """

    mode: str = "pooled"
    """A registered routing policy name, e.g. 'pooled' or 'site_first'."""
    overflow_after_s: Seconds = 0.0
    """With site_first: seconds a caller waits for their own site before any site may answer."""

    @field_validator("mode", mode="before")
    @classmethod
    def _registered(cls, v: Any) -> Any:
        names = routing_names()
        if not isinstance(v, str) or v not in names:
            raise Problem("", short(v), "one of " + ", ".join(repr(n) for n in names))
        return v


class Callback(StrictTable):
    """Offer a call-back (or a voice message answered later) when the predicted wait exceeds a threshold."""

    offer_when_wait_exceeds_s: Annotated[float, number_field(ge=0, le=86400)]
    acceptance_share: Share = 1.0
    """Share (0–1) of callers offered a call-back who take it."""


class Targets(StrictTable):
    """The targets; defaults from the health plan (shared/reference/facts.md): service level, abandonment, ASA and FCR
    are its guarantees, handle time and occupancy targets without one."""

    service_level_share: Share = 0.80
    """Share of calls answered within ``answer_within_s`` (0–1)."""
    answer_within_s: Seconds = 30.0
    service_level_definition: Literal[
        "offered", "exclude_short_abandons", "answered", "answered_or_abandoned_within"
    ] = "offered"
    abandonment_share_max: Share = 0.03
    """Abandoned calls over offered calls must stay below this."""
    asa_s_max: Seconds = 30.0
    """Average speed of answer must stay below this, seconds."""
    aht_s_max: Seconds = 400.0
    """Average handle time must stay below this, seconds."""
    occupancy_share: Share = 0.85
    """Target occupancy: busy time over on-duty time (0–1)."""
    fcr_share: Share = 0.85
    """First-contact resolution target (0–1), with journeys: issues with no further contact within the look-back."""
