"""Mutations of real configs and site models, and the checks every mutant must pass.

Shared by the bounded in-suite fuzz test (tests/test_fuzz.py, hypothesis, fixed seed)
and the long run (bench/fuzz.py). A mutation is a list of `Op`s applied in order; each op
names what it does, where (an integer taken modulo the text's size) and with what token.

The checks (issue #14): no exception escapes `lint` / `load_site`; no internal error is
swallowed (a result that says "internal" is a failure, not a pass); every input is
handled within the time budget the caller measures.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

OPS = ("delete", "duplicate", "swap", "token", "truncate", "crlf", "tab", "nul",
       "open-brace", "close-brace", "nest", "indent", "long-line")
YAML_OPS = OPS[:8] + ("alias", "tag", "indent")
TOKENS = (
    "9" * 5000, "4" * 4301, "18446744073709551617", "-1", "0", "256", "4095", "1e400",
    "٣", "２５５", "²", "१२", "255.255.255.٢٥٥", "10.0.0.1/٣٢", "1.2.3.4.5", "0x1f",
    "foo", "permit", "deny", "any", "host", "eq", "{", "}", ";", "[", "]", "\"", "'",
    "#", "!", "/*", "*/", "inactive:", "<*>", "\x00", "\t", "\u2028", "\ufeff",
    ".inf", "-.inf", ".nan", "~", "null", "2024-13-01", "!!int abc", "!!binary AAAA",
    "!!python/object:os.system", "&a", "*a", "<<", "yes", "on", "0o17", "+12",
)
YAML_TAGS = ("!!int", "!!float", "!!str", "!!binary", "!!timestamp", "!!set", "!custom",
             "!!python/tuple", "!!bool", "!!null", "!!omap")


@dataclass(frozen=True)
class Op:
    kind: str
    where: int
    token: str = ""


def random_ops(rng: random.Random, kinds: Sequence[str] = OPS, most: int = 6) -> list[Op]:
    return [Op(rng.choice(kinds), rng.randrange(1 << 30), rng.choice(TOKENS))
            for _ in range(rng.randint(1, most))]


def mutate(text: str, ops: Sequence[Op]) -> str:
    """`text` with every op applied (lines are split on `\\n`; the result may hold CR, NUL,
    tabs, unbalanced braces...)."""
    lines = text.split("\n") or [""]
    for op in ops:
        n = len(lines)
        i = op.where % n
        if op.kind == "delete" and n > 1:
            del lines[i]
        elif op.kind == "duplicate":
            lines[i:i] = [lines[i]] * (1 + op.where % 50)
        elif op.kind == "swap":
            j = (op.where // 7) % n
            lines[i], lines[j] = lines[j], lines[i]
        elif op.kind == "token":
            words = lines[i].split(" ")
            words[(op.where // 3) % len(words)] = op.token
            lines[i] = " ".join(words)
        elif op.kind == "truncate":
            joined = "\n".join(lines)
            lines = joined[: op.where % (len(joined) + 1)].split("\n")
        elif op.kind == "crlf":
            lines[i] += "\r"
        elif op.kind == "tab":
            lines[i] = "\t" + lines[i].replace(" ", "\t", 1)
        elif op.kind == "nul":
            pos = op.where % (len(lines[i]) + 1)
            lines[i] = lines[i][:pos] + "\x00" + lines[i][pos:]
        elif op.kind == "open-brace":
            lines[i] += " {"
        elif op.kind == "close-brace":
            lines.insert(i, "}" * (1 + op.where % 3))
        elif op.kind == "nest":
            depth = 10 + op.where % 3000
            lines[i:i] = ["a {"] * depth + ["b;"] + ["}"] * (depth - op.where % 2)
        elif op.kind == "indent":
            depth = op.where % 2000
            lines[i:i] = [" " * k + "x" for k in range(depth)]
        elif op.kind == "long-line":
            lines[i] += " " + "x" * (op.where % 90_000)
        elif op.kind == "alias":
            lines[i] += " &a" if op.where % 2 else " *a"
        elif op.kind == "tag":
            head, sep, value = lines[i].partition(": ")
            if sep:
                lines[i] = f"{head}: {YAML_TAGS[op.where % len(YAML_TAGS)]} {value}"
    return "\n".join(lines)


# --------------------------------------------------------------------------- checks
class Failure(AssertionError):
    """A mutant broke the contract: the message says how (never the whole input)."""


def check_config(text: str, name: str = "mutant.cfg") -> str:
    """Lint `text` as `idcgen lint` would (bytes -> decode -> lint); return an outcome
    label (`ok`, `findings`, `input-error`) or raise Failure."""
    from idcgen.lint import BINARY, decode, lint_text, looks_binary

    data = text.encode("utf-8", errors="surrogatepass")
    if looks_binary(data):
        return "input-error"  # reported as BINARY
    try:
        result = lint_text(decode(data), name)
    except Exception as exc:  # noqa: BLE001 - this is what the check looks for
        raise Failure(f"uncaught {type(exc).__name__}: {exc!s:.200}") from exc
    if result.error is not None:
        if "internal" in result.error:
            raise Failure(f"swallowed internal error: {result.error}")
        return "input-error" if result.error != BINARY else "input-error"
    for finding in result.findings:
        if "internal" in finding.message:
            raise Failure(f"swallowed internal error in {finding.rule}: {finding.message:.200}")
    return "findings" if result.findings else "ok"


def check_site(text: str, name: str = "mutant.yaml") -> str:
    """Load `text` as a site model; `ok`, `input-error`, or raise Failure (an exception
    other than InputError, or an InputError without a place)."""
    from idcgen.errors import InputError
    from idcgen.sitemodel import load_site

    try:
        load_site(name, text)
    except InputError as exc:
        for problem in exc.problems:
            if problem.location.file != name or not problem.location.line:
                raise Failure(f"problem without a place: {problem}") from exc
        return "input-error"
    except Exception as exc:  # noqa: BLE001 - this is what the check looks for
        raise Failure(f"uncaught {type(exc).__name__}: {exc!s:.200}") from exc
    return "ok"
