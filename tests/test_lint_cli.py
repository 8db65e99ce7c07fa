"""`idcgen lint` as a command: inputs, exit codes, rule selection, formats, errors.

Most tests replace the detector, parser and rules with a small stub (`stub` fixture), so
they check this layer exactly: a config line `!! IDC301 error some message` becomes a
finding on that line. The `real` tests at the end run the whole pipeline on the
fixtures in tests/fixtures/lint and the samples in samples/running.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Interface
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from click.testing import CliRunner

from idcgen.cli import main
from idcgen.devicemodel import Device
from idcgen.findings import CloudLink, Finding

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "lint"
SAMPLES = ROOT / "samples" / "running"
NAMES = {"IDC101": "cloud-services-route-missing", "IDC301": "health-check-return-route-missing",
         "IDC402": "ipsec-cleartext-key", "IDC901": "no-cloud-link-found"}


# --------------------------------------------------------------------------- the stub
@dataclass
class FakeDetection:
    vendor: str | None
    looks_like: str | None = None
    reason: str = ""


def fake_detect(text: str) -> FakeDetection:
    if "feature nxapi" in text:
        return FakeDetection(None, "Cisco NX-OS", "feature lines")
    if text.startswith("hostname") or "\nhostname " in text:
        return FakeDetection("cisco_ios", None, "hostname")
    return FakeDetection(None, None, "no known markers")


def fake_parse(vendor: str, text: str, path: str) -> Device:
    if "!! CRASH" in text:
        raise ValueError("parser bug")
    device = Device(vendor=vendor, path=path, line_count=len(text.splitlines()))
    device.text = text  # type: ignore[attr-defined]  # the stub rules read it back
    return device


def fake_run_rules(device: Device, *, select: list[str], ignore: list[str],
                   **_: Any) -> SimpleNamespace:
    """The rules' stand-in: one finding per `!! IDCnnn` line, selected as run_rules does
    (the one rule-selection pass), so the CLI's option passing is what is tested."""
    from idcgen.rules.base import selected

    findings = []
    for number, line in enumerate(device.text.splitlines(), start=1):  # type: ignore[attr-defined]
        if line.startswith("!! IDC"):
            _, rule, severity, message = line.split(" ", 3)
            if not selected(rule, select, ignore):
                continue
            findings.append(Finding(rule, NAMES[rule], severity, number, message,
                                    fix=[f"fix for {rule}", " indented"]))
    link = CloudLink("Gi0/0/1", IPv4Interface("10.10.10.2/30"), IPv4Address("10.10.10.1"),
                     source="inferred: test stub")
    return SimpleNamespace(links=[link], findings=findings)


@pytest.fixture
def stub(monkeypatch: pytest.MonkeyPatch) -> None:
    import idcgen.lint

    monkeypatch.setattr(idcgen.lint, "_detect", fake_detect)
    monkeypatch.setattr(idcgen.lint, "_parse", fake_parse)
    monkeypatch.setattr(idcgen.lint, "_run_rules", fake_run_rules)
    monkeypatch.delenv("IDCGEN_DEBUG", raising=False)


def run(*args: str, input: bytes | str | None = None) -> Any:
    runner = CliRunner(mix_stderr=False) if _click_mixes_stderr() else CliRunner()
    return runner.invoke(main, ["lint", *args], input=input, catch_exceptions=False)


def _click_mixes_stderr() -> bool:
    import inspect

    return "mix_stderr" in inspect.signature(CliRunner.__init__).parameters


def write(directory: Path, name: str, text: str) -> str:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(path)


CLEAN = "hostname r1\ninterface Gi0/0/1\n ip address 10.10.10.2 255.255.255.252\n"
ERROR = "hostname r2\n!! IDC301 error no /32 return route for 192.168.10.2\n"
WARNING = "hostname r3\n!! IDC402 warning a pre-shared key is stored in clear text\n"
INFO = "hostname r4\n!! IDC901 info no cloud-facing link found\n"
MIXED = ("hostname r5\n!! IDC301 error no /32 return route\n"
         "!! IDC402 warning cleartext key\n!! IDC901 info nothing\n")
NXOS = "hostname leaf1\nfeature nxapi\n"


# --------------------------------------------------------------------------- exit codes
def test_clean_config_exits_0_and_is_reported(stub: None, tmp_path: Path) -> None:
    path = write(tmp_path, "r1.cfg", CLEAN)
    result = run(path)
    assert result.exit_code == 0
    assert f"{path} (cisco_ios)" in result.stdout
    assert "Gi0/0/1  10.10.10.2/30 -> 10.10.10.1  (inferred: test stub)" in result.stdout
    assert "no findings" in result.stdout
    assert result.stdout.rstrip().endswith("1 file: 0 errors, 0 warnings, 0 info")


