"""Hostile and malformed site models and key files (issue #14): every problem is a
located, user-level message; nothing expands, recurses or reads without bound."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from idcgen.cli import main
from idcgen.errors import InputError
from idcgen.generator.secrets import KEY_FILE_LIMIT, resolve_key
from idcgen.sitemodel import load_site
from idcgen.sitemodel.ipsec import KeySource
from idcgen.sitemodel.loader import MAX_VALUES

ROOT = Path(__file__).resolve().parent.parent
SINGLE = (ROOT / "samples" / "single-line.yaml").read_text()
VPN = (ROOT / "samples" / "vpn-offices.yaml").read_text()
KEY = "Kx9-Secret_Value.2024"


def problems(text: str) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_site("site.yaml", text)
    return [str(p) for p in caught.value.problems]


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def test_billion_laughs_is_refused_at_a_place() -> None:
    lol = "a: &a [" + ", ".join(["lol"] * 9) + "]\n"
    for level, prev in zip("bcdefg", "abcdef", strict=True):
        lol += f"{level}: &{level} [" + ", ".join([f"*{prev}"] * 9) + "]\n"
    [message] = problems(lol + SINGLE)
    assert message.startswith("site.yaml:") and f"more than {MAX_VALUES:,} values" in message


def test_a_recursive_alias_is_refused_at_its_place() -> None:
    text = SINGLE + "extra: &loop [*loop]\n"
    [message] = problems(text)
    assert message.startswith(f"site.yaml:{line_of(text, 'extra:')}:")
    assert "contains itself" in message


@pytest.mark.parametrize(("value", "expected"), [
    ("1" * 5000, "is not an integer (5,000 digits"),
    ("!!int abc", "'abc' is not an integer"),
    ("!!float x", "'x' is not a number"),
    ("!!int ''", "'' is not an integer"),
    ("!!bool maybe", "'maybe' is not true or false"),
    ("!!binary aGVsbG8=", "YAML tag !!binary is not allowed"),
    ("!!omap [a: 1]", "YAML tag !!omap is not allowed"),
    ("!!python/object:os.system x", "YAML tag !!python/object:os.system is not allowed"),
    ("!custom 100", "YAML tag !custom is not allowed"),
    ("!!set {a, b}", "YAML tag !!set is not allowed"),
])
def test_bad_scalars_and_tags_are_located(value: str, expected: str) -> None:
    text = SINGLE.replace("vlan: 100", f"vlan: {value}", 1)
    [message] = problems(text)
    assert message.startswith(f"site.yaml:{line_of(text, 'vlan:')}:11: lines[0].vlan: ")
    assert expected in message


def test_an_impossible_date_is_plain_text_not_a_crash() -> None:
    text = SINGLE.replace("site: hangzhou-dc1", "site: 2024-13-01", 1)
    [message] = problems(text)
    assert message.startswith("site.yaml:") and "'2024-13-01'" in message


@pytest.mark.parametrize("group", [".inf", "-.inf", ".nan", "14.5", "1e400", "'١٤'"])
def test_odd_numbers_as_dh_group_are_located(group: str) -> None:
    text = VPN.replace("dh_group: 14", f"dh_group: {group}", 1)
    [message] = problems(text)
    assert message.startswith(f"site.yaml:{line_of(text, 'dh_group:')}:")
    assert "ipsec[0].ike.dh_group" in message and "is not a DH group" in message


def test_a_whole_number_float_is_still_a_dh_group() -> None:
    site = load_site("site.yaml", VPN.replace("dh_group: 14", "dh_group: 14.0", 1))
    assert site.ipsec[0].ike.dh_group == 14


def test_many_copies_of_one_network_give_one_capped_error_each() -> None:
    copies = "".join("  - 172.20.0.0/16\n" for _ in range(2000))
    text = SINGLE.replace("cloud_networks:", "onprem_networks:\n" + copies + "cloud_networks:", 1)
    found = problems(text)
    first = line_of(text, "172.20.0.0/16")
    assert len(found) == 6
    assert found[0] == (f"site.yaml:{first + 1}:5: onprem_networks[1]: 172.20.0.0/16 overlaps "
                        "on-premises network 172.20.0.0/16")
    assert found[-1].endswith("onprem_networks[6]: ... and 1,994 more problems like these in "
                              "onprem_networks[]")


def test_nested_and_partial_overlaps_are_each_reported_once() -> None:
    nets = "  - 10.0.0.0/8\n  - 10.1.0.0/16\n  - 192.168.5.0/24\n  - 10.1.2.0/24\n"
    text = SINGLE.replace("cloud_networks:", "onprem_networks:\n" + nets + "cloud_networks:", 1)
    found = problems(text)
    assert [m.split(": ", 2)[1:] for m in found] == [
        ["onprem_networks[1]", "10.1.0.0/16 overlaps on-premises network 10.0.0.0/8"],
        ["onprem_networks[2]", "192.168.5.0/24 overlaps cloud network prod (192.168.0.0/16)"],
        ["onprem_networks[3]", "10.1.2.0/24 overlaps on-premises network 10.0.0.0/8"],
    ]


# --------------------------------------------------------------------------- key files
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_key_file_that_is_a_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "office1.psk"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="cannot read key file .*FIFO"):
        resolve_key(KeySource(file=str(fifo)), "cisco_ios", what="ipsec[0].psk")


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
def test_key_file_that_is_a_device_is_refused(device: str) -> None:
    with pytest.raises(InputError, match=f"cannot read key file {device}: a character device"):
        resolve_key(KeySource(file=device), "cisco_ios", what="ipsec[0].psk")


def test_enormous_key_file_is_refused_without_showing_it(tmp_path: Path) -> None:
    path = tmp_path / "office1.psk"
    path.write_text(KEY * (KEY_FILE_LIMIT // len(KEY) + 1))
    with pytest.raises(InputError) as caught:
        resolve_key(KeySource(file=str(path)), "cisco_ios", what="ipsec[0].psk")
    assert "larger than 4 KiB" in str(caught.value) and KEY not in str(caught.value)


def test_key_file_named_dash_is_a_file_not_stdin(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "-").write_text(KEY + "\n")
    secret = resolve_key(KeySource(file="-"), "cisco_ios", what="ipsec[0].psk")
    assert secret.reveal() == KEY


def test_env_key_with_trailing_newline_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IDCGEN_TEST_PSK", KEY + "\n")
    with pytest.raises(InputError) as caught:
        resolve_key(KeySource(env="IDCGEN_TEST_PSK"), "cisco_ios", what="ipsec[0].psk")
    assert "ends with a line break" in str(caught.value) and KEY not in str(caught.value)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_check_on_a_fifo_site_model_does_not_wait(tmp_path: Path) -> None:
    fifo = tmp_path / "site.yaml"
    os.mkfifo(fifo)
    result = CliRunner().invoke(main, ["check", str(fifo)])
    assert result.exit_code == 2 and "FIFO" in result.stderr


# --------------------------------------------------------------------------- indexes
def test_overlap_indexes_agree_with_the_pairwise_definition() -> None:
    """The sweep and the prefix index give what checking every pair would (fixed seed)."""
    import random
    from ipaddress import IPv4Network

    from idcgen.sitemodel.overlaps import PrefixIndex, lowest_overlapping

    rng = random.Random(14)

    def net() -> IPv4Network:
        length = rng.choice((8, 12, 16, 20, 24, 28, 32))
        return IPv4Network((rng.choice((10, 172, 192)) << 24 | rng.getrandbits(24),
                            length), strict=False)

    targets = [net() for _ in range(300)]
    queries = [net() for _ in range(300)] + targets[:50]
    want = [next((i for i, t in enumerate(targets) if t.overlaps(q)), None) for q in queries]
    assert lowest_overlapping(queries, targets) == want
    keyed = [(t, (i // 7, i % 7)) for i, t in enumerate(targets)]
    index = PrefixIndex(keyed)
    for q in queries:
        for strict in (False, True):
            hits = [(key, t) for t, key in keyed if t.overlaps(q) and not (strict and t == q)]
            got = index.first_overlapping(q, strict=strict)
            assert (got[0] if got else None) == (min(hits)[0] if hits else None), (q, strict)


def test_many_overlapping_offices_are_checked_in_bounded_time(tmp_path) -> None:
    """Two IPsec offices whose 1,500 selectors each partly overlap: one error per network,
    capped in the output, and no pairwise check (a 107 KB model like this took 20 s).
    Not a timing test: the result is asserted; bench/fuzz.py measures the time."""
    import yaml

    from idcgen.errors import InputError
    from idcgen.sitemodel import load_site

    model = yaml.safe_load((ROOT / "samples" / "vpn-offices.yaml").read_text())
    first = model["ipsec"][0]
    first["local_networks"] = [f"10.{i // 250}.{i % 250}.0/24" for i in range(1500)]
    second = {**first, "name": "office2", "gateway_ip": "6.6.6.6",
              "local_networks": [f"10.{i // 250}.{i % 250}.0/25" for i in range(1500)]}
    model["ipsec"] = [first, second]
    site_file = tmp_path / "many.yaml"
    site_file.write_text(yaml.safe_dump(model))
    with pytest.raises(InputError) as caught:
        load_site(site_file)
    messages = [p.message for p in caught.value.problems]
    overlaps = [m for m in messages if "overlaps ipsec[0] (" in m]
    assert overlaps and overlaps[0].startswith("10.0.0.0/25 overlaps ipsec[0]")
    assert len(messages) < 40 and any("more" in m for m in messages), messages[:8]
