"""The frontier search judges a setting by the benchmark's goals: all of them at once, a run that gave
up never counts, and "the best on one goal" is taken among settings meeting the others."""

from __future__ import annotations

from benchmarks.shared_limit_frontier import AGENTS, Outcome, Trial, best, run_trial
from benchmarks.shared_limit_sim import Figures, Network, averaged
from kassasync.fortnox.aimd import AimdRules


def figures(utilisation: float, ratio_429: float, fairness: float) -> Figures:
    return Figures(utilisation=utilisation, ratio_429=ratio_429, fairness=fairness, refused=0, posted=1500)


def outcome(n3: Figures, n6: Figures, *, complete: bool = True, alone: float = 0.96) -> Outcome:
    by_agents = {1: figures(alone, 0.0, 1.0), 3: n3, 6: n6}
    return Outcome({}, by_agents, dict.fromkeys(AGENTS, complete))


def test_a_setting_meets_the_goals_only_when_every_figure_does() -> None:
    good = figures(0.91, 0.019, 0.81)
    assert outcome(good, good).meets(3)
    assert not outcome(figures(0.89, 0.019, 0.81), good).meets(3)
    assert not outcome(figures(0.91, 0.021, 0.81), good).meets(3)
    assert not outcome(figures(0.91, 0.019, 0.79), good).meets(3)
    assert not outcome(good, good, alone=0.94).meets(1)


def test_a_setting_whose_agents_gave_up_meets_nothing() -> None:
    good = figures(0.91, 0.019, 0.81)
    assert not outcome(good, good, complete=False).meets(3)


def test_the_best_on_one_goal_is_taken_among_settings_meeting_the_other_goals() -> None:
    unfair_but_few_429s = outcome(figures(0.95, 0.005, 0.5), figures(0.95, 0.005, 0.5))
    fair_with_some = outcome(figures(0.92, 0.015, 0.85), figures(0.92, 0.03, 0.85))
    found = best([unfair_but_few_429s, fair_with_some], 3, "ratio_429", lambda f: f.ratio_429, lowest=True)
    assert found is fair_with_some
    assert best([unfair_but_few_429s], 6, "ratio_429", lambda f: f.ratio_429, lowest=True) is None


def test_a_trial_of_today_s_rules_gives_the_simulation_s_own_figures() -> None:
    network = Network()
    result = run_trial(Trial({}, seeds=2, model="counter", network=network))
    for n in AGENTS:
        expected = averaged(n, AimdRules(window_s=1.0), network, 2)
        assert result.by_agents[n].ratio_429 == expected.ratio_429
        assert result.by_agents[n].fairness == expected.fairness
        assert result.complete[n]


def test_a_setting_that_ruins_the_lone_agent_is_no_answer_for_six() -> None:
    few_429s_but_slow_alone = outcome(figures(0.9, 0.01, 0.9), figures(0.92, 0.01, 0.85), alone=0.90)
    assert best([few_429s_but_slow_alone], 6, "ratio_429", lambda f: f.ratio_429, lowest=True) is None
