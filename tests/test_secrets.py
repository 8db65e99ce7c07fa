"""Pre-shared keys: resolved at render time only, checked, and never shown."""

from __future__ import annotations

import pickle

import pytest

from idcgen.errors import InputError
from idcgen.generator.secrets import Secret, check_key, placeholder, resolve_key
from idcgen.sitemodel.ipsec import KeySource

KEY = "Kx9-Secret_Value.2024"
VENDORS = ("cisco_ios", "huawei_vrp", "junos")


def test_secret_hides_its_value_everywhere() -> None:
    secret = Secret(KEY, "environment variable X")
    assert secret.reveal() == KEY
    for text in (repr(secret), str(secret), f"{secret}", repr([secret]), repr({"k": secret})):
        assert KEY not in text
    with pytest.raises(TypeError):
        pickle.dumps(secret)


def test_resolve_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IDCGEN_TEST_PSK", KEY)
    secret = resolve_key(KeySource(env="IDCGEN_TEST_PSK"), "cisco_ios", what="ipsec[0].psk")
    assert secret.reveal() == KEY
    assert not secret.is_placeholder


def test_resolve_from_file_drops_the_trailing_newline(tmp_path) -> None:
    path = tmp_path / "office1.psk"
    path.write_text(KEY + "\n", encoding="utf-8")
    secret = resolve_key(KeySource(file=str(path)), "junos", what="ipsec[0].psk")
    assert secret.reveal() == KEY


def test_missing_variable_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("IDCGEN_TEST_MISSING", raising=False)
    with pytest.raises(InputError) as exc:
        resolve_key(KeySource(env="IDCGEN_TEST_MISSING"), "cisco_ios", what="ipsec[0].psk")
    assert "IDCGEN_TEST_MISSING" in str(exc.value)
    assert "ipsec[0].psk" in str(exc.value)


def test_unreadable_file_names_it(tmp_path) -> None:
    path = tmp_path / "absent.psk"
    with pytest.raises(InputError) as exc:
        resolve_key(KeySource(file=str(path)), "cisco_ios", what="ipsec[0].psk")
    assert str(path) in str(exc.value)


@pytest.mark.parametrize("vendor", VENDORS)
@pytest.mark.parametrize("bad", [
    "has space", "quote'd", 'dq"uote', "new\nline", "help?me", "", "x" * 101, "tab\tkey",
    "ünïcode",
])
def test_unusable_keys_are_refused_without_echo(vendor: str, bad: str) -> None:
    with pytest.raises(InputError) as exc:
        check_key(bad, vendor, where="ipsec[0].psk")
    message = str(exc.value)
    assert "ipsec[0].psk" in message
    if len(bad) > 3:
        assert bad not in message


@pytest.mark.parametrize(("vendor", "bad"), [
    ("junos", "back\\slash"), ("junos", "$9$abcdefgh"), ("junos", "$8$abcdefgh"),
    ("huawei_vrp", "%^%#abcdef%^%#"),
])
def test_vendor_specific_refusals(vendor: str, bad: str) -> None:
    with pytest.raises(InputError) as exc:
        check_key(bad, vendor, where="ipsec[0].psk")
    assert bad not in str(exc.value)


@pytest.mark.parametrize("vendor", VENDORS)
def test_every_alibaba_character_that_keeps_the_line_intact_is_accepted(vendor: str) -> None:
    safe = "aZ09~!`@#$%^&*()_-+={}[]|;:,.<>/"
    check_key(safe, vendor, where="k")
    if vendor != "junos":
        check_key("a\\b", vendor, where="k")


def test_placeholder_names_the_source_and_is_one_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALIYUN_PSK_OFFICE1", KEY)
    env = placeholder(KeySource(env="ALIYUN_PSK_OFFICE1"))
    assert env.is_placeholder
    assert env.reveal() == "<PSK-from-env:ALIYUN_PSK_OFFICE1>"
    assert KEY not in env.reveal()
    odd = placeholder(KeySource(file="/etc/idc gen/it's \"key\"?.psk"))
    text = odd.reveal()
    assert text.startswith("<PSK-from-file:")
    for ch in " '\"?\n\\":
        assert ch not in text
