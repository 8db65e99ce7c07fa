"""Long fuzzing run: mutated running configs and site models through lint / load_site.

    python bench/fuzz.py                                # 100,000 configs, 20,000 site models
    python bench/fuzz.py --corpus ../shared/corpus --configs 100000 --sites 20000 --seed 14
    python bench/fuzz.py --configs 2000 --sites 500     # a quick look

Seeds: every config in --corpus (MANIFEST.tsv layout, optional), samples/running,
tests/fixtures; the site models in samples/ and tests/fixtures/rules/sites. Each mutant is
1-6 mutations (tests/mutations.py: line delete/duplicate/swap, token replacement with long
numbers, Unicode digits, random words, truncation, CRLF/tabs/NUL, unbalanced braces, deep
nesting or indentation, long lines; for YAML also aliases and tags), kept when it is under
100 KB. Pass criteria (issue #14): 0 uncaught exceptions, 0 swallowed internal errors
(and no site-model problem without a place), every input handled in under 2 s. One
process, in-process calls; prints the counts, outcome mix, slowest inputs and failures,
and exits 1 if any criterion failed. Failing inputs are written to bench/out/fuzz/.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))

from mutations import (  # noqa: E402 - after the path setup
    OPS,
    YAML_OPS,
    Failure,
    check_config,
    check_site,
    mutate,
    random_ops,
)

MAX_INPUT = 100_000
BUDGET_S = 2.0


def config_seeds(corpus: Path | None) -> list[str]:
    paths = sorted((ROOT / "samples" / "running").glob("*.cfg"))
    paths += sorted(p for p in (ROOT / "tests" / "fixtures").rglob("*")
                    if p.suffix in (".cfg", ".conf", ".set", ".txt") and p.is_file())
    if corpus is not None:
        paths += sorted(p for p in corpus.rglob("*") if p.is_file()
                        and p.name not in ("MANIFEST.tsv", "README.md"))
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in paths]
    return [t for t in texts if t.strip() and len(t) < MAX_INPUT]


def site_seeds() -> list[str]:
    paths = sorted((ROOT / "samples").glob("*.yaml"))
    paths += sorted((ROOT / "tests" / "fixtures").rglob("*.yaml"))
    return [p.read_text(encoding="utf-8") for p in paths]


def run(kind: str, seeds: list[str], count: int, rng: random.Random,
        out_dir: Path) -> tuple[int, list[str]]:
    check = check_config if kind == "config" else check_site
    ops_kinds = OPS if kind == "config" else YAML_OPS
    outcomes: Counter[str] = Counter()
    failures: list[str] = []
    slowest: list[tuple[float, int, int]] = []
    total = 0.0
    done = 0
    started = time.perf_counter()
    while done < count:
        text = mutate(rng.choice(seeds), random_ops(rng, ops_kinds))
        if len(text.encode("utf-8", errors="surrogatepass")) >= MAX_INPUT:
            continue
        done += 1
        t0 = time.perf_counter()
        try:
            outcomes[check(text)] += 1
        except Failure as exc:
            outcomes["FAILURE"] += 1
            path = out_dir / f"{kind}-{done}.txt"
            path.write_text(text, encoding="utf-8", errors="surrogatepass")
            failures.append(f"{path}: {exc}")
        elapsed = time.perf_counter() - t0
        total += elapsed
        slowest.append((elapsed, done, len(text)))
        if len(slowest) > 200:
            slowest = sorted(slowest, reverse=True)[:5]
        if elapsed >= BUDGET_S:
            path = out_dir / f"{kind}-{done}-slow.txt"
            path.write_text(text, encoding="utf-8", errors="surrogatepass")
            failures.append(f"{path}: took {elapsed:.2f} s (budget {BUDGET_S} s)")
        if done % 10_000 == 0:
            print(f"  {kind}: {done:,} ({time.perf_counter() - started:.0f} s)", flush=True)
    top = sorted(slowest, reverse=True)[:5]
    print(f"{kind}s: {done:,} inputs in {time.perf_counter() - started:.1f} s wall "
          f"({total / done * 1000:.1f} ms mean); outcomes "
          + ", ".join(f"{k} {v:,}" for k, v in sorted(outcomes.items())))
    print("  slowest: " + ", ".join(f"{t * 1000:.0f} ms ({size:,} chars)"
                                     for t, _, size in top))
    return done, failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--configs", type=int, default=100_000)
    parser.add_argument("--sites", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    out_dir = HERE / "out" / "fuzz"
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    configs = config_seeds(args.corpus)
    sites = site_seeds()
    print(f"idcgen fuzz: seed {args.seed}; {len(configs)} config seeds, {len(sites)} site seeds")
    failures: list[str] = []
    if args.configs:
        failures += run("config", configs, args.configs, rng, out_dir)[1]
    if args.sites:
        failures += run("site", sites, args.sites, rng, out_dir)[1]
    for line in failures[:50]:
        print("FAIL", line)
    print(f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
