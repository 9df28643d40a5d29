"""The whole contact center in the engine: skills and priorities, sites and call sharing, transfers and
hand-offs, voice-menu self-service, call-backs, shifts; the KPIs that count them."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ccsim.analytics.erlang import erlang_c
from ccsim.metrics.kpis import KPI_NAMES, kpis, summary
from ccsim.simulation.distributions import Exponential, Fixed, Lognormal
from ccsim.simulation.engine import OUTCOMES, SimulationResult, simulate
from ccsim.simulation.model import AgentGroup, ArrivalStream, Callback, CallType, CenterModel, Routing, Site, Transfer

EPS = 1e-6


def run(model: CenterModel, seed: int = 0, **kw) -> SimulationResult:
    return simulate(model, seed, **kw)


def mean_ci(values) -> tuple[float, float]:
    """Mean and half-width of a 95% confidence interval (normal approximation, enough for ≥ 10 runs)."""
    v = np.asarray(values, dtype=float)
    return float(v.mean()), float(1.96 * v.std(ddof=1) / math.sqrt(v.size))


# ---------------------------------------------------------------------------------------------
# conservation: what must hold for every run of every model


def check_conservation(result: SimulationResult) -> None:
    model, c, legs = result.model, result.contacts, result.legs
    n = len(c)
    # every contact exactly one outcome; counts add up overall, per call type and per site
    assert not c["outcome"].isna().any() and not c["final_outcome"].isna().any()
    assert list(c["outcome"].cat.categories) == list(OUTCOMES)
    counts = c["outcome"].value_counts()
    assert int(counts.sum()) == n
    for by in ("call_type", "site"):
        per = c.groupby(by, observed=False)["outcome"].value_counts().unstack(fill_value=0)
        assert int(per.to_numpy().sum()) == n
        assert (per.sum(axis=0).reindex(counts.index, fill_value=0) == counts).all()
    s = summary(result)
    assert s["calls"] + s["self_service"] == n
    assert s["calls"] == s["answered"] + s["abandoned"] + s["unanswered"]
    # legs: each queued contact has 1 + transfers legs, numbered 0, 1, ...; no caller lost or duplicated
    self_served = (c["outcome"] == "self_service").to_numpy()
    assert set(legs["contact_id"]) == set(c.loc[~self_served, "contact_id"])
    assert legs["leg_id"].is_unique
    per_contact = legs.groupby("contact_id").size()
    assert np.array_equal(per_contact.to_numpy(), c.loc[~self_served, "transfers"].to_numpy() + 1)
    assert (c.loc[self_served, "transfers"] == 0).all() and not c.loc[self_served, "handoff"].any()
    assert (legs.groupby("contact_id")["leg"].agg(lambda x: list(x) == list(range(len(x))))).all()
    assert not legs["outcome"].isin(["self_service"]).any()
    # a transferred leg is answered, and the next leg joins its queue when the call ends
    ordered = legs.sort_values(["contact_id", "leg"])
    nxt = ordered.groupby("contact_id").shift(-1)
    moved = ordered["transferred"].to_numpy()
    assert (ordered.loc[moved, "outcome"].isin(["answered", "callback"])).all()
    assert np.allclose(nxt.loc[moved, "queue_entry_s"].to_numpy(float), ordered.loc[moved, "end_s"].to_numpy(float))
    assert nxt.loc[~moved, "queue_entry_s"].isna().all()  # only transfers start a new leg
    # hand-offs end the contact, on an answered leg, with the back office's time added
    assert not (ordered["handoff"] & ordered["transferred"]).any()
    assert ordered.loc[ordered["handoff"], "outcome"].isin(["answered", "callback"]).all()
    done = c.loc[c["handoff"], "back_office_done_s"] - c.loc[c["handoff"], "final_end_s"]
    assert (done >= -EPS).all() and c.loc[~c["handoff"], "back_office_done_s"].isna().all()
    # the contact's summary columns agree with its legs
    last = ordered.groupby("contact_id").tail(1).set_index("contact_id")
    queued = c.loc[~self_served].set_index("contact_id")
    assert (last["call_type"].astype(str) == queued["final_call_type"].astype(str)).all()
    assert (last["outcome"].astype(str) == queued["final_outcome"].astype(str)).all()
    assert (last["queue"].astype(str) == queued["queue"].astype(str)).all()
    first = ordered[ordered["leg"] == 0].set_index("contact_id")
    assert (first["outcome"].astype(str) == queued["outcome"].astype(str)).all()
    assert np.allclose(first["wait_s"], queued["wait_s"])
    # waits never negative; answered legs have an agent, a handle time, an end = answer + handle
    assert (legs["wait_s"] >= 0).all() and (c["wait_s"] >= 0).all()
    answered = legs["outcome"].isin(["answered", "callback"]).to_numpy()
    assert np.array_equal(answered, (legs["agent"] >= 0).to_numpy())
    a = legs[answered]
    assert np.allclose(a["end_s"], a["answer_s"] + a["handle_time_s"])
    assert np.allclose(a["wait_s"], a["answer_s"] - a["queue_entry_s"])
    # call-backs only for callers offered one, and an accepted call-back is never an abandon
    assert legs.loc[legs["outcome"] == "callback", "callback_offered"].all()
    if model.callback is None:
        assert not legs["callback_offered"].any()
    # no agent handles two calls at once
    for _, calls in a.sort_values("answer_s").groupby("agent"):
        assert (calls["answer_s"].to_numpy()[1:] >= calls["end_s"].to_numpy()[:-1] - EPS).all()
    # agents only answer skills they have, and each call starts while its agent is on duty
    skills_of = {g.name: ({s for s, _ in g.skills} if g.skills else None) for g in model.agent_groups}
    for group, queue in zip(a["agent_group"].astype(str), a["queue"].astype(str), strict=True):
        assert skills_of[group] is None or queue in skills_of[group]
    duty = result.on_duty
    for agent, start in zip(a["agent"].to_numpy(), a["answer_s"].to_numpy(), strict=True):
        spans = duty[duty["agent"] == agent]
        assert ((spans["start_s"] <= start + EPS) & (spans["end_s"] >= start - EPS)).any()
    # served_site is the answering agent's site; overflowed = answered at another site
    site_of_group = {g.name: g.site for g in model.agent_groups}
    assert (a["served_site"].astype(str) == a["agent_group"].astype(str).map(site_of_group)).all()
    assert np.array_equal(
        legs["overflowed"].to_numpy(),
        (answered & (legs["served_site"].astype(str) != legs["site"].astype(str))).to_numpy(),
    )
    # site first: another site answers only after the overflow time
    if model.routing.mode == "site_first":
        assert (a.loc[a["overflowed"], "wait_s"] >= model.routing.overflow_after_s - EPS).all()


# ---------------------------------------------------------------------------------------------
# builders


def english_cantonese(cantonese_in_generalists: bool, *, hours: int = 8, seed_shift: int = 0) -> CenterModel:
    """English load 16 Erlangs on 20 generalists; Cantonese 1.6 Erlangs on a pool of 2 (AHT 480 s, patience 300 s)."""
    generalist_skills = (("english", 1), ("cantonese", 2)) if cantonese_in_generalists else (("english", 1),)
    return CenterModel(
        interval_s=3600.0,
        call_types=(
            CallType("english", Exponential(360), Exponential(300)),
            CallType("cantonese", Exponential(480), Exponential(300)),
        ),
        arrivals=(ArrivalStream("english", (160.0,) * hours), ArrivalStream("cantonese", (12.0,) * hours)),
        agent_groups=(
            AgentGroup("cantonese_pool", staffing=((0.0, 2),), skills=(("cantonese", 1),)),
            AgentGroup("generalists", staffing=((0.0, 20),), skills=generalist_skills),
        ),
        answer_within_s=30.0,
    )


def three_sites(mode: str, overflow_after_s: float, *, hours: int = 8, aht_s: float = 400.0) -> CenterModel:
    """Three sites of 10 Erlangs (AHT 400 s, 90 calls an hour each) with 14 agents each; callers never hang up."""
    calls = 10 * 3600 / aht_s
    return CenterModel(
        interval_s=3600.0,
        call_types=(CallType("calls", Exponential(aht_s)),),
        arrivals=tuple(ArrivalStream("calls", (calls,) * hours, site) for site in "ABC"),
        agent_groups=tuple(AgentGroup(f"agents_{site}", staffing=((0.0, 14),), site=site) for site in "ABC"),
        sites=tuple(Site(s) for s in "ABC"),
        routing=Routing(mode, overflow_after_s),
        answer_within_s=30.0,
    )


# ---------------------------------------------------------------------------------------------
# skills and priorities


def test_arriving_caller_prefers_the_agent_whose_best_skill_it_is():
    # a light Cantonese load on 5 Cantonese-only agents, while 30 idle bilingual generalists also have Cantonese (priority 2)
    m = CenterModel(
        interval_s=3600.0,
        call_types=(CallType("english", Exponential(300)), CallType("cantonese", Exponential(300))),
        arrivals=(ArrivalStream("english", (12.0,) * 4), ArrivalStream("cantonese", (1.0,) * 4)),
        agent_groups=(
            AgentGroup("generalists", staffing=((0.0, 30),), skills=(("english", 1), ("cantonese", 2))),
            AgentGroup("cantonese_only", staffing=((0.0, 5),), skills=(("cantonese", 1),)),
        ),
    )
    for seed in range(3):
        r = run(m, seed)
        check_conservation(r)
        cant = r.contacts[r.contacts["call_type"] == "cantonese"]
        assert len(cant) > 0
        assert (cant["agent_group"] == "cantonese_only").all()


def test_freed_agent_takes_its_best_priority_queue_then_the_longest_waiting():
    # bilingual agents (spanish 1, english 2) alone take both queues, overloaded so both queues fill
    m = CenterModel(
        interval_s=1800.0,
        call_types=(
            CallType("spanish", Exponential(300), Exponential(200)),
            CallType("english", Exponential(300), Exponential(200)),
        ),
        arrivals=(ArrivalStream("spanish", (40.0,) * 4), ArrivalStream("english", (40.0,) * 4)),
        agent_groups=(AgentGroup("bilingual", staffing=((0.0, 6),), skills=(("spanish", 1), ("english", 2))),),
    )
    r = run(m, 5)
    check_conservation(r)
    legs = r.legs
    left = np.where(legs["outcome"].isin(["answered", "callback"]), legs["answer_s"], legs["end_s"]).astype(float)
    legs = legs.assign(left_s=left)
    spanish = legs[legs["queue"] == "spanish"]
    took_english = legs[(legs["queue"] == "english") & (legs["wait_s"] > 0) & (legs["agent"] >= 0)]
    assert len(took_english) > 0
    for t in took_english["answer_s"]:
        # no Spanish caller was still on the line when an agent took an English caller from the queue
        waiting = spanish[(spanish["queue_entry_s"] < t - EPS) & (spanish["left_s"] > t + EPS)]
        assert waiting.empty
    # within one queue, first come first served: nobody who joined earlier was still waiting
    for q in ("spanish", "english"):
        mine = legs[legs["queue"] == q]
        taken = mine[(mine["agent"] >= 0) & (mine["wait_s"] > 0)]
        for t, entry in zip(taken["answer_s"], taken["queue_entry_s"], strict=True):
            earlier = mine[(mine["queue_entry_s"] < entry - EPS) & (mine["left_s"] > t + EPS)]
            assert earlier.empty


# ---------------------------------------------------------------------------------------------
# sites and call sharing


def test_pooled_sites_beat_the_same_sites_split():
    split_sl, pooled_sl = [], []
    for seed in range(12):
        split_sl.append(summary(run(three_sites("site_first", 1e9), seed))["service_level"])
        pooled_sl.append(summary(run(three_sites("pooled", 0.0), seed))["service_level"])
    diff, half = mean_ci(np.array(pooled_sl) - np.array(split_sl))  # paired: same callers (arrivals stream)
    assert diff - half > 0.05
    erlang_split = erlang_c(90, 3600, 400, 14, 30).service_level
    erlang_pooled = erlang_c(270, 3600, 400, 42, 30).service_level
    assert erlang_split == pytest.approx(0.871, abs=0.001) and erlang_pooled == pytest.approx(0.990, abs=0.001)
    for values, expected in ((split_sl, erlang_split), (pooled_sl, erlang_pooled)):
        mean, half = mean_ci(values)
        assert abs(mean - expected) < half + 0.03  # the day starts empty, so a little above Erlang C


def test_site_first_with_no_threshold_is_pooled_and_own_site_preferred():
    r = run(three_sites("site_first", 0.0), 3)
    check_conservation(r)
    p = run(three_sites("pooled", 0.0), 3)
    assert summary(r)["service_level"] > 0.95 and summary(p)["service_level"] > 0.95
    c = r.contacts
    immediate = c[(c["wait_s"] == 0) & (c["agent"] >= 0)]
    # answered at once by another site only when nobody at the caller's own site was idle: a minority
    assert immediate["overflowed"].mean() < 0.2


def test_site_first_agent_takes_the_longest_waiting_eligible_caller():
    after = 30.0
    m = CenterModel(
        interval_s=1800.0,
        call_types=(CallType("calls", Exponential(300), Exponential(300)),),
        arrivals=(ArrivalStream("calls", (50.0,) * 4, "A"), ArrivalStream("calls", (20.0,) * 4, "B")),
        agent_groups=(AgentGroup("a", staffing=((0.0, 8),), site="A"), AgentGroup("b", staffing=((0.0, 3),), site="B")),
        sites=(Site("A"), Site("B")),
        routing=Routing("site_first", after),
    )
    r = run(m, 9)
    check_conservation(r)
    legs = r.legs
    left = np.where(legs["agent"] >= 0, legs["answer_s"], legs["end_s"]).astype(float)
    legs = legs.assign(left_s=left, site=legs["site"].astype(str))
    taken = legs[(legs["agent"] >= 0) & (legs["wait_s"] > 0)]
    assert taken["overflowed"].any() and (~taken["overflowed"]).any()
    for t, entry, agent_site in zip(
        taken["answer_s"], taken["queue_entry_s"], taken["served_site"].astype(str), strict=True
    ):
        older = legs[(legs["queue_entry_s"] < entry - EPS) & (legs["left_s"] > t + EPS)]
        eligible = (older["site"] == agent_site) | (t - older["queue_entry_s"] >= after + EPS)
        assert not eligible.any()


def test_site_with_no_agents_overflows_exactly_after_the_threshold():
    m = CenterModel(
        interval_s=1800.0,
        call_types=(CallType("calls", Exponential(240), Exponential(600)),),
        arrivals=(ArrivalStream("calls", (30.0,) * 4, "A"), ArrivalStream("calls", (30.0,) * 4, "B")),
        agent_groups=(
            AgentGroup("a_agents", staffing=((0.0, 20),), site="A"),
            AgentGroup("b_agents", staffing=((0.0, 0),), site="B"),
        ),
        sites=(Site("A"), Site("B")),
        routing=Routing("site_first", 60.0),
    )
    r = run(m, 2)
    check_conservation(r)
    c = r.contacts
    b = c[(c["site"] == "B") & (c["agent"] >= 0)]
    assert len(b) > 50
    assert (b["wait_s"] >= 60 - EPS).all() and b["overflowed"].all() and (b["served_site"] == "A").all()
    # A has idle agents most of the time: the overflow event hands B's callers over right at 60 s
    assert (b["wait_s"] <= 60 + EPS).mean() > 0.9
    a_callers = c[c["site"] == "A"]
    assert (a_callers["served_site"] == "A").all() and not a_callers["overflowed"].any()


def test_closed_site_agents_take_no_calls():
    m = CenterModel(
        interval_s=1800.0,
        call_types=(CallType("calls", Exponential(200), Exponential(300)),),
        arrivals=(ArrivalStream("calls", (40.0,) * 6, "East"), ArrivalStream("calls", (40.0,) * 6, "West")),
        agent_groups=(
            AgentGroup("east", staffing=((0.0, 10),), site="East"),
            AgentGroup("west", staffing=((0.0, 10),), site="West"),
        ),
        sites=(Site("East", closes_s=5400.0), Site("West", opens_s=1800.0)),
        routing=Routing("pooled"),
    )
    r = run(m, 4)
    check_conservation(r)
    a = r.legs[r.legs["agent"] >= 0]
    east, west = a[a["served_site"] == "East"], a[a["served_site"] == "West"]
    assert len(east) and len(west)
    assert (east["answer_s"] < 5400 + EPS).all() and (west["answer_s"] >= 1800 - EPS).all()
    duty = r.on_duty
    assert (duty.loc[duty["site"] == "West", "start_s"] >= 1800 - EPS).all()
    # a closing site's agents finish the call in progress, then leave
    east_duty = duty[duty["site"] == "East"]
    assert (east_duty["end_s"] <= np.maximum(5400, east["end_s"].max()) + EPS).all()


def test_shifts_with_skills_and_sites_finish_the_call_in_progress():
    m = CenterModel(
        interval_s=1800.0,
        call_types=(
            CallType("english", Exponential(300), Exponential(300)),
            CallType("spanish", Exponential(300), Exponential(300)),
        ),
        arrivals=(ArrivalStream("english", (60.0,) * 4, "A"), ArrivalStream("spanish", (30.0,) * 4, "B")),
        agent_groups=(
            AgentGroup("a_gen", staffing=((0.0, 12), (3600.0, 4)), skills=(("english", 1),), site="A"),
            AgentGroup(
                "b_bil",
                staffing=((0.0, 3), (1800.0, 8), (5400.0, 2)),
                skills=(("spanish", 1), ("english", 2)),
                site="B",
            ),
        ),
        sites=(Site("A"), Site("B")),
        routing=Routing("site_first", 30.0),
    )
    r = run(m, 1)
    check_conservation(r)
    a = r.legs[r.legs["agent"] >= 0]
    first_id = {"a_gen": 0, "b_bil": 12}
    for group in m.agent_groups:
        mine = a[a["agent_group"] == group.name]
        for agent, start in zip(mine["agent"], mine["answer_s"], strict=True):
            k = agent - first_id[group.name]
            rostered_then = group.agents_at(min(start, np.nextafter(r.horizon_s, 0)))
            assert k < rostered_then or start >= r.horizon_s - EPS
    # agents who leave at 3600 finish their call: some a_gen calls answered before 3600 end after it
    gone = a[(a["agent_group"] == "a_gen") & (a["agent"] >= 4)]
    assert (gone["answer_s"] < 3600 + EPS).all() and (gone["end_s"] > 3600).any()


# ---------------------------------------------------------------------------------------------
# small pools


def test_small_cantonese_pool_gains_from_bilingual_overflow():
    alone_sl, shared_sl, alone_ab, shared_ab = [], [], [], []
    for seed in range(10):
        for shared, sl, ab in ((False, alone_sl, alone_ab), (True, shared_sl, shared_ab)):
            r = run(english_cantonese(shared), seed)
            k = kpis(r, by="call_type").loc["cantonese"]
            sl.append(k["service_level"])
            ab.append(k["abandonment_rate"])
    sl_gain, sl_half = mean_ci(np.array(shared_sl) - np.array(alone_sl))
    ab_cut, ab_half = mean_ci(np.array(alone_ab) - np.array(shared_ab))
    assert sl_gain - sl_half > 0.2
    assert ab_cut - ab_half > 0.05


# ---------------------------------------------------------------------------------------------
# self-service, call-backs, transfers, hand-offs


def test_self_service_containment_share():
    p = 0.3
    m = dataclasses.replace(
        three_sites("pooled", 0.0, hours=4),
        call_types=(CallType("calls", Exponential(400), Exponential(300), menu_containment=p, menu_time_s=40.0),),
    )
    r = run(m, 8)
    check_conservation(r)
    c = r.contacts
    served = c["outcome"] == "self_service"
    n = len(c)
    assert abs(served.mean() - p) < 4 * math.sqrt(p * (1 - p) / n)
    assert np.allclose(c.loc[served, "end_s"], c.loc[served, "arrival_s"] + 40.0)
    assert c.loc[served, "answer_s"].isna().all() and (c.loc[served, "agent"] == -1).all()
    s = summary(r)
    assert s["self_service"] == served.sum() and s["calls"] == n - served.sum()


def overloaded(callback: Callback | None) -> CenterModel:
    """Ten agents, 12 Erlangs offered (AHT 240 s), impatient callers (mean 120 s)."""
    base = CenterModel.single_queue(90.0, 10, Exponential(240), Exponential(120), interval_s=1800.0, intervals=4)
    return dataclasses.replace(base, callback=callback)


def test_callbacks_accepted_never_abandon_and_count_as_answered():
    r = run(overloaded(Callback(offer_when_wait_exceeds_s=10.0, acceptance_share=1.0)), 3)
    check_conservation(r)
    c = r.contacts
    offered = c["callback_offered"]
    assert offered.sum() > 100
    assert not (c.loc[offered, "outcome"] == "abandoned").any()
    assert (c.loc[offered, "outcome"].isin(["callback", "unanswered"])).all()
    called_back = c[c["outcome"] == "callback"]
    assert np.allclose(called_back["wait_s"], called_back["answer_s"] - called_back["queue_entry_s"])
    s = summary(r)
    assert s["callbacks"] == len(called_back)
    assert s["answered"] == int(c["outcome"].isin(["answered", "callback"]).sum())
    # callers not offered (predicted wait short) may still hang up; with no call-backs many more do
    plain = summary(run(overloaded(None), 3))
    assert plain["abandoned"] > 3 * s["abandoned"]


def test_callers_who_refuse_a_callback_behave_normally():
    r = run(overloaded(Callback(offer_when_wait_exceeds_s=0.0, acceptance_share=0.5)), 4)
    check_conservation(r)
    c = r.contacts
    offered = c[c["callback_offered"]]
    share_cb = offered["outcome"].isin(["callback"]).mean()
    assert (offered["outcome"] == "abandoned").sum() > 20  # refusers still hang up
    assert 0.3 < share_cb < 0.7
    # threshold 0: every caller who had to queue was offered one
    queued = c[(c["agent"] < 0) | (c["wait_s"] > 0)]
    assert queued["callback_offered"].all()


def test_predicted_wait_rises_with_the_queue():
    r = run(overloaded(Callback(offer_when_wait_exceeds_s=120.0, acceptance_share=0.0)), 6)
    c = r.contacts
    # (callers ahead + 1) × 240 s / 10 agents > 120 s needs at least 5 callers ahead: not the first to wait
    assert 0 < c["callback_offered"].sum() < (c["wait_s"] > 0).sum()
    assert (c["outcome"] != "callback").all()  # nobody accepted


def specialist_model(probability: float, back_office: bool = False) -> CenterModel:
    transfer = Transfer(probability, None, 3 * 86400.0) if back_office else Transfer(probability, "claims")
    return CenterModel(
        interval_s=1800.0,
        call_types=(
            CallType("general", Exponential(300), transfers=(transfer,)),
            CallType("claims", Lognormal(480, 1.0), skill="claims", tier="specialist"),
        ),
        arrivals=(ArrivalStream("general", (50.0,) * 4),),
        agent_groups=(
            AgentGroup("generalists", staffing=((0.0, 12),), skills=(("general", 1),)),
            AgentGroup("specialists", staffing=((0.0, 20),), skills=(("claims", 1),), tier="specialist"),
        ),
    )


def test_certain_transfer_to_specialists_doubles_the_legs():
    r = run(specialist_model(1.0), 2)
    check_conservation(r)
    c, legs = r.contacts, r.legs
    assert (c["outcome"] == "answered").all()  # nobody hangs up, the drain time is long enough
    assert len(legs) == 2 * len(c)
    assert (c["transfers"] == 1).all() and (c["final_call_type"] == "claims").all()
    assert (c["queue"] == "claims").all() and (c["tier"] == "specialist").all() and (c["skill"] == "general").all()
    assert (legs.loc[legs["leg"] == 1, "agent_group"] == "specialists").all()
    s = summary(r)
    assert s["calls"] == len(c) and s["transfers_per_contact"] == 1.0  # callers counted once
    by_group = kpis(r, by="agent_group")
    assert by_group.loc["specialists", "answered"] == len(c)
    by_queue = kpis(r, by="queue")  # every leg: the claims queue sees each caller once more
    assert by_queue.loc["claims", "calls"] == len(c) and by_queue.loc["general", "calls"] == len(c)
    assert (
        by_queue.loc["general", "transfers_per_contact"] == 1.0
        and by_queue.loc["claims", "transfers_per_contact"] == 0.0
    )
    claims = legs[legs["leg"] == 1]
    assert by_queue.loc["claims", "asa_s"] == pytest.approx(claims["wait_s"].mean())


def test_transfer_share_and_reproducibility():
    r1, r2 = run(specialist_model(0.25), 11), run(specialist_model(0.25), 11)
    pd.testing.assert_frame_equal(r1.contacts, r2.contacts)
    pd.testing.assert_frame_equal(r1.legs, r2.legs)
    share = r1.contacts["transfers"].mean()
    n = len(r1.contacts)
    assert abs(share - 0.25) < 4 * math.sqrt(0.25 * 0.75 / n)


def test_transferred_caller_may_hang_up_in_the_new_queue():
    m = specialist_model(0.6)
    claims = dataclasses.replace(m.call_types[1], patience=Exponential(60))
    few = dataclasses.replace(m.agent_groups[1], staffing=((0.0, 3),))
    m = dataclasses.replace(m, call_types=(m.call_types[0], claims), agent_groups=(m.agent_groups[0], few))
    r = run(m, 7)
    check_conservation(r)
    c = r.contacts
    lost = c[(c["transfers"] == 1) & (c["final_outcome"] == "abandoned")]
    assert len(lost) > 10 and (lost["outcome"] == "answered").all()  # answered first, then hung up on hold
    second = r.legs[(r.legs["leg"] == 1) & (r.legs["outcome"] == "abandoned")]
    assert np.allclose(second["abandon_s"], second["queue_entry_s"] + second["wait_s"])
    assert summary(r)["abandoned"] == 0  # the caller's first queue: nobody hung up there (no patience)


def test_back_office_handoff():
    r = run(specialist_model(1.0, back_office=True), 2)
    check_conservation(r)
    c = r.contacts
    assert c["handoff"].all() and (c["transfers"] == 0).all()
    assert np.allclose(c["back_office_done_s"], c["end_s"] + 3 * 86400.0)
    assert len(r.legs) == len(c) and summary(r)["handoffs"] == len(c)
    assert (r.legs["agent_group"] == "generalists").all()  # no agent used by the back office


def test_demand_ratio_leaves_out_self_service_and_adds_transferred_work():
    from ccsim.simulation.engine import demand_ratio

    base = specialist_model(0.0)
    assert demand_ratio(base) == pytest.approx(200 * 300 / (32 * 7200))
    half = dataclasses.replace(
        base, call_types=(dataclasses.replace(base.call_types[0], menu_containment=0.5), base.call_types[1])
    )
    assert demand_ratio(half) == pytest.approx(demand_ratio(base) / 2)
    assert demand_ratio(specialist_model(1.0)) == pytest.approx(200 * (300 + 480) / (32 * 7200))


# ---------------------------------------------------------------------------------------------
# KPIs of the network


def test_occupancy_per_agent_group_and_site_from_every_leg():
    r = run(specialist_model(0.5), 3)
    legs = r.legs[r.legs["agent"] >= 0]
    by_group = kpis(r, by="agent_group")
    horizon = r.horizon_s
    for group in ("generalists", "specialists"):
        mine = legs[legs["agent_group"] == group]
        busy = (np.minimum(mine["end_s"], horizon) - np.minimum(mine["answer_s"], horizon)).sum()
        duty = r.on_duty[r.on_duty["agent_group"] == group]
        staffed = (np.minimum(duty["end_s"], horizon) - np.minimum(duty["start_s"], horizon)).sum()
        assert by_group.loc[group, "occupancy"] == pytest.approx(busy / staffed)
        assert 0 < by_group.loc[group, "occupancy"] <= 1
    overall = summary(r)["occupancy"]
    busy = (np.minimum(legs["end_s"], horizon) - np.minimum(legs["answer_s"], horizon)).sum()
    assert overall == pytest.approx(busy / r.staffed_s_per_interval.sum())


def test_occupancy_per_site_counts_the_agents_at_the_site():
    r = run(three_sites("site_first", 20.0, hours=4), 5)
    by_site = kpis(r, by="site")
    legs = r.legs[r.legs["agent"] >= 0]
    horizon = r.horizon_s
    for site in "ABC":
        mine = legs[legs["served_site"] == site]
        busy = (np.minimum(mine["end_s"], horizon) - np.minimum(mine["answer_s"], horizon)).sum()
        duty = r.on_duty[r.on_duty["site"] == site]
        staffed = (np.minimum(duty["end_s"], horizon) - np.minimum(duty["start_s"], horizon)).sum()
        assert by_site.loc[site, "occupancy"] == pytest.approx(busy / staffed)
    assert list(kpis(r).columns) == list(KPI_NAMES)


# ---------------------------------------------------------------------------------------------
# presets


@pytest.mark.parametrize("preset", ["member_services_network", "public_hotline_24h"])
def test_presets_conserve_callers(preset):
    scenario = pytest.importorskip("ccsim.scenario")
    model = scenario.load_preset(preset).to_model()
    r = run(model, 1)
    check_conservation(r) if len(r.contacts) < 5000 else _quick_conservation(r)
    if preset == "member_services_network":
        assert r.contacts["transfers"].sum() > 0 and r.contacts["handoff"].sum() > 0
        assert r.contacts["overflowed"].any()
        assert (r.contacts.loc[r.contacts["overflowed"], "wait_s"] >= model.routing.overflow_after_s - EPS).all()
    else:
        c = r.contacts
        assert (c["outcome"] == "self_service").any()
        # call-backs: offered only to callers who had to queue; about acceptance_share of them accept
        offered = c["callback_offered"]
        assert offered.sum() > 30 and (c.loc[offered, "wait_s"] > 0).all()
        accepted = int((c["outcome"] == "callback").sum())
        assert accepted > 0 and c.loc[c["outcome"] == "callback", "callback_offered"].all()
        share = model.callback.acceptance_share
        assert abs(accepted / offered.sum() - share) < 4 * math.sqrt(share * (1 - share) / offered.sum())


def _quick_conservation(r: SimulationResult) -> None:
    """The vectorised part of :func:`check_conservation`, for large runs."""
    c, legs = r.contacts, r.legs
    assert not c["outcome"].isna().any() and (c["wait_s"] >= 0).all() and (legs["wait_s"] >= 0).all()
    self_served = c["outcome"] == "self_service"
    assert len(legs) == int((c.loc[~self_served, "transfers"] + 1).sum())
    a = legs[legs["agent"] >= 0].sort_values(["agent", "answer_s"])
    same = a["agent"].to_numpy()[1:] == a["agent"].to_numpy()[:-1]
    assert (a["answer_s"].to_numpy()[1:][same] >= a["end_s"].to_numpy()[:-1][same] - EPS).all()
    s = summary(r)
    assert s["calls"] + s["self_service"] == len(c) and s["calls"] == s["answered"] + s["abandoned"] + s["unanswered"]


# ---------------------------------------------------------------------------------------------
# property tests over generated centers


@st.composite
def centers(draw):
    n_sites = draw(st.integers(1, 3))
    sites = tuple(Site(f"s{i}") for i in range(n_sites))
    n_types = draw(st.integers(1, 3))
    names = [f"t{k}" for k in range(n_types)]
    skills = [f"k{k}" for k in range(n_types)]
    intervals = draw(st.integers(1, 3))
    interval_s = draw(st.sampled_from([600.0, 1800.0]))
    call_types = []
    for k in range(n_types):
        transfers = []
        if draw(st.booleans()):
            p = draw(st.one_of(st.just(1.0), st.floats(0.0, 1.0)))
            # a certain transfer goes to a later call type, so certain transfers never loop (a refused model)
            later = names[k + 1 :] if p >= 1 else [x for x in names if x != names[k]]
            to = draw(st.sampled_from([None, *later]))
            transfers.append(Transfer(p, to, draw(st.floats(0, 86400))))
        patience = draw(st.sampled_from([None, Exponential(120), Fixed(60)]))
        call_types.append(
            CallType(
                names[k],
                draw(st.sampled_from([Exponential(180), Fixed(120), Lognormal(200, 0.8)])),
                patience,
                skill=draw(st.sampled_from(skills[: k + 1])),  # call types may share a skill queue
                menu_containment=draw(st.sampled_from([0.0, 0.0, 0.3])),
                menu_time_s=draw(st.sampled_from([0.0, 30.0])),
                transfers=tuple(transfers),
            )
        )
    arrivals = []
    for k in range(n_types):
        for site in sites:
            if draw(st.booleans()):
                arrivals.append(
                    ArrivalStream(names[k], tuple(draw(st.floats(0, 40)) for _ in range(intervals)), site.name)
                )
    if not arrivals:
        arrivals.append(ArrivalStream(names[0], (10.0,) * intervals, sites[0].name))
    groups = []
    for j in range(draw(st.integers(1, 4))):
        mine = draw(st.lists(st.sampled_from(skills), min_size=1, max_size=n_types, unique=True))
        steps = [(0.0, draw(st.integers(0, 6)))]
        if draw(st.booleans()):
            steps.append((draw(st.sampled_from([300.0, interval_s, 1.5 * interval_s])), draw(st.integers(0, 6))))
        groups.append(
            AgentGroup(
                f"g{j}",
                staffing=tuple(sorted(steps)),
                skills=tuple((s, draw(st.integers(1, 3))) for s in mine),
                site=draw(st.sampled_from(sites)).name,
            )
        )
    # every skill someone has (otherwise the model is invalid, tested elsewhere)
    have = {s for g in groups for s, _ in g.skills}
    for k, s in enumerate(skills):
        if s not in have:
            groups.append(AgentGroup(f"extra{k}", staffing=((0.0, 2),), skills=((s, 1),), site=sites[0].name))
    routing = Routing(draw(st.sampled_from(["pooled", "site_first"])), draw(st.sampled_from([0.0, 20.0, 1e6])))
    callback = draw(st.sampled_from([None, Callback(30.0, 0.5), Callback(0.0, 1.0), Callback(30.0, 0.0)]))
    if draw(st.booleans()):
        sites = tuple(
            dataclasses.replace(
                s, opens_s=draw(st.sampled_from([0.0, 300.0])), closes_s=draw(st.sampled_from([None, 900.0]))
            )
            for s in sites
        )
    return CenterModel(
        interval_s=interval_s,
        call_types=tuple(call_types),
        arrivals=tuple(arrivals),
        agent_groups=tuple(groups),
        sites=sites,
        routing=routing,
        callback=callback,
    )


def _two_sites_sharing_with_callbacks_and_transfers() -> CenterModel:
    """An edge case: overflow after 20 s, call-backs for all, a certain transfer, a site opening late."""
    return CenterModel(
        interval_s=600.0,
        call_types=(
            CallType("t0", Fixed(120), Fixed(60), menu_time_s=30.0, transfers=(Transfer(1.0, "t1"),)),
            CallType("t1", Exponential(180), Exponential(120), skill="k1"),
        ),
        arrivals=(ArrivalStream("t0", (30.0, 30.0), "s0"), ArrivalStream("t0", (20.0, 0.0), "s1")),
        agent_groups=(
            AgentGroup("g0", staffing=((0.0, 3), (600.0, 1)), skills=(("t0", 1), ("k1", 2)), site="s0"),
            AgentGroup("g1", staffing=((0.0, 2),), skills=(("k1", 1),), site="s1"),
        ),
        sites=(Site("s0"), Site("s1", opens_s=300.0)),
        routing=Routing("site_first", 20.0),
        callback=Callback(0.0, 1.0),
    )


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(model=centers(), seed=st.integers(0, 2**32 - 1))
@example(model=_two_sites_sharing_with_callbacks_and_transfers(), seed=0)
def test_generated_centers_conserve_callers_and_rerun_identically(model, seed):
    r1 = run(model, seed, max_drain_s=3600.0)
    check_conservation(r1)
    r2 = run(model, seed, max_drain_s=3600.0)
    pd.testing.assert_frame_equal(r1.contacts, r2.contacts)
    pd.testing.assert_frame_equal(r1.legs, r2.legs)


def test_predicted_wait_counts_the_callers_ahead_and_the_agents_on_the_roster():
    from types import SimpleNamespace

    from ccsim.simulation.agents import build_groups
    from ccsim.simulation.callbacks import Callbacks
    from ccsim.simulation.queues import build_queues

    base = CenterModel.single_queue(10.0, 4, Fixed(240), Fixed(600), interval_s=1800.0)
    m = dataclasses.replace(base, callback=Callback(offer_when_wait_exceeds_s=60.0, acceptance_share=1.0))
    give_up = [600.0] * 6
    legs = SimpleNamespace(call_type=[0] * 6, give_up_s=give_up)
    queue = build_queues(["calls"], 1, give_up, per_site=False)["calls", -1]
    (group,) = build_groups(m, ["main"], ["calls"], m.horizon_s)
    cb = Callbacks(m, [queue], [group], legs, np.random.SeedSequence(0))  # type: ignore[arg-type]
    group.on_roster = 0
    queue.waiting.append(0)
    assert cb.predicted_wait_s(0, queue) == math.inf  # nobody with the skill on duty
    group.on_roster = 1
    assert cb.predicted_wait_s(0, queue) == 240.0  # alone in the queue: one handle time
    group.on_roster = 4
    assert cb.predicted_wait_s(0, queue) == 60.0
    cb.join(1, queue)  # predicted (1 ahead + 1) × 240 / 4 = 120 s > 60 s: offered, and accepts
    assert cb.offered == cb.accepted == {1} and give_up[1] == math.inf and list(queue.waiting) == [0, 1]
    queue.waiting.clear()
    cb.join(2, queue)  # predicted exactly 60 s: not above the threshold, no offer
    assert cb.offered == {1} and give_up[2] == 600.0


def _two_transfer_routes(specialists: int) -> CenterModel:
    """Callers of a and b move on to c and d (same distributions) with probability 1/2."""
    return CenterModel(
        interval_s=1800,
        call_types=(
            CallType("a", Fixed(60), transfers=(Transfer(0.5, "c"),)),
            CallType("b", Fixed(60), transfers=(Transfer(0.5, "d"),)),
            CallType("c", Exponential(100), Exponential(300), skill="cd"),
            CallType("d", Exponential(100), Exponential(300), skill="cd"),
        ),
        arrivals=(ArrivalStream("a", (60.0,)), ArrivalStream("b", (60.0,))),
        agent_groups=(
            AgentGroup("generalists", ((0, 20),), skills=(("a", 1), ("b", 1))),
            AgentGroup("specialists", ((0, specialists),), skills=(("cd", 1),)),
        ),
    )


def _in_order(legs: pd.DataFrame, call_type: str, column: str) -> np.ndarray:
    mine = legs[legs["call_type"] == call_type].sort_values(["queue_entry_s", "end_s"], kind="stable")
    return mine[column].to_numpy()


def test_each_call_type_draws_its_transfers_from_its_own_streams():
    # Same probabilities and distributions: shared streams would repeat one call type's draws in the other.
    served = simulate(_two_transfer_routes(40), 2).legs
    a_moves, b_moves = _in_order(served, "a", "transferred"), _in_order(served, "b", "transferred")
    n = min(a_moves.size, b_moves.size)
    assert n > 30 and not np.array_equal(a_moves[:n], b_moves[:n])
    c_handle, d_handle = _in_order(served, "c", "handle_time_s"), _in_order(served, "d", "handle_time_s")
    n = min(c_handle.size, d_handle.size)
    assert n > 10 and not np.allclose(c_handle[:n], d_handle[:n])
    stranded = simulate(_two_transfer_routes(0), 2).legs  # nobody answers c or d: every wait is the patience
    c_wait, d_wait = _in_order(stranded, "c", "wait_s"), _in_order(stranded, "d", "wait_s")
    n = min(c_wait.size, d_wait.size)
    assert n > 10 and not np.allclose(c_wait[:n], d_wait[:n])
    assert (stranded.loc[stranded["outcome"] == "abandoned", "agent"] == -1).all()


LEG_COLUMNS = [
    "leg_id",
    "contact_id",
    "leg",
    "call_type",
    "queue",
    "site",
    "queue_entry_s",
    "answer_s",
    "abandon_s",
    "end_s",
    "wait_s",
    "handle_time_s",
    "outcome",
    "agent",
    "agent_group",
    "served_site",
    "overflowed",
    "callback_offered",
    "transferred",
    "handoff",
]


def test_two_transfer_routes_share_the_probability_and_legs_are_numbered_along_the_chain():
    # general → claims (0.3) or billing (0.5) or done (0.2); billing → claims always; claims is call type 0.
    m = CenterModel(
        interval_s=1800.0,
        call_types=(
            CallType("claims", Fixed(60), skill="claims"),
            CallType("general", Fixed(60), transfers=(Transfer(0.3, "claims"), Transfer(0.5, "billing"))),
            CallType("billing", Fixed(60), skill="billing", transfers=(Transfer(1.0, "claims"),)),
        ),
        arrivals=(ArrivalStream("general", (150.0, 150.0)),),
        agent_groups=(AgentGroup("all", staffing=((0.0, 30),)),),
    )
    r = run(m, 5)
    check_conservation(r)
    legs, c = r.legs, r.contacts
    assert list(legs.columns) == LEG_COLUMNS and not legs["handoff"].any()
    n = len(c)
    path = legs.groupby("contact_id")["call_type"].agg(lambda s: "/".join(s.astype(str)))
    for route, share in (("general/claims", 0.3), ("general/billing/claims", 0.5), ("general", 0.2)):
        assert abs((path == route).mean() - share) < 4 * math.sqrt(share * (1 - share) / n)
    assert set(path) == {"general/claims", "general/billing/claims", "general"}
    numbers = legs.groupby("contact_id")["leg"].agg(list)
    assert all(list(range(len(x))) == x for x in numbers) and numbers.map(len).max() == 3


def test_a_day_without_transfers_has_one_leg_per_queued_caller_with_the_same_columns():
    base = CenterModel.single_queue(60.0, 8, Exponential(240), Exponential(120), interval_s=1800.0)
    menu = dataclasses.replace(base.call_types[0], menu_containment=0.3)
    r = run(dataclasses.replace(base, call_types=(menu,)), 2)
    legs, c = r.legs, r.contacts
    queued = c[c["outcome"] != "self_service"]
    assert list(legs.columns) == LEG_COLUMNS and legs.index.equals(pd.RangeIndex(len(queued)))
    assert len(queued) < len(c) and np.array_equal(legs["leg_id"], queued["contact_id"])
    assert legs["leg"].dtype == np.int64 and (legs["leg"] == 0).all()
    assert legs["handoff"].dtype == bool and legs["transferred"].dtype == bool and not legs["transferred"].any()
    bare = dataclasses.replace(r, contacts=c.drop(columns="handoff"), _legs=None)  # a log written without hand-offs
    assert bare.legs["handoff"].dtype == bool and not bare.legs["handoff"].any()
