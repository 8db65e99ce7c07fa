"""Reports (text and JSON) built from hand-made results: the formats, not the rules."""

from __future__ import annotations

import io
import json
from ipaddress import IPv4Address, IPv4Interface

import pytest

from idcgen import __version__
from idcgen.findings import CloudLink, Finding
from idcgen.lint import exit_code
from idcgen.report import summary
from idcgen.report.json_report import render_json
from idcgen.report.text import render_text, use_colour
from idcgen.results import FileResult

LINK = CloudLink("GigabitEthernet0/0/1", IPv4Interface("10.10.10.2/30"),
                 IPv4Address("10.10.10.1"), source="inferred: description names Aliyun")


def _results() -> list[FileResult]:
    return [
        FileResult("configs/r1.cfg", "cisco_ios", [LINK], [
            Finding("IDC101", "cloud-services-route-missing", "error", 0,
                    "Nothing in 100.64.0.0/10 is routed toward a cloud-facing link.",
                    ["ip route 100.64.0.0 255.192.0.0 10.10.10.1"]),
            Finding("IDC303", "health-check-rate-limited", "error", 42,
                    "CoPP class CM-ICMP polices ICMP from 192.168.10.1.",
                    ["policy-map PM-COPP", " class CM-HC"]),
            Finding("IDC402", "ipsec-cleartext-key", "warning", 7,
                    "The pre-shared key of peer 47.0.0.161 is stored in clear text."),
        ]),
        FileResult("configs/sw.cfg", error="unsupported platform (looks like Cisco NX-OS)"),
        FileResult("configs/r2.cfg", "junos", [], [
            Finding("IDC901", "no-cloud-link-found", "info", 0, "No cloud-facing link found."),
        ]),
    ]


# --------------------------------------------------------------------------- JSON
def test_json_has_exactly_the_contract_shape() -> None:
    report = json.loads(render_json(_results()))
    assert set(report) == {"tool", "files", "summary"}
    assert report["tool"] == {"name": "idcgen", "version": __version__}
    assert report["summary"] == {"error": 2, "warning": 1, "info": 1}
    first = report["files"][0]
    assert set(first) == {"path", "vendor", "cloud_links", "rejected_links", "findings"}
    assert first["path"] == "configs/r1.cfg" and first["vendor"] == "cisco_ios"
    assert first["cloud_links"] == [{"interface": "GigabitEthernet0/0/1",
                                     "local_ip": "10.10.10.2/30", "peer_ip": "10.10.10.1",
                                     "source": "inferred: description names Aliyun",
                                     "evidence": ["inferred: description names Aliyun"]}]
    assert first["rejected_links"] == []
    for finding in first["findings"]:
        assert set(finding) == {"rule", "name", "severity", "line", "message", "fix"}
        assert isinstance(finding["line"], int) and isinstance(finding["fix"], str)
    assert first["findings"][1]["fix"] == "policy-map PM-COPP\n class CM-HC"
    assert first["findings"][2]["fix"] == ""


def test_json_keeps_failed_files_with_an_error_field() -> None:
    failed = json.loads(render_json(_results()))["files"][1]
    assert failed == {"path": "configs/sw.cfg", "vendor": None, "cloud_links": [],
                      "rejected_links": [], "findings": [],
                      "error": "unsupported platform (looks like Cisco NX-OS)"}


def test_json_link_without_addresses_is_null_not_none_string() -> None:
    link = CloudLink("Tunnel1", None, None, kind="ipsec", source="inferred: IPsec peer")
    report = json.loads(render_json([FileResult("a.cfg", "cisco_ios", [link], [])]))
    assert report["files"][0]["cloud_links"][0]["local_ip"] is None
    assert report["summary"] == {"error": 0, "warning": 0, "info": 0}


def test_summary_counts_every_severity() -> None:
    assert summary([]) == {"error": 0, "warning": 0, "info": 0}
    assert summary(_results()) == {"error": 2, "warning": 1, "info": 1}


# --------------------------------------------------------------------------- text
def test_text_groups_per_file_with_links_findings_and_fixes() -> None:
    text = render_text(_results())
    lines = text.splitlines()
    assert lines[0] == "configs/r1.cfg (cisco_ios)"
    assert lines[1] == "  cloud links:"
    assert lines[2] == ("    GigabitEthernet0/0/1  10.10.10.2/30 -> 10.10.10.1  "
                        "(inferred: description names Aliyun)")
    assert lines[3].split() [:4] == ["-", "error", "IDC101", "cloud-services-route-missing"]
    assert lines[4].strip() == "fix: ip route 100.64.0.0 255.192.0.0 10.10.10.1"
    idc303 = next(i for i, line in enumerate(lines) if "IDC303" in line)
    assert lines[idc303].split()[:3] == ["42", "error", "IDC303"]
    assert lines[idc303 + 1].strip() == "fix: policy-map PM-COPP"
    assert lines[idc303 + 2].strip() == "class CM-HC"
    # fix lines keep their own indentation below the first
    assert lines[idc303 + 2].index("class") == lines[idc303 + 1].index("policy-map") + 1
    assert "configs/sw.cfg" not in text  # failed files are reported on stderr only
    assert "configs/r2.cfg (junos)" in text
    assert lines[-1] == "3 files, 1 not linted: 2 errors, 1 warning, 1 info"


def test_text_says_no_findings_and_pluralises() -> None:
    text = render_text([FileResult("a.cfg", "huawei_vrp", [], [])])
    assert text == "a.cfg (huawei_vrp)\n  no findings\n\n1 file: 0 errors, 0 warnings, 0 info\n"


def test_text_has_no_escape_codes_unless_asked() -> None:
    assert "\x1b[" not in render_text(_results())
    coloured = render_text(_results(), colour=True)
    assert "\x1b[" in coloured
    assert "IDC303" in coloured


class _FakeTty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_only_on_a_terminal_and_never_with_no_color(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert use_colour(_FakeTty()) is True
    assert use_colour(io.StringIO()) is False
    monkeypatch.setenv("NO_COLOR", "1")
    assert use_colour(_FakeTty()) is False


# --------------------------------------------------------------------------- exit code
def test_exit_code_thresholds() -> None:
    results = _results()
    assert exit_code(results, "error") == 2  # an input error wins
    linted = [r for r in results if r.ok]
    assert exit_code(linted, "error") == 1
    only_warning = [FileResult("a", "junos", [], [Finding("IDC402", "n", "warning", 1, "m")])]
    assert exit_code(only_warning, "error") == 0
    assert exit_code(only_warning, "warning") == 1
    only_info = [FileResult("a", "junos", [], [Finding("IDC901", "n", "info", 0, "m")])]
    assert exit_code(only_info, "warning") == 0
    assert exit_code(only_info, "info") == 1
    assert exit_code([], "info") == 0


@pytest.mark.parametrize("lines_per_chunk", [1, 2, 3, 4096])
def test_text_chunks_are_whole_lines_that_join_to_the_report(lines_per_chunk: int) -> None:
    """`idcgen lint` writes the text report chunk by chunk (peak memory): every chunk
    ends a line, and together they are exactly render_text's report."""
    from idcgen.report.text import text_chunks

    results = _results() + [FileResult("b.cfg", "junos", [], [])]
    chunks = list(text_chunks(results, lines_per_chunk=lines_per_chunk))
    assert "".join(chunks) == render_text(results)
    assert all(chunk.endswith("\n") for chunk in chunks)
    if lines_per_chunk == 1:
        assert len(chunks) == render_text(results).count("\n")