def test_error_finding_exits_1(stub: None, tmp_path: Path) -> None:
    result = run(write(tmp_path, "r2.cfg", ERROR))
    assert result.exit_code == 1
    assert "IDC301 health-check-return-route-missing" in result.stdout
    assert "fix: fix for IDC301" in result.stdout


@pytest.mark.parametrize(("text", "fail_on", "code"), [
    (WARNING, "error", 0), (WARNING, "warning", 1), (WARNING, "info", 1),
    (INFO, "error", 0), (INFO, "warning", 0), (INFO, "info", 1),
    (ERROR, "error", 1), (CLEAN, "info", 0),
])
def test_fail_on_threshold(stub: None, tmp_path: Path, text: str, fail_on: str,
                           code: int) -> None:
    assert run(write(tmp_path, "r.cfg", text), "--fail-on", fail_on).exit_code == code


@pytest.mark.parametrize(("options", "rules"), [
    ([], ["IDC301", "IDC402", "IDC901"]),
    (["--select", "IDC4"], ["IDC402"]),
    (["--select", "idc3,IDC9"], ["IDC301", "IDC901"]),
    (["--ignore", "IDC3"], ["IDC402", "IDC901"]),
    (["--select", "IDC", "--ignore", "IDC301,IDC9"], ["IDC402"]),
    (["--select", "IDC301", "--ignore", "IDC3"], []),
])
def test_select_and_ignore_take_ids_and_prefixes(stub: None, tmp_path: Path,
                                                 options: list[str], rules: list[str]) -> None:
    result = run(write(tmp_path, "r.cfg", MIXED), "--format", "json", *options)
    found = [f["rule"] for f in json.loads(result.stdout)["files"][0]["findings"]]
    assert found == rules
    assert result.exit_code == (1 if "IDC301" in rules else 0)


