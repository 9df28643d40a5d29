"""Two occupancies that share a name: the industry's busy occupancy and the health plan's in-seat one.

* **Busy occupancy** (the industry's usual one, and :data:`ccsim.metrics.registry.KPIS` ``occupancy``):
  time agents spend on calls and after-call work, over the time they are logged in and taking calls.
  Near 100% it means no breathing room between calls.
* **In-seat occupancy** (the plan's dashboard, facts.md "Careful with occupancy"): time a rep spends
  waiting for a call, on a call or in after-call work, over their *scheduled* time. Its 85% target is
  something to reach: it rewards being on the phones, not being busy.

Neither is a guarantee. Both are fractions 0–1::

    >>> busy_occupancy(busy_s=3.0 * 3600, logged_in_s=4.0 * 3600)
    0.75
    >>> in_seat_occupancy(shift_min=480, off_phone_min=60)
    0.875
    >>> round(busy_over_scheduled(0.75, 0.875), 4)
    0.6562
"""

from __future__ import annotations

from ccsim.errors import check_number

__all__ = ["busy_occupancy", "busy_over_scheduled", "in_seat_occupancy"]


def busy_occupancy(busy_s: float, logged_in_s: float) -> float:
    """Talk plus after-call work over logged-in time (the industry's occupancy), 0–1."""
    busy_s = check_number("busy_s", busy_s, low=0)
    logged_in_s = check_number("logged_in_s", logged_in_s, low=0, low_open=True)
    return min(1.0, busy_s / logged_in_s)


def in_seat_occupancy(shift_min: float, off_phone_min: float) -> float:
    """Waiting, on a call or wrapping up, over the scheduled shift (the plan's occupancy), 0–1.

    ``off_phone_min``: minutes of the shift away from the phones (breaks, meetings, coaching, training).
    """
    shift_min = check_number("shift_min", shift_min, low=0, low_open=True)
    off_phone_min = check_number("off_phone_min", off_phone_min, low=0, high=shift_min)
    return (shift_min - off_phone_min) / shift_min


def busy_over_scheduled(busy: float, in_seat: float) -> float:
    """The share of the whole scheduled shift spent on calls: busy occupancy × in-seat occupancy."""
    busy = check_number("busy", busy, low=0, high=1)
    in_seat = check_number("in_seat", in_seat, low=0, high=1)
    return busy * in_seat
