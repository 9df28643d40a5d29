"""Members' journeys in the engine: issues, outcomes after each call, calling again, consults, back office, logs."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ccsim.errors import CcsimInputError
from ccsim.simulation.distributions import Exponential, Fixed
from ccsim.simulation.engine import simulate
from ccsim.simulation.members import DAY_S, Journeys, Persona, Reason
from ccsim.simulation.model import AgentGroup, ArrivalStream, CallType, CenterModel, Transfer


def days_model(
    days=3,
    calls=60,
    agents=12,
    *,
    journeys=None,
    call_types=None,
    groups=None,
    open_intervals=16,
    interval_s=1800.0,
):
    """A center open ``open_intervals`` half-hours a day for ``days`` days (the last day ends at closing)."""
    per_day = int(DAY_S // interval_s)
    day = [calls] * open_intervals + [0] * (per_day - open_intervals)
    arrivals = tuple(day * (days - 1) + [calls] * open_intervals)

    def staffing(n):
        steps = []
        for d in range(days):
            steps += [(d * DAY_S, n), (d * DAY_S + open_intervals * interval_s, 0)]
        return tuple(steps)

    call_types = call_types or (CallType("calls", Exponential(300), Exponential(300), resolution_share=0.7),)
    groups = groups or (AgentGroup("agents", staffing(agents)),)
    groups = tuple(AgentGroup(g.name, staffing(g.staffing[0][1]), g.skills, g.site, g.tier) for g in groups)
    return CenterModel(
        interval_s=interval_s,
        call_types=call_types,
        arrivals=(ArrivalStream(call_types[0].name, arrivals),),
        agent_groups=groups,
        journeys=journeys if journeys is not None else Journeys(),
    )


def test_without_journeys_there_are_no_issues_and_every_contact_has_its_day():
    model = CenterModel.single_queue(60, 12, Exponential(300), Exponential(300), intervals=4)
    r = simulate(model, seed=1)
    assert r.issues is None and "issue_id" not in r.contacts
    assert (r.contacts["day"] == 0).all()


def test_unresolved_members_call_again_and_first_contact_resolution_tends_to_p():
    """One queue, ample agents, each answered contact resolves with chance p; the unresolved call again.

    Then the number of contacts an issue needs is geometric: FCR (no second contact) → p and contacts per issue
    → 1/p. Issues opened in the first half of the run have time to finish; 95% binomial intervals (≈ 4 s.e.).
    """
    p = 0.6
    journeys = Journeys(return_share=1.0, return_delay=Exponential(1800))
    ct = (CallType("calls", Exponential(240), None, resolution_share=p),)
    model = days_model(days=12, calls=40, agents=40, journeys=journeys, call_types=ct, open_intervals=48)
    r = simulate(model, seed=11)
    i = r.issues
    early = i[i["opened_s"] < r.horizon_s / 2]
    n = len(early)
    fcr = early["next_contact_s"].isna().mean()
    assert abs(fcr - p) < 4 * math.sqrt(p * (1 - p) / n)
    contacts = early["contacts"].mean()
    se = math.sqrt((1 - p) / p**2 / n)  # geometric variance (1 − p) / p²
    assert abs(contacts - 1 / p) < 4 * se
    assert (early["status"] == "resolved").mean() > 0.99
    assert (i["resolved_on_first_contact"] == i["next_contact_s"].isna())[early.index].all()


def test_every_issue_is_resolved_or_open_and_counts_add_up():
    r = simulate(days_model(journeys=rich_journeys(), call_types=rich_call_types(), groups=rich_groups()), seed=5)
    c, i, legs = r.contacts, r.issues, r.legs
    check_journey_log(r)
    assert set(i["status"].unique()) <= {"resolved", "open"}
    assert set(c["contact_kind"].unique()) >= {"first", "repeat", "redial", "chase"}
    assert (legs.loc[legs["consult"], "result"] == "consult").all() and legs["consult"].any()
    assert (i["back_office_handoffs"] > 0).any() and (i["consults"] > 0).any() and (i["transfers"] > 0).any()


def check_journey_log(r):
    """Properties every run with journeys has."""
    c, i, legs = r.contacts, r.issues, r.legs
    assert list(c["contact_id"]) == list(range(len(c))) and (np.diff(c["arrival_s"]) >= 0).all()
    assert i["contacts"].sum() == len(c) and len(i) == (c["contact_seq"] == 1).sum()
    assert (c["member_id"] == c["issue_id"]).all()
    assert i["transfers"].sum() == c["transfers"].sum()
    assert i["consults"].sum() == legs["consult"].sum()
    assert (c.loc[c["contact_seq"] == 1, "contact_kind"] == "first").all()
    assert (c.loc[c["contact_seq"] > 1, "contact_kind"] != "first").all()
    # an issue's contacts never overlap, and its first contact opened it
    ordered = c.sort_values(["issue_id", "arrival_s"], kind="stable")
    previous_end = ordered.groupby("issue_id")["final_end_s"].shift()
    assert not (ordered["arrival_s"] < previous_end - 1e-6).any()
    first = c[c["contact_seq"] == 1].set_index("issue_id")
    assert np.allclose(first.loc[i["issue_id"], "arrival_s"].to_numpy(), i["opened_s"].to_numpy())
    # resolved issues have a resolution time within the run; open ones do not
    resolved = i["status"] == "resolved"
    assert (i.loc[resolved, "resolved_s"] >= i.loc[resolved, "opened_s"]).all()
    assert (i.loc[resolved, "resolved_s"] <= r.end_s).all() and i.loc[~resolved, "resolved_s"].isna().all()
    assert np.allclose(i["member_minutes"], i["menu_min"] + i["waiting_min"] + i["talking_min"])
    assert (c["arrival_s"] < r.horizon_s).all()
    # what a contact did for the issue fits how it ended
    answered = c["final_outcome"].isin(["answered", "callback"])
    kinds = {"resolved", "consulted", "back_office", "unresolved", "chased"}
    assert c.loc[answered, "issue_outcome"].isin(kinds).all()
    assert (c.loc[c["final_outcome"] == "abandoned", "issue_outcome"] == "abandoned").all()


def rich_journeys():
    return Journeys(
        personas=(Persona("senior", 0.3, patience_factor=2, return_factor=1.5), Persona("adult", 0.7)),
        reasons=(Reason("billing", 0.6), Reason("claims", 0.4, resolution_factor=0.8)),
        redial_share=0.5,
        redial_delay=Exponential(1800),
        return_share=0.9,
        return_delay=Exponential(DAY_S / 2),
        recontact_share=0.05,
        chase_share_per_day=0.5,
    )


def rich_call_types(back_office=None):
    back_office = back_office or Exponential(DAY_S)
    return (
        CallType(
            "general",
            Exponential(300),
            Exponential(200),
            transfers=(
                Transfer(0.1, "claims"),
                Transfer(0.05, None, back_office=back_office),
                Transfer(0.1, "rapid", consult=True, resolves_share=0.9),
            ),
            resolution_share=0.6,
        ),
        CallType("claims", Exponential(400), Exponential(300), tier="specialist", resolution_share=0.8),
        CallType("rapid", Exponential(120), None, tier="rapid"),
    )


def rich_groups(general=14, claims=3, rapid=2):
    return (
        AgentGroup("general", ((0.0, general),), skills=(("general", 1),)),
        AgentGroup("claims", ((0.0, claims),), skills=(("claims", 1),)),
        AgentGroup("rapid", ((0.0, rapid),), skills=(("rapid", 1),)),
    )


def test_the_same_seed_gives_the_same_logs_and_another_seed_others():
    model = days_model(journeys=rich_journeys(), call_types=rich_call_types(), groups=rich_groups())
    a, b, c = simulate(model, seed=2), simulate(model, seed=2), simulate(model, seed=3)
    assert a.contacts.equals(b.contacts) and a.issues.equals(b.issues) and a.legs.equals(b.legs)
    assert not a.issues.equals(c.issues)


def test_a_consult_holds_the_agent_and_a_rapid_resolution_agent_and_the_member_never_queues_again():
    ct = (
        CallType("general", Fixed(300), None, transfers=(Transfer(1.0, "rapid", consult=True),)),
        CallType("rapid", Fixed(100), None),
    )
    r = simulate(days_model(days=1, calls=20, journeys=Journeys(), call_types=ct, groups=rich_groups(12, 1, 6)), seed=4)
    legs = r.legs
    front, consult = legs[~legs["consult"]], legs[legs["consult"]]
    assert len(front) == len(consult) == len(r.contacts)
    assert (consult["agent_group"] == "rapid").all() and (front["agent_group"] == "general").all()
    # the front call lasts its 300 s, the wait for a rapid-resolution agent and the 100 s consult
    ends = consult.set_index("contact_id")["end_s"]
    assert np.allclose(front.set_index("contact_id")["end_s"], ends)
    assert (front["handle_time_s"] >= 400 - 1e-9).all()
    assert (r.contacts["issue_outcome"] == "consulted").all() and (r.contacts["transfers"] == 0).all()
    assert (r.issues["consults"] == 1).all() and (r.issues["contacts"] == 1).all()


def test_with_nobody_to_consult_the_agent_waits_max_hold_then_ends_the_call_unresolved():
    ct = (
        CallType("general", Fixed(300), None, transfers=(Transfer(1.0, "rapid", consult=True, max_hold_s=60),)),
        CallType("rapid", Fixed(100), None),
    )
    journeys = Journeys(return_share=0.0)
    r = simulate(days_model(days=1, calls=10, journeys=journeys, call_types=ct, groups=rich_groups(12, 1, 0)), seed=4)
    front = r.legs[~r.legs["consult"]]
    assert np.allclose(front["handle_time_s"], 360)
    assert (r.contacts["issue_outcome"] == "unresolved").all() and (r.issues["status"] == "open").all()


def test_a_back_office_hand_off_resolves_after_its_delay_and_chases_fall_while_it_waits():
    ct = (CallType("calls", Exponential(300), None, transfers=(Transfer(0.5, None, back_office=Fixed(3 * DAY_S)),)),)
    journeys = Journeys(chase_share_per_day=0.6)
    r = simulate(days_model(days=10, calls=30, journeys=journeys, call_types=ct), seed=8)
    c, i = r.contacts, r.issues
    handed = c[(c["issue_outcome"] == "back_office")].set_index("issue_id")
    done = handed["final_end_s"] + 3 * DAY_S
    ok = i.set_index("issue_id").loc[handed.index]
    inside = done <= r.end_s
    assert np.allclose(ok.loc[inside, "resolved_s"], done[inside]) and ok.loc[~inside, "status"].eq("open").all()
    chases = c[c["contact_kind"] == "chase"]
    assert len(chases) > 0 and chases["issue_id"].isin(handed.index).all()
    between = chases["arrival_s"].to_numpy() - handed.loc[chases["issue_id"], "final_end_s"].to_numpy()
    assert (between > 0).all() and (between < 3 * DAY_S).all()
    answered = chases[chases["final_outcome"] == "answered"]
    still_waiting = answered["end_s"].to_numpy() < done[answered["issue_id"]].to_numpy()
    assert (answered["issue_outcome"] == np.where(still_waiting, "chased", "resolved")).all()


def test_callers_who_hang_up_redial_after_their_give_up_time_while_the_center_takes_calls():
    journeys = Journeys(redial_share=1.0, redial_delay=Exponential(600), return_share=0.0)
    ct = (CallType("calls", Exponential(300), Exponential(60)),)
    r = simulate(days_model(days=4, calls=80, agents=8, journeys=journeys, call_types=ct), seed=6)
    c = r.contacts.sort_values(["issue_id", "arrival_s"])
    nxt = c.groupby("issue_id")["arrival_s"].shift(-1)
    abandoned = c[(c["final_outcome"] == "abandoned") & nxt.notna()]
    assert len(abandoned) > 100
    assert (nxt[abandoned.index] >= abandoned["final_end_s"]).all()
    assert (c.loc[c["contact_kind"] == "redial", "contact_seq"] > 1).all()
    # every contact arrives while the center takes calls: the first 16 half-hours of a day
    assert ((r.contacts["arrival_s"] % DAY_S) < 16 * 1800).all()


def test_a_persona_scales_handle_time_and_patience():
    journeys = Journeys(personas=(Persona("slow", 0.5, handle_time_factor=2.0), Persona("quick", 0.5)))
    r = simulate(days_model(days=2, calls=80, agents=60, journeys=journeys), seed=9)
    answered = r.contacts[r.contacts["outcome"] == "answered"]
    means = answered.groupby("persona", observed=True)["handle_time_s"].mean()
    assert 1.7 < means["slow"] / means["quick"] < 2.3


def test_a_model_with_consults_but_no_journeys_runs_with_the_default_spec():
    ct = (
        CallType("general", Fixed(300), None, transfers=(Transfer(0.5, "rapid", consult=True),)),
        CallType("rapid", Fixed(60)),
    )
    model = days_model(days=1, journeys=Journeys(), call_types=ct, groups=rich_groups(12, 1, 3))
    model = CenterModel(**{**model.__dict__, "journeys": None})
    r = simulate(model, seed=1)
    assert r.issues is not None and (r.issues["contacts"] == 1).all()


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: Journeys(redial_share=1.5), "journeys.redial_share"),
        (lambda: Journeys(return_delay=300), "journeys.return_delay"),
        (lambda: Journeys(personas=()), "journeys.personas"),
        (lambda: Journeys(personas=(Persona("a", 1), Persona("a", 1))), "journeys.personas names"),
        (lambda: Persona("a", -1), "persona 'a' share"),
        (lambda: Persona("a", 1, return_factor=-2), "persona 'a' return_factor"),
        (lambda: Transfer(0.1, consult=True), "transfer consult"),
        (lambda: CallType("x", Fixed(1), transfers=(Transfer(0.5, "y"),), resolution_share=0.7), "resolution_share"),
        (lambda: days_model(journeys=Journeys(personas=(Persona("a", 1, call_types=("nope",)),))), "call_types"),
        (
            lambda: days_model(
                call_types=(CallType("calls", Fixed(1), transfers=(Transfer(0.5, "calls", consult=True),)),)
            ),
            "to_call_type",
        ),
    ],
)
def test_bad_journey_input_gets_one_sentence_naming_the_field(build, field):
    with pytest.raises(CcsimInputError) as e:
        build()
    message = str(e.value)
    assert field in message and "\n" not in message


@settings(max_examples=12, deadline=None)
@given(
    seed=st.integers(0, 2**16),
    resolution=st.floats(0.0, 1.0),
    redial=st.floats(0.0, 1.0),
    chase=st.floats(0.0, 1.0),
    recontact=st.floats(0.0, 0.5),
    agents=st.integers(2, 16),
    back_office_days=st.floats(0.1, 5),
)
def test_journey_logs_keep_their_promises_for_any_behaviour(
    seed, resolution, redial, chase, recontact, agents, back_office_days
):
    journeys = Journeys(
        personas=(Persona("a", 0.5, return_factor=2.0), Persona("b", 0.5)),
        redial_share=redial,
        return_delay=Exponential(DAY_S / 3),
        recontact_share=recontact,
        chase_share_per_day=chase,
    )
    types = rich_call_types(back_office=Exponential(back_office_days * DAY_S))
    types = (CallType(**{**types[0].__dict__, "resolution_share": resolution * 0.75}), *types[1:])
    r = simulate(
        days_model(days=3, calls=25, agents=agents, journeys=journeys, call_types=types, groups=rich_groups(agents)),
        seed=seed,
    )
    check_journey_log(r)
    again = simulate(r.model, seed=seed)
    assert again.contacts.equals(r.contacts) and again.issues.equals(r.issues)


def test_the_look_back_fcr_kpi_tends_to_p_and_contacts_per_issue_to_one_over_p():
    """The same analytic case through ``journey_kpis``: its 30-day FCR (with the horizon's edge) and contacts per issue."""
    from ccsim.metrics.journeys import journey_kpis

    p = 0.75
    journeys = Journeys(return_share=1.0, return_delay=Exponential(1800), lookback_days=2)
    ct = (CallType("calls", Exponential(240), None, resolution_share=p),)
    r = simulate(days_model(days=10, calls=40, agents=40, journeys=journeys, call_types=ct, open_intervals=48), seed=12)
    k = journey_kpis(r)
    n = k["issues"]
    assert k["fcr_window_days"] == 2
    assert abs(k["fcr"] - p) < 4 * math.sqrt(p * (1 - p) / n)
    assert abs(k["fcr_agent_reported"] - p) < 4 * math.sqrt(p * (1 - p) / n)
    # issues near the end have not finished calling: contacts per issue sits a little under 1/p, never above
    assert (
        1 / p - 4 * math.sqrt((1 - p) / p**2 / n) - 0.01
        < k["contacts_per_issue"]
        < 1 / p + 4 * math.sqrt((1 - p) / p**2 / n)
    )


def test_later_contacts_take_longer_by_the_repeat_handle_time_factor():
    journeys = Journeys(return_share=1.0, return_delay=Exponential(1800), repeat_handle_time_factor=1.5)
    ct = (CallType("calls", Exponential(240), None, resolution_share=0.5),)
    r = simulate(days_model(days=4, calls=40, agents=60, journeys=journeys, call_types=ct, open_intervals=48), seed=3)
    c = r.contacts[r.contacts["outcome"] == "answered"]
    first = c.loc[c["contact_seq"] == 1, "handle_time_s"].mean()
    later = c.loc[c["contact_seq"] > 1, "handle_time_s"].mean()
    assert 1.35 < later / first < 1.65
