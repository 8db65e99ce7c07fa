"""Bounded fuzzing in the suite (issue #14): mutated sample configs and site models must
never raise, never hide an internal error, and site-model problems always have a place.

Fixed seed (derandomize) and a modest example count keep it deterministic and fast; the
long run (100,000 configs, 20,000 site models, timings) is `python bench/fuzz.py`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mutations import OPS, TOKENS, YAML_OPS, Failure, Op, check_config, check_site, mutate

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = [p.read_text() for p in sorted((ROOT / "samples" / "running").glob("*.cfg"))]
CONFIGS += [p.read_text() for p in sorted((ROOT / "tests" / "fixtures" / "parse").rglob("*"))
            if p.is_file()]
SITES = [p.read_text() for p in sorted((ROOT / "samples").glob("*.yaml"))]

FUZZ = settings(max_examples=300, derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def ops(kinds: tuple[str, ...]) -> st.SearchStrategy[list[Op]]:
    op = st.builds(Op, st.sampled_from(kinds), st.integers(0, 1 << 30), st.sampled_from(TOKENS))
    return st.lists(op, min_size=1, max_size=6)


def test_seeds_are_real_and_clean() -> None:
    # the fuzz test means nothing if its seeds do not parse as configs in the first place
    assert len(CONFIGS) >= 10 and len(SITES) >= 5
    assert {check_config(text) for text in CONFIGS} <= {"ok", "findings"}
    assert {check_site(text) for text in SITES} == {"ok"}


@FUZZ
@given(seed=st.sampled_from(CONFIGS), mutation=ops(OPS))
def test_mutated_configs_never_crash(seed: str, mutation: list[Op]) -> None:
    check_config(mutate(seed, mutation))


@FUZZ
@given(seed=st.sampled_from(SITES), mutation=ops(YAML_OPS))
def test_mutated_site_models_never_crash(seed: str, mutation: list[Op]) -> None:
    check_site(mutate(seed, mutation))


def test_the_checks_catch_what_they_look_for(monkeypatch: pytest.MonkeyPatch) -> None:
    import idcgen.lint

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(idcgen.lint, "_run_rules", explode)
    with pytest.raises(Failure, match="uncaught RuntimeError"):
        check_config(CONFIGS[0])
    monkeypatch.undo()
    from idcgen.vendors.cisco_ios import parser as cisco

    monkeypatch.setattr(cisco._Parser, "finish", explode)
    with pytest.raises(Failure, match="swallowed internal error"):
        check_config((ROOT / "samples" / "running" / "cisco-dual-line-clean.cfg").read_text())
