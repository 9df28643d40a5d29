"""Erlang B, C and A in closed form: blocking, waiting, service level, ASA, abandonment, occupancy.

Times in seconds; ``calls`` are offered per interval of ``interval_s`` seconds; loads in Erlangs.

* Erlang B (M/M/n/n): share of calls blocked when there is no queue.
* Erlang C (M/M/n): nobody hangs up; unstable (infinite queue) when load >= agents.
* Erlang A (M/M/n+M, Palm): callers hang up after an exponential patience with mean ``patience_s``.
  Formulas after Mandelbaum & Zeltyn ("The M/M/n+G queue", Zeltyn's thesis): with arrival rate
  lambda, service rate mu, abandonment rate theta, the offered wait V (time until an agent would take
  the call) has an atom P(V=0) and on V>0 the density proportional to
  exp(lambda/theta*(1-exp(-theta*x)) - n*mu*x); its integrals are incomplete gamma functions, computed
  here in log space so 1..5000 agents and any load stay finite. P(wait), P(answered within T),
  P(abandoned within T) and P(abandon) are closed forms; the mean wait of answered callers (ASA) is a
  first moment with no tidy closed form, so it is a quadrature over that (log-concave) density. The tests
  check all of them against a brute-force Markov chain.

Example::

    >>> m = erlang_c(calls=100, interval_s=1800, aht_s=180, agents=14, answer_within_s=20)
    >>> round(m.service_level, 5), round(m.asa_s, 3)
    (0.88835, 7.836)
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
from scipy import integrate, optimize, special

from ccsim.analytics.service_level import SLDefinition, parse_sl_definition, service_level_from_counts
from ccsim.errors import check_number

MAX_AGENTS = 5000

__all__ = [
    "MAX_AGENTS",
    "QueueMetrics",
    "erlang_a",
    "erlang_b",
    "erlang_b_load_for_blocking",
    "erlang_c",
]


# ----------------------------------------------------------------------------------------------
# validation


def _check_agents(agents: object, field: str = "agents") -> int:
    return int(check_number(field, agents, low=1, high=MAX_AGENTS, integer=True))


def _check_common(calls, interval_s, aht_s, agents, answer_within_s, sl_definition):
    calls = check_number("calls", calls, low=0)
    interval_s = check_number("interval_s", interval_s, low=0, low_open=True)
    aht_s = check_number("aht_s", aht_s, low=0, low_open=True)
    agents = _check_agents(agents)
    answer_within_s = check_number("answer_within_s", answer_within_s, low=0)
    sl = parse_sl_definition(sl_definition)
    return calls, interval_s, aht_s, agents, answer_within_s, sl


# ----------------------------------------------------------------------------------------------
# Erlang B


def _log_erlang_b(n: int, load: float) -> float:
    """log of the Erlang B blocking probability for ``n`` >= 0 servers and ``load`` Erlangs."""
    if n == 0:
        return 0.0
    if load <= 0:
        return -math.inf
    # B = Poisson pmf(n) / Poisson cdf(n); the cdf is the regularised upper incomplete gamma Q(n+1, A).
    q = special.gammaincc(n + 1, load)
    if q > 1e-280:
        return n * math.log(load) - special.gammaln(n + 1) - load - math.log(q)
    # load >> n: B is close to 1 and the classic recursion is exact enough and cannot underflow.
    b = 1.0
    for k in range(1, n + 1):
        b = load * b / (k + load * b)
    return math.log(b)


def erlang_b(agents: int, load_erlangs: float) -> float:
    """Erlang B: probability (0–1) that a call finds all ``agents`` lines busy at ``load_erlangs`` Erlangs offered."""
    n = _check_agents(agents)
    load = check_number("load_erlangs", load_erlangs, low=0)
    return math.exp(_log_erlang_b(n, load))


def erlang_b_load_for_blocking(agents: int, blocking: float) -> float:
    """Offered load (Erlangs) that ``agents`` lines can take at the given blocking probability (inverse Erlang B).

    Example: 15 lines at 1% blocking carry about 8.108 Erlangs.
    """
    n = _check_agents(agents)
    b = check_number("blocking", blocking, low=0, high=1, low_open=True, high_open=True)
    target = math.log(b)
    lo, hi = 1e-300, float(n)
    while _log_erlang_b(n, hi) < target:
        lo, hi = hi, 2.0 * hi
    # a relative tolerance only: tiny blocking targets have tiny loads (1 line at 1e-12 blocking carries 1e-12 Erlangs)
    return float(optimize.brentq(lambda a: _log_erlang_b(n, a) - target, lo, hi, xtol=1e-300, rtol=1e-14))


# ----------------------------------------------------------------------------------------------
# results


@dataclass(frozen=True)
class QueueMetrics:
    """Steady-state answers of a queueing formula for one interval. Times in seconds, probabilities 0–1.

    ``asa_s`` is the mean wait of answered callers (for Erlang C everyone is answered, so it equals
    ``mean_wait_all_s``); ``mean_wait_all_s`` also counts the time abandoners waited before hanging up.
    ``occupancy`` is carried load per agent: (1 - abandonment_rate) * load / agents, capped at 1.
    An unstable Erlang C queue (load >= agents) reports p_wait 1, service level 0 and infinite waits.
    """

    model: str
    agents: int
    calls: float
    interval_s: float
    aht_s: float
    patience_s: float | None
    answer_within_s: float
    sl_definition: SLDefinition
    load_erlangs: float
    p_wait: float
    service_level: float
    asa_s: float
    mean_wait_all_s: float
    abandonment_rate: float
    p_answered_within: float
    p_abandoned_within: float
    occupancy: float

    @property
    def stable(self) -> bool:
        """False only for an Erlang C queue whose load reaches its agents (the queue grows without end)."""
        return math.isfinite(self.asa_s)

    def to_dict(self) -> dict:
        """Plain dict (sl_definition as its string value) for JSON or a DataFrame row."""
        d = asdict(self)
        d["sl_definition"] = self.sl_definition.value
        return d


def _metrics(
    model,
    agents,
    calls,
    interval_s,
    aht_s,
    patience_s,
    answer_within_s,
    sl,
    load,
    *,
    p_wait,
    asa_s,
    mean_wait_all_s,
    abandonment_rate,
    p_answered,
    p_answered_within,
    p_abandoned_within,
) -> QueueMetrics:
    def clip(p: float) -> float:
        """p within 0..1; NaN (a 0/0 service level when nobody is answered) becomes 0."""
        return min(1.0, max(0.0, float(p)))

    p_answered = clip(p_answered)
    p_answered_within = min(clip(p_answered_within), p_answered)
    p_abandoned_within = clip(p_abandoned_within)
    service_level = service_level_from_counts(
        offered=1.0,
        answered=p_answered,
        answered_within=p_answered_within,
        abandoned_within=p_abandoned_within,
        definition=sl,
    )
    occupancy = min(1.0, (1.0 - clip(abandonment_rate)) * load / agents)
    return QueueMetrics(
        model=model,
        agents=agents,
        calls=calls,
        interval_s=interval_s,
        aht_s=aht_s,
        patience_s=patience_s,
        answer_within_s=answer_within_s,
        sl_definition=sl,
        load_erlangs=load,
        p_wait=clip(p_wait),
        service_level=clip(service_level),
        asa_s=float(asa_s),
        mean_wait_all_s=float(mean_wait_all_s),
        abandonment_rate=clip(abandonment_rate),
        p_answered_within=p_answered_within,
        p_abandoned_within=p_abandoned_within,
        occupancy=occupancy,
    )


# ----------------------------------------------------------------------------------------------
# Erlang C


def erlang_c(
    calls: float,
    interval_s: float,
    aht_s: float,
    agents: int,
    answer_within_s: float = 20,
    sl_definition: str | SLDefinition = "offered",
) -> QueueMetrics:
    """Erlang C (M/M/n, nobody abandons) for ``calls`` per ``interval_s`` seconds, AHT ``aht_s`` seconds.

    Service level is P(wait <= answer_within_s); every definition gives the same number because nobody
    hangs up. When load >= agents the queue is unstable: p_wait 1, service level 0, asa_s inf.
    """
    calls, interval_s, aht_s, n, t, sl = _check_common(calls, interval_s, aht_s, agents, answer_within_s, sl_definition)
    lam, mu = calls / interval_s, 1.0 / aht_s
    load = calls * aht_s / interval_s
    args = ("erlang_c", n, calls, interval_s, aht_s, None, t, sl, load)
    if load >= n * (1.0 - 1e-12):  # at or past capacity (allowing for rounding in the load)
        return _metrics(
            *args,
            p_wait=1.0,
            asa_s=math.inf,
            mean_wait_all_s=math.inf,
            abandonment_rate=0.0,
            p_answered=1.0,
            p_answered_within=0.0,
            p_abandoned_within=0.0,
        )
    b = math.exp(_log_erlang_b(n, load))
    rho = load / n
    c = b / (1.0 - rho * (1.0 - b))
    gap = n * mu - lam  # rate at which the queue drains, 1/s
    wait = c / gap
    return _metrics(
        *args,
        p_wait=c,
        asa_s=wait,
        mean_wait_all_s=wait,
        abandonment_rate=0.0,
        p_answered=1.0,
        p_answered_within=1.0 - c * math.exp(-gap * t),
        p_abandoned_within=0.0,
    )


# ----------------------------------------------------------------------------------------------
# Erlang A


def _log_series_s(s: float, x: float) -> float:
    """log of sum_k x^k / (s (s+1) ... (s+k)) = gamma(s, x) e^x x^-s, for 0 <= x (fast when x is below s)."""
    if x <= 0.0:
        return -math.log(s)
    log_x = math.log(x)
    parts = [np.array([0.0])]  # log-terms, first term 1 (k = 0)
    last, top, start, chunk = 0.0, 0.0, 1, 512
    while True:
        i = np.arange(start, start + chunk, dtype=float)
        terms = last + np.cumsum(log_x - np.log(s + i))
        parts.append(terms)
        last, top, start = float(terms[-1]), max(top, float(terms.max())), start + chunk
        if last < top - 45.0 and x < s + start:  # terms now fall geometrically and are negligible
            break
        chunk = min(4 * chunk, 1 << 20)
    return -math.log(s) + float(special.logsumexp(np.concatenate(parts)))


def _log_stirling_rest(s: float) -> float:
    """gammaln(s) - s log s + s, without cancellation for large s."""
    if s < 10.0:
        return float(special.gammaln(s)) - s * math.log(s) + s
    inv = 1.0 / s
    return -0.5 * math.log(s) + 0.5 * math.log(2 * math.pi) + inv / 12 - inv**3 / 360 + inv**5 / 1260


def _x_minus_log1p(d: float) -> float:
    """d - log(1 + d) for d > -1, accurate also for small d."""
    if abs(d) < 1e-3:
        return d * d * (0.5 - d * (1 / 3 - d * (0.25 - d / 5)))
    return d - math.log1p(d)


class _PalmQueue:
    """M/M/n+M pieces in log space. Rates per second: lam (arrivals), mu (service), theta (1/patience)."""

    def __init__(self, n: int, lam: float, mu: float, theta: float):
        self.n, self.lam, self.mu, self.theta = n, lam, mu, theta
        self.a = lam / theta
        self.s = n * mu / theta
        # log K, K = lam * ErlangB(n-1, load): scale of the wait density f_V(x) = K/D * g(x)
        self.log_k = math.log(lam) + _log_erlang_b(n - 1, lam / mu)
        self.log_i0 = self.log_i(self.s, 0.0)
        self.log_d = float(np.logaddexp(0.0, self.log_k + self.log_i0))

    def log_i(self, sigma: float, t: float) -> float:
        """log of integral_t^inf g(x) exp(-(sigma*theta - n*mu) x) dx, g(x) = exp(lam*H(x) - n*mu*x).

        Equals (1/theta) e^a a^-sigma gamma(sigma, a e^(-theta t)) with a = lam/theta; written so that the
        huge terms (a and sigma grow like the patience) never cancel.
        """
        a, theta = self.a, self.theta
        x_t = a * math.exp(-theta * t)
        p = special.gammainc(sigma, x_t) if x_t > 0 else 0.0
        if p > 1e-250:
            # a - sigma log a + gammaln(sigma) = sigma*(d - log1p d) + (gammaln(sigma) - sigma log sigma + sigma)
            d = (a - sigma) / sigma
            head = sigma * _x_minus_log1p(d) if d > -0.5 else a - sigma - sigma * (math.log(a) - math.log(sigma))
            return -math.log(theta) + head + _log_stirling_rest(sigma) + math.log(p)
        # x_t well below sigma: e^a a^-sigma gamma(sigma, x_t) = e^(a - x_t) e^(-sigma theta t) * series
        return -math.log(theta) - a * math.expm1(-theta * t) - sigma * theta * t + _log_series_s(sigma, x_t)

    def prob(self, log_value: float) -> float:
        """K/D * exp(log_value): turn a log-integral of g into a probability."""
        return math.exp(self.log_k + log_value - self.log_d)

    def mean_over_wait(self, beta: float, f) -> float:
        """Mean of f(x) under the wait density proportional to exp(lam*H(x) - beta*x) on x > 0.

        beta = n*mu gives the offered wait V of callers who wait; beta = n*mu + theta weights it by
        exp(-theta x), the chance of still being there, i.e. the wait of those who are answered. The log
        of the density is concave, so a bounded quadrature around its mode is accurate.
        """
        lam, theta, a = self.lam, self.theta, self.a
        mode = math.log(lam / beta) / theta if lam > beta else 0.0
        c = a * math.exp(-theta * mode)

        def phi(d: float) -> float:
            """log density at mode + d minus its log at the mode (written to avoid cancellation)."""
            return -c * math.expm1(-theta * d) - beta * d

        curv = math.sqrt(theta * c * theta)
        slope = beta - theta * c
        scale = 1.0 / max(curv, slope, 1e-300)
        depth = 60.0  # integrate where the density is above e^-60 of its peak

        step = scale
        while phi(step) > -depth:
            step *= 2.0
        hi = optimize.brentq(lambda d: phi(d) + depth, 0.0, step)
        lo = 0.0
        if mode > 0:
            if phi(-mode) < -depth:
                step = min(scale, mode)
                while phi(-step) > -depth:
                    step = min(2.0 * step, mode)
                lo = optimize.brentq(lambda d: phi(d) + depth, -step, 0.0)
            else:
                lo = -mode
        kw = dict(limit=200, points=[0.0] if lo < 0.0 < hi else None)
        mass = integrate.quad(lambda d: math.exp(phi(d)), lo, hi, epsabs=0.0, epsrel=1e-10, **kw)[0]
        f_mode = f(mode)
        first = integrate.quad(
            lambda d: (f(mode + d) - f_mode) * math.exp(phi(d)),
            lo,
            hi,
            epsrel=1e-10,
            epsabs=1e-12 * mass * abs(f(mode + hi) - f(mode + lo)),
            **kw,
        )[0]
        return f_mode + first / mass


def erlang_a(
    calls: float,
    interval_s: float,
    aht_s: float,
    agents: int,
    patience_s: float,
    answer_within_s: float = 20,
    sl_definition: str | SLDefinition = "offered",
) -> QueueMetrics:
    """Erlang A (M/M/n+M): like Erlang C, but callers hang up after an exponential patience, mean ``patience_s`` s.

    Always stable. ``service_level`` follows ``sl_definition`` (see :mod:`ccsim.analytics.service_level`);
    ``asa_s`` is the mean wait of answered callers, ``mean_wait_all_s`` includes abandoners.
    """
    calls, interval_s, aht_s, n, t, sl = _check_common(calls, interval_s, aht_s, agents, answer_within_s, sl_definition)
    patience_s = check_number("patience_s", patience_s, low=0, low_open=True)
    lam, mu, theta = calls / interval_s, 1.0 / aht_s, 1.0 / patience_s
    load = calls * aht_s / interval_s
    args = ("erlang_a", n, calls, interval_s, aht_s, patience_s, t, sl, load)
    if lam == 0.0:
        return _metrics(
            *args,
            p_wait=0.0,
            asa_s=0.0,
            mean_wait_all_s=0.0,
            abandonment_rate=0.0,
            p_answered=1.0,
            p_answered_within=1.0,
            p_abandoned_within=0.0,
        )
    q = _PalmQueue(n, lam, mu, theta)
    s = q.s
    p_wait = q.prob(q.log_i0)
    p_no_wait = math.exp(-q.log_d)
    log_j1 = q.log_i(s + 1.0, 0.0)  # waited and answered
    p_waited_answered = q.prob(log_j1)
    ratio = -math.expm1(log_j1 - q.log_i0)  # share of waiting callers who hang up
    if ratio < 1e-3:
        # very patient callers: the closed-form difference cancels; integrate min(V, patience) instead
        ratio = theta * q.mean_over_wait(n * mu, lambda x: -math.expm1(-theta * x) / theta)
    abandonment_rate = p_wait * ratio
    p_answered = p_no_wait + p_waited_answered
    if t > 0:
        log_it, log_j1t = q.log_i(s, t), q.log_i(s + 1.0, t)
        # answered after waiting, but within t: integral_0^t g(x) e^{-theta x} dx
        answered_late = q.prob(log_j1t)
        p_answered_within = p_no_wait + p_waited_answered - answered_late
        # abandoned after t: integral_t^inf g(x) (e^{-theta t} - e^{-theta x}) dx (log_i is always finite)
        late = q.prob(log_it - theta * t) * -math.expm1(log_j1t - log_it + theta * t)
        p_abandoned_within = abandonment_rate - late
    else:
        p_answered_within, p_abandoned_within = p_no_wait, 0.0
    # Little's law on the queue: abandonment rate theta * E[queue] = lam * abandonment_rate.
    mean_wait_all = abandonment_rate / theta
    if p_waited_answered > 0:
        asa = p_waited_answered * q.mean_over_wait(n * mu + theta, lambda x: x) / p_answered
    else:
        asa = 0.0
    return _metrics(
        *args,
        p_wait=p_wait,
        asa_s=asa,
        mean_wait_all_s=mean_wait_all,
        abandonment_rate=abandonment_rate,
        p_answered=p_answered,
        p_answered_within=p_answered_within,
        p_abandoned_within=p_abandoned_within,
    )