def test_unknown_rule_id_is_a_usage_error(stub: None, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import idcgen.rules

    monkeypatch.setattr(idcgen.rules, "CATALOGUE", dict.fromkeys(NAMES), raising=False)
    result = run(write(tmp_path, "r.cfg", MIXED), "--select", "IDC7")
    assert result.exit_code == 2
    assert "'IDC7' matches no rule id" in result.stderr
    assert result.stdout == ""


# --------------------------------------------------------------------------- inputs
def test_directory_is_walked_sorted_skipping_hidden(stub: None, tmp_path: Path) -> None:
    write(tmp_path, "b.cfg", CLEAN)
    write(tmp_path, "a.cfg", ERROR)
    write(tmp_path, "sub/c.cfg", WARNING)
    write(tmp_path, ".hidden.cfg", NXOS)
    write(tmp_path, ".git/config", NXOS)
    result = run(str(tmp_path), "--format", "json")
    paths = [f["path"] for f in json.loads(result.stdout)["files"]]
    assert paths == [str(tmp_path / "a.cfg"), str(tmp_path / "b.cfg"),
                     str(tmp_path / "sub" / "c.cfg")]
    assert result.exit_code == 1


def test_directory_skips_non_configs_but_not_other_platforms(stub: None,
                                                             tmp_path: Path) -> None:
    write(tmp_path, "README.md", "# backups of the border routers\n")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    write(tmp_path, "nexus.cfg", NXOS)
    write(tmp_path, "r1.cfg", CLEAN)
    result = run(str(tmp_path), "--format", "json")
    assert result.exit_code == 2  # the NX-OS config is an error, the others are not
    assert f"{tmp_path / 'README.md'}: skipped, not a router config" in result.stderr
    assert f"{tmp_path / 'logo.png'}: skipped, not a router config" in result.stderr
    files = json.loads(result.stdout)["files"]
    assert [Path(f["path"]).name for f in files] == ["nexus.cfg", "r1.cfg"]
    assert files[0]["error"] == "unsupported platform (looks like Cisco NX-OS)"


def test_directory_without_any_config_is_an_input_error(stub: None, tmp_path: Path) -> None:
    write(tmp_path, "README.md", "# nothing here\n")
    result = run(str(tmp_path))
    assert result.exit_code == 2
    assert f"{tmp_path}: directory holds no router config" in result.stderr


def test_named_non_config_file_is_an_error(stub: None, tmp_path: Path) -> None:
    result = run(write(tmp_path, "README.md", "# notes\n"), write(tmp_path, "r.cfg", CLEAN))
    assert result.exit_code == 2
    assert "README.md: unsupported platform (not recognised" in result.stderr


def test_empty_directory_is_an_input_error(stub: None, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run(str(tmp_path / "empty"))
    assert result.exit_code == 2
    assert "directory holds no files to lint" in result.stderr


def test_stdin(stub: None) -> None:
    result = run("-", "--format", "json", input=ERROR.encode())
    report = json.loads(result.stdout)
    assert report["files"][0]["path"] == "<stdin>"
    assert report["files"][0]["findings"][0]["line"] == 2
    assert result.exit_code == 1


def test_bom_and_crlf_keep_line_numbers(stub: None, tmp_path: Path) -> None:
    path = tmp_path / "win.cfg"
    path.write_bytes(b"\xef\xbb\xbfhostname r\r\n!\r\n!! IDC402 warning crlf\r\n")
    finding = json.loads(run(str(path), "--format", "json").stdout)["files"][0]["findings"][0]
    assert finding["line"] == 3
    assert finding["message"] == "crlf"


def test_utf16_file_is_decoded(stub: None, tmp_path: Path) -> None:
    path = tmp_path / "utf16.cfg"
    path.write_bytes(ERROR.encode("utf-16"))
    result = run(str(path), "--format", "json")
    assert json.loads(result.stdout)["files"][0]["vendor"] == "cisco_ios"


def test_unsupported_platform_exits_2_and_others_are_still_reported(
        stub: None, tmp_path: Path) -> None:
    nxos = write(tmp_path, "nx.cfg", NXOS)
    good = write(tmp_path, "r2.cfg", ERROR)
    result = run(nxos, good)
    assert result.exit_code == 2
    assert f"{nxos}: unsupported platform (looks like Cisco NX-OS)" in result.stderr
    assert f"{good} (cisco_ios)" in result.stdout
    assert "IDC301" in result.stdout
    assert "2 files, 1 not linted: 1 error" in result.stdout


def test_unrecognised_text_names_the_way_out(stub: None, tmp_path: Path) -> None:
    result = run(write(tmp_path, "notes.txt", "just some notes\n"))
    assert result.exit_code == 2
    assert "unsupported platform (not recognised as" in result.stderr
    assert "--vendor" in result.stderr


def test_vendor_option_skips_detection(stub: None, tmp_path: Path) -> None:
    result = run(write(tmp_path, "x.cfg", "!! IDC402 warning x\n"), "--vendor", "ios")
    assert result.exit_code == 0
    assert "(cisco_ios)" in result.stdout


def test_missing_file_exits_2_and_others_are_still_reported(stub: None, tmp_path: Path) -> None:
    good = write(tmp_path, "r1.cfg", CLEAN)
    missing = str(tmp_path / "nope.cfg")
    result = run(missing, good, "--format", "json")
    assert result.exit_code == 2
    assert f"{missing}: cannot read: No such file or directory" in result.stderr
    files = json.loads(result.stdout)["files"]
    assert files[0]["error"] == "cannot read: No such file or directory"
    assert files[1]["path"] == good and "error" not in files[1]


def test_binary_garbage_is_refused_without_traceback(stub: None, tmp_path: Path) -> None:
    path = tmp_path / "image.png"
    path.write_bytes(bytes(range(256)) * 40)
    result = run(str(path))
    assert result.exit_code == 2
    assert "binary file, not a router config" in result.stderr


def test_undecodable_bytes_do_not_crash(stub: None, tmp_path: Path) -> None:
    path = tmp_path / "latin1.cfg"
    path.write_bytes(b"hostname r\xe9seau\n!! IDC402 warning caf\xe9\n")
    result = run(str(path), "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["files"][0]["findings"][0]["message"] == "caf\ufffd"


def test_a_crash_in_one_file_does_not_hide_the_others(stub: None, tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.cfg", "hostname x\n!! CRASH\n")
    good = write(tmp_path, "good.cfg", ERROR)
    result = run(bad, good)
    assert result.exit_code == 2
    assert f"{bad}: internal error: ValueError: parser bug" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "IDC301" in result.stdout


def test_invalid_site_model_exits_2_before_linting(stub: None, tmp_path: Path) -> None:
    config = write(tmp_path, "r.cfg", ERROR)
    site = write(tmp_path, "site.yaml", "site: x\nhostname: r1\nlines: 12\n")
    result = run(config, "--site", site)
    assert result.exit_code == 2
    assert "site.yaml" in result.stderr
    assert result.stdout == ""


# --------------------------------------------------------------------------- formats
def test_json_output_shape(stub: None, tmp_path: Path) -> None:
    result = run(write(tmp_path, "r.cfg", MIXED), "--format", "json")
    report = json.loads(result.stdout)
    assert set(report) == {"tool", "files", "summary"}
    assert report["summary"] == {"error": 1, "warning": 1, "info": 1}
    assert report["files"][0]["findings"][0] == {
        "rule": "IDC301", "name": "health-check-return-route-missing", "severity": "error",
        "line": 2, "message": "no /32 return route", "fix": "fix for IDC301\n indented"}


def test_sarif_output_validates(stub: None, tmp_path: Path) -> None:
    import jsonschema

    schema = json.loads((Path(__file__).parent / "fixtures" / "sarif" /
                         "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    result = run(write(tmp_path, "r.cfg", MIXED), write(tmp_path, "nx.cfg", NXOS),
                 "--format", "sarif")
    assert result.exit_code == 2
    log = json.loads(result.stdout)
    jsonschema.Draft4Validator(schema).validate(log)
    assert [r["ruleId"] for r in log["runs"][0]["results"]] == ["IDC301", "IDC402", "IDC901"]


def test_text_output_has_no_escape_codes_in_a_pipe(stub: None, tmp_path: Path) -> None:
    result = run(write(tmp_path, "r.cfg", MIXED))
    assert "\x1b[" not in result.stdout + result.stderr


# --------------------------------------------------------------------------- subprocess
def _idcgen(*args: str, cwd: Path | None = None,
            input: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("IDCGEN_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "idcgen", *args], cwd=cwd, input=input,
                          capture_output=True, timeout=120, env=env)


def test_subprocess_input_errors_exit_2_without_traceback(tmp_path: Path) -> None:
    garbage = tmp_path / "blob.bin"
    garbage.write_bytes(os.urandom(4096) + b"\x00")
    proc = _idcgen("lint", str(garbage), str(tmp_path / "missing.cfg"))
    assert proc.returncode == 2
    stderr = proc.stderr.decode()
    assert "Traceback" not in stderr
    assert f"{garbage}: binary file, not a router config" in stderr
    assert "missing.cfg: cannot read:" in stderr


def test_subprocess_usage_error_exits_2() -> None:
    proc = _idcgen("lint", "x.cfg", "--format", "yaml")
    assert proc.returncode == 2
    assert b"Traceback" not in proc.stderr


# --------------------------------------------------------------------------- real pipeline
@pytest.fixture
def real() -> None:
    """The whole pipeline: detector, the three parsers, the rules (no stubs)."""
    import idcgen.rules
    import idcgen.vendors.cisco_ios.parser
    import idcgen.vendors.detect
    import idcgen.vendors.huawei_vrp.parser
    import idcgen.vendors.junos.parser  # noqa: F401

    assert callable(idcgen.rules.run_rules)


SECRETS = {"cisco-cleartext-psk.cfg": "Sup3r-Secret-Known-PSK-4711"}


@pytest.mark.parametrize("fmt", ["text", "json", "sarif"])
def test_report_never_contains_the_key(real: None, fmt: str) -> None:
    configs = [str(FIXTURES / "cisco-cleartext-psk.cfg"),
               str(SAMPLES / "huawei-dual-line-broken.cfg")]
    result = run(*configs, "--format", fmt)
    output = result.stdout + result.stderr
    for key in (*SECRETS.values(), "Demo-Cleartext-Key-7391"):
        assert key not in output
    assert "IDC402" in output


def test_unsupported_platform_is_named(real: None) -> None:
    result = run(str(FIXTURES / "nxos-switch.cfg"), str(FIXTURES / "cisco-no-cloud.cfg"))
    assert result.exit_code == 2
    assert "nxos-switch.cfg: unsupported platform (looks like" in result.stderr
    assert "NX-OS" in result.stderr
    assert "cisco-no-cloud.cfg (cisco_ios)" in result.stdout


def test_config_without_cloud_link_says_so_and_passes(real: None) -> None:
    path = str(FIXTURES / "cisco-no-cloud.cfg")
    result = run(path, "--format", "json")
    assert result.exit_code == 0
    rules = [f["rule"] for f in json.loads(result.stdout)["files"][0]["findings"]]
    assert rules == ["IDC901"]
    assert run(path, "--fail-on", "info").exit_code == 1


def test_missing_cloud_services_route(real: None) -> None:
    result = run(str(FIXTURES / "cisco-missing-cloud-services.cfg"), "--format", "json")
    entry = json.loads(result.stdout)["files"][0]
    assert entry["cloud_links"] and entry["cloud_links"][0]["source"].startswith("inferred")
    assert "IDC101" in [f["rule"] for f in entry["findings"]]
    assert result.exit_code == 1


@pytest.mark.parametrize(("name", "vendor", "code"), [
    ("cisco-dual-line-broken.cfg", "cisco_ios", 1),
    ("cisco-dual-line-clean.cfg", "cisco_ios", 0),
    ("huawei-dual-line-broken.cfg", "huawei_vrp", 1),
    ("junos-dual-line-broken-set.cfg", "junos", 1),
    ("junos-dual-line-clean.cfg", "junos", 0),
])
def test_samples(real: None, name: str, vendor: str, code: int) -> None:
    result = run(str(SAMPLES / name), "--site", str(ROOT / "samples" / "dual-line-ecmp.yaml"),
                 "--format", "json")
    entry = json.loads(result.stdout)["files"][0]
    assert entry["vendor"] == vendor
    assert result.exit_code == code, entry["findings"]
    if code == 0:
        assert [f for f in entry["findings"] if f["severity"] != "info"] == []


def test_broken_samples_show_their_health_check_problems(real: None) -> None:
    site = str(ROOT / "samples" / "dual-line-ecmp.yaml")
    expected = {"cisco-dual-line-broken.cfg": {"IDC301", "IDC303"},
                "huawei-dual-line-broken.cfg": {"IDC102", "IDC302", "IDC303", "IDC401",
                                                "IDC402"},
                "junos-dual-line-broken-set.cfg": {"IDC104", "IDC303", "IDC304"}}
    for name, rules in expected.items():
        result = run(str(SAMPLES / name), "--site", site, "--format", "json")
        found = {f["rule"] for f in json.loads(result.stdout)["files"][0]["findings"]}
        assert rules <= found, (name, found)


def test_lint_without_site_imports_neither_pydantic_nor_jinja2(real: None) -> None:
    code = ("import sys\nfrom idcgen.cli import main\n"
            "try:\n    main(['lint', sys.argv[1]])\nexcept SystemExit:\n    pass\n"
            "print('heavy:', sorted(m for m in ('pydantic', 'jinja2') if m in sys.modules),"
            " file=sys.stderr)\n")
    proc = subprocess.run([sys.executable, "-c", code, str(SAMPLES / "cisco-dual-line-clean.cfg")],
                          capture_output=True, timeout=120)
    assert b"heavy: []" in proc.stderr, proc.stderr.decode()


def test_subprocess_pipe_output_is_plain(real: None) -> None:
    proc = _idcgen("lint", str(SAMPLES / "cisco-dual-line-broken.cfg"))
    assert proc.returncode in (0, 1)
    assert b"\x1b[" not in proc.stdout
    assert b"cisco-dual-line-broken.cfg (cisco_ios)" in proc.stdout


def test_subprocess_stdin(real: None) -> None:
    data = (SAMPLES / "junos-dual-line-clean.cfg").read_bytes()
    proc = _idcgen("lint", "-", "--format", "json", input=data)
    report = json.loads(proc.stdout)
    assert report["files"][0]["path"] == "<stdin>"
    assert report["files"][0]["vendor"] == "junos"


def test_real_sarif_of_the_samples_validates(real: None) -> None:
    import jsonschema

    schema = json.loads((Path(__file__).parent / "fixtures" / "sarif" /
                         "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    result = run(*sorted(str(p) for p in SAMPLES.glob("*.cfg")),
                 str(FIXTURES / "nxos-switch.cfg"), "--format", "sarif")
    log = json.loads(result.stdout)
    jsonschema.Draft4Validator(schema).validate(log)
    run_ = log["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    assert {r["id"] for r in rules} >= {"IDC101", "IDC303", "IDC901"}
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in run_["results"])
    assert run_["invocations"][0]["executionSuccessful"] is False


def test_gc_state_is_restored_after_each_file(stub: None, tmp_path: Path) -> None:
    import gc

    from idcgen.lint import lint_path

    assert gc.isenabled()
    lint_path(write(tmp_path, "ok.cfg", ERROR))
    assert gc.isenabled()
    lint_path(write(tmp_path, "bad.cfg", "hostname x\n!! CRASH\n"))
    assert gc.isenabled()


def test_form_feed_and_unicode_separators_do_not_shift_line_numbers():
    # str.splitlines() would split at \x0c / \u2028; an editor does not, so neither do we
    from idcgen.lint import lint_text

    text = ("hostname r1\n"
            "banner motd ^C\x0cwelcome\u2028^C\n"
            "ip route 100.64.0.0 255.192.0.0 10.10.10.1\n"
            "ip route 100.64.0.0 255.192.0.0 10.10.10.1\n")
    result = lint_text(text, "r1.cfg", vendor="cisco_ios")
    duplicate = [f for f in result.findings if f.rule == "IDC202"]
    assert [f.line for f in duplicate] == [4]
