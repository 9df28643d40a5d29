"""The labs' shared cases (ccsim.labs.cases): the classroom case and the guarantees come from the preset,
lazily: importing ccsim reads no file and simulates nothing."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from dataclasses import replace

import pytest

from ccsim.errors import CcsimInputError
from ccsim.labs.cases import QueueCase, case_params, classroom_case, guarantees, queue_targets
from ccsim.metrics.scorecard import targets_from
from ccsim.scenario import load_preset
from ccsim.simulation.distributions import Exponential
from ccsim.simulation.model import CenterModel


def test_classroom_case_is_the_preset():
    preset = load_preset("classroom")
    model = preset.to_model()
    case = classroom_case()
    assert case.agents == model.agent_groups[0].agents_at(0)
    assert case.calls_per_interval == pytest.approx(model.arrivals[0].calls_per_interval[0])
    assert case.aht_s == model.call_types[0].handle_time.mean_s
    assert case.patience_s == model.call_types[0].patience.mean_s
    assert case.answer_within_s == preset.targets.answer_within_s
    assert case.sl_definition == preset.targets.service_level_definition
    assert case.intervals == model.intervals and case.interval_s == model.interval_s
    assert case.load_erlangs == pytest.approx(case.calls_per_interval / case.interval_s * case.aht_s)
    assert classroom_case() is case  # loaded once


def test_guarantees_are_the_presets_targets():
    t = load_preset("classroom").targets
    g = guarantees()
    assert g["service_level"].value == t.service_level_share and g["service_level"].answer_within_s == t.answer_within_s
    assert g["asa_s"].value == t.asa_s_max and g["abandonment_rate"].value == t.abandonment_share_max
    assert g["occupancy"].value == t.occupancy_share
    scorecard_rows = targets_from(t)
    assert all(target.kpi_target in scorecard_rows for target in g.values())
    g.pop("asa_s")  # a caller's copy: the shared targets stay whole
    assert "asa_s" in guarantees()


def test_queue_targets_follow_the_chosen_threshold():
    twenty = queue_targets({"answer_within_s": 20})["service_level"]
    assert twenty.answer_within_s == 20 and twenty.text == "target 80% in 20 s"
    assert queue_targets({})["service_level"].answer_within_s == classroom_case().answer_within_s
    assert queue_targets({"answer_within_s": 20})["asa_s"] == guarantees()["asa_s"]


def test_case_params_fill_in_from_the_case():
    case = classroom_case()
    assert case_params({}, case) == case.params()
    assert case_params({"agents": 44}, case) == {**case.params(), "agents": 44}


@pytest.mark.parametrize("hours, intervals", [(8.0, 16), (8.25, 17), (0.1, 1), (0.5, 1), (0.6, 2)])
def test_case_intervals_round_up_like_the_cli(hours, intervals):
    from ccsim.labs.queue import queue_model

    case = replace(classroom_case(), hours=hours)
    assert case.intervals == intervals
    assert queue_model({}, case).intervals == intervals


def test_case_from_a_model_without_patience_is_one_sentence():
    no_hang_ups = CenterModel.single_queue(100, 50, Exponential(400), None, intervals=4)
    with pytest.raises(CcsimInputError) as info:
        QueueCase.from_model(no_hang_ups)
    assert "patience" in info.value.field and "Erlang A" in str(info.value) and "\n" not in str(info.value)
    with_patience = CenterModel.single_queue(100, 50, Exponential(400), Exponential(300), intervals=4)
    assert QueueCase.from_model(with_patience).patience_s == 300


IMPORT_EVERYTHING = textwrap.dedent(
    """
    import builtins, importlib, io, pkgutil, sys
    opened = []
    real_open = builtins.open
    def spy(file, *args, **kwargs):
        opened.append(str(file))
        return real_open(file, *args, **kwargs)
    builtins.open = io.open = spy
    import ccsim.simulation.engine as engine
    def no_simulation(*args, **kwargs):
        raise AssertionError("simulated at import time")
    engine.simulate = no_simulation
    import ccsim
    names = [m.name for m in pkgutil.walk_packages(ccsim.__path__, "ccsim.") if not m.name.endswith("__main__")]
    for name in names:
        importlib.import_module(name)
    scenario_files = [f for f in opened if f.endswith((".toml", ".csv")) or "scenarios" in f]
    assert not scenario_files, scenario_files
    assert "ccsim.labs.lab01_queues" in sys.modules and "ccsim.views.widgets" in sys.modules
    print(len(names))
    """
)


def test_importing_ccsim_reads_no_scenario_and_simulates_nothing():
    done = subprocess.run([sys.executable, "-c", IMPORT_EVERYTHING], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout.split()[-1]) > 20  # every module was imported
