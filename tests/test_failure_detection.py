"""Failure detection per line (issue #11, "Beyond"): site model, render, refusals.

A carrier fault that leaves the port up blackholes traffic over static routes until
Alibaba's health check (8 probes 2 s apart) moves the cloud side; `failure_detection`
makes the customer side withdraw the dead line's routes sooner.
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Interface, IPv4Network
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from idcgen.cli import main
from idcgen.errors import InputError
from idcgen.generator.render import render_site
from idcgen.sitemodel import load_site

ROOT = Path(__file__).resolve().parent.parent
TRACK = ROOT / "samples" / "dual-line-track.yaml"
BFD = ROOT / "samples" / "dual-line-bfd.yaml"


def _model(path: Path) -> dict:
    return yaml.safe_load(path.read_text())


def _write(tmp_path: Path, model: dict) -> Path:
    path = tmp_path / "site.yaml"
    path.write_text(yaml.safe_dump(model, sort_keys=False))
    return path


def _check(tmp_path: Path, model: dict, *args: str):
    return CliRunner().invoke(main, ["render", str(_write(tmp_path, model)), *args])


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"mode": "bfd", "bfd_interval_ms": 100}, "failure_detection.bfd_interval_ms",
     "outside 200-1000 ms, the VBR's BFD"),
    ({"mode": "bfd", "bfd_multiplier": 20}, "failure_detection.bfd_multiplier",
     "outside 3-10, the VBR's BFD"),
    ({"mode": "track", "interval_seconds": 5, "failures": 4}, "failure_detection.failures",
     "no faster than Alibaba's health check"),
    ({"mode": "track", "interval_seconds": 1, "timeout_ms": 2000},
     "failure_detection.timeout_ms", "longer than the probe interval"),
    ({"mode": "track", "bfd_multiplier": 3}, "failure_detection.bfd_multiplier",
     "applies to mode bfd"),
    ({"mode": "none", "failures": 3}, "failure_detection.failures", "applies to mode track"),
])
def test_bad_settings_are_located_exit_2(tmp_path: Path, change: dict, field: str,
                                         words: str) -> None:
    model = _model(TRACK)
    model["failure_detection"] = change
    result = _check(tmp_path, model, "--vendor", "cisco_ios")
    assert result.exit_code == 2, result.output
    key = field.rsplit(".", 1)[1]
    assert f"site.yaml:{_line_of(model, key)}:" in result.output  # at the field itself
    assert field in result.output and words in result.output
    assert "Traceback" not in result.output


def _line_of(model: dict, key: str) -> int:
    text = yaml.safe_dump(model, sort_keys=False).splitlines()
    block = next(i for i, line in enumerate(text) if line.startswith("failure_detection:"))
    return next(i for i, line in enumerate(text[block:], block + 1)
                if line.strip().startswith(f"{key}:"))


def test_line_setting_wins_and_numbers_must_differ(tmp_path: Path) -> None:
    model = _model(TRACK)
    model["lines"][1]["failure_detection"] = {"mode": "track", "object_id": 101}
    result = _check(tmp_path, model, "--vendor", "cisco_ios")
    assert result.exit_code == 2
    assert "lines[1].failure_detection.object_id" in result.output
    assert "already the failure-detection object of lines[0]" in result.output


def test_junos_refuses_track_at_its_place(tmp_path: Path) -> None:
    result = _check(tmp_path, _model(TRACK), "--vendor", "junos")
    assert result.exit_code == 2
    assert "failure_detection: Junos withdraws a static next hop" in result.output
    model = _model(TRACK)
    model["failure_detection"] = "none"
    model["lines"][1]["failure_detection"] = "track"
    result = _check(tmp_path, model, "--vendor", "junos")
    assert result.exit_code == 2 and "lines[1].failure_detection" in result.output


def test_default_none_renders_no_detection() -> None:
    model = _model(TRACK)
    del model["failure_detection"]
    site = load_site("site.yaml", yaml.safe_dump(model))
    text = render_site(site, "cisco_ios").text
    assert "ip sla" not in text and " track " not in text


def test_shorthand_and_line_override() -> None:
    model = _model(TRACK)
    model["failure_detection"] = "track"
    model["lines"][1]["failure_detection"] = "none"
    site = load_site("site.yaml", yaml.safe_dump(model))
    text = render_site(site, "huawei_vrp").text
    assert "nqa test-instance admin ALIYUN-LINE-A" in text
    assert "ALIYUN-LINE-B" not in text.split("# ==== Static routes")[0].split(
        "Failure detection")[1]
    assert ("ip route-static 192.168.0.0 16 10.10.10.1 track nqa admin ALIYUN-LINE-A "
            "description ALIYUN-VPC-PROD-LINE-A") in text
    assert ("ip route-static 192.168.0.0 16 10.10.11.2" not in text)
    assert ("ip route-static 192.168.0.0 16 10.10.11.1 preference 70 description "
            "ALIYUN-VPC-PROD-LINE-B") in text


@pytest.mark.parametrize("vendor", ["cisco_ios", "huawei_vrp"])
def test_track_watches_cloud_routes_not_health_check_routes(vendor: str) -> None:
    text = render_site(load_site(TRACK), vendor).text
    routes = [ln for ln in text.splitlines() if ln.startswith(("ip route ", "ip route-static "))]
    hc = [ln for ln in routes if "-HC-" in ln]
    cloud = [ln for ln in routes if "-HC-" not in ln]
    assert len(hc) == 2 and len(cloud) == 4
    assert all("track" not in ln for ln in hc)
    assert all("track" in ln for ln in cloud)


def test_cisco_track_objects_are_ordered_and_timed() -> None:
    lines = render_site(load_site(TRACK), "cisco_ios").text.splitlines()
    start = lines.index("ip sla 101")
    assert lines[start:start + 8] == [
        "ip sla 101", " icmp-echo 10.10.10.1 source-ip 10.10.10.2", " threshold 1000",
        " timeout 1000", " frequency 2", "ip sla schedule 101 life forever start-time now",
        "track 101 ip sla 101 reachability", " delay down 4"]
    # the probe and its track come before the first route that names the track
    assert start < next(i for i, ln in enumerate(lines) if ln.endswith("track 101"))


def test_junos_bfd_on_qualified_next_hops_only() -> None:
    text = render_site(load_site(BFD), "junos").text
    assert ("set routing-options static route 192.168.0.0/16 qualified-next-hop 10.10.11.1 "
            "bfd-liveness-detection minimum-interval 300") in text
    assert "set routing-options static route 192.168.10.1/32 next-hop 10.10.10.1" in text
    assert "static route 192.168.0.0/16 bfd-liveness-detection" not in text


def test_huawei_bfd_per_platform_interface() -> None:
    site = load_site(BFD)
    s = site.model_copy(update={"platform": {"huawei_vrp": "s"}})
    assert "interface Vlanif200 source-ip 10.10.11.2 one-arm-echo" in render_site(
        s, "huawei_vrp").text
    text = render_site(site, "huawei_vrp").text
    assert "interface GigabitEthernet0/0/2.200 source-ip 10.10.11.2 one-arm-echo" in text
    assert text.count("\nbfd\nquit\n") == 1


def test_check_of_a_model_built_in_memory_is_located() -> None:
    model = _model(BFD)
    model["failure_detection"]["bfd_interval_ms"] = 50
    with pytest.raises(InputError) as info:
        load_site("mem.yaml", yaml.safe_dump(model))
    assert "failure_detection.bfd_interval_ms" in str(info.value)


def test_huawei_nqa_needs_interval_longer_than_timeout(tmp_path: Path) -> None:
    model = _model(TRACK)
    model["failure_detection"]["interval_seconds"] = 1
    assert _check(tmp_path, model, "--vendor", "cisco_ios").exit_code == 0
    result = _check(tmp_path, model, "--vendor", "huawei_vrp")
    assert result.exit_code == 2
    assert "longer than the probe timeout (1 s" in result.output


def test_huawei_nqa_test_timing() -> None:
    text = render_site(load_site(TRACK), "huawei_vrp").text
    block = text.split("nqa test-instance admin ALIYUN-LINE-A\n", 1)[1].split("#", 1)[0]
    assert block.splitlines() == [
        " test-type icmp", " destination-address ipv4 10.10.10.1",
        " source-address ipv4 10.10.10.2", " probe-count 3", " interval seconds 2",
        " timeout 1", " frequency 7", " start now"]


# --------------------------------------------------------------------------- parsing
def test_cisco_parses_sla_track_and_static_bfd() -> None:
    from idcgen.vendors.cisco_ios.parser import parse

    text = render_site(load_site(TRACK), "cisco_ios").text
    device = parse(text, "r.cfg")
    assert device.trackers["sla 101"].target == IPv4Address("10.10.10.1")
    assert device.trackers["sla 101"].source == IPv4Address("10.10.10.2")
    assert device.trackers["track 101"].follows == "sla 101"
    assert "sla 102 schedule" in device.trackers
    by_hop = {(str(r.prefix), str(r.next_hop)): r for r in device.static_routes}
    assert by_hop[("192.168.0.0/16", "10.10.11.1")].tracker == "track 102"
    assert by_hop[("192.168.10.2/32", "10.10.11.1")].tracker is None
    assert device.unparsed == []
    bfd = parse(render_site(load_site(BFD), "cisco_ios").text, "b.cfg")
    assert bfd.trackers["bfd 10.10.11.1"].interface == "GigabitEthernet0/0/2.200"
    # the session serves the routes with the same interface and gateway: the cloud
    # routes name the interface, the health-check /32 routes do not
    for r in bfd.static_routes:
        hc = r.prefix.prefixlen == 32
        assert r.watched_by == (None if hc else f"bfd {r.next_hop}"), r
        assert (r.interface is None) == hc
    no_interface = parse("ip route static bfd GigabitEthernet0/0/1 10.10.10.1\n"
                         "ip route 192.168.0.0 255.255.0.0 10.10.10.1\n", "x.cfg")
    assert no_interface.static_routes[0].watched_by is None


def test_huawei_parses_nqa_bfd_session_and_route_tracks() -> None:
    from idcgen.vendors.huawei_vrp.parser import parse

    text = ("#\nnqa test-instance admin T1\n test-type icmp\n destination-address ipv4 "
            "10.10.10.1\n frequency 7\n start now\n#\nbfd\n#\nbfd S1 bind peer-ip 10.10.11.1 "
            "interface GigabitEthernet 0/0/2 source-ip 10.10.11.2 one-arm-echo\n "
            "discriminator local 7\n commit\n#\n"
            "ip route-static 192.168.0.0 16 10.10.10.1 track nqa admin T1 description A\n"
            "ip route-static 192.168.0.0 16 10.10.11.1 preference 70 track bfd-session S1\n"
            "ip route-static 100.64.0.0 10 10.10.10.1 bfd enable\n"
            "ip route-static 100.64.0.0 10 10.10.11.1\n#\nreturn\n")
    device = parse(text, "h.cfg")
    routes = [(str(r.prefix), str(r.next_hop), r.preference, r.tracker, r.name)
              for r in device.static_routes]
    assert routes == [("192.168.0.0/16", "10.10.10.1", 60, "nqa admin T1", "A"),
                      ("192.168.0.0/16", "10.10.11.1", 70, "bfd-session S1", None),
                      ("100.64.0.0/10", "10.10.10.1", 60, "bfd enable", None),
                      ("100.64.0.0/10", "10.10.11.1", 60, None, None)]
    session = device.trackers["bfd-session S1"]
    assert session.interface == "GigabitEthernet0/0/2" and "one-arm-echo" in session.settings
    assert device.trackers["nqa admin T1"].settings[-1] == "started"
    assert "bfd" in device.trackers and device.unparsed == []


_JUNOS_BRACES = """routing-options {
    static {
        route 192.168.0.0/16 {
            next-hop [ 10.10.10.1 10.10.11.1 ];
            bfd-liveness-detection {
                minimum-interval 300;
                multiplier 3;
            }
        }
        route 100.64.0.0/10 {
            next-hop 10.10.10.1;
            qualified-next-hop 10.10.11.1 {
                preference 15;
            }
            bfd-liveness-detection {
                minimum-interval 500;
            }
        }
        route 10.99.0.0/16 next-hop 10.10.10.1;
    }
}
services {
    ip-monitoring {
        policy FAILOVER {
            match {
                rpm-probe ALI;
            }
            then {
                preferred-route {
                    route 10.99.0.0/16 {
                        next-hop 10.10.11.1;
                    }
                }
            }
        }
    }
}
"""


@pytest.mark.parametrize("form", ["braces", "set"])
def test_junos_parses_bfd_per_hop_and_ip_monitoring(form: str) -> None:
    from idcgen.vendors.junos.configtext import set_lines
    from idcgen.vendors.junos.parser import parse

    text = _JUNOS_BRACES if form == "braces" else \
        "\n".join(s for _, s in set_lines(_JUNOS_BRACES)) + "\n"
    hops = {(str(r.prefix), str(r.next_hop)): r for r in parse(text, "j.cfg").static_routes}
    assert hops[("192.168.0.0/16", "10.10.11.1")].tracker == \
        "bfd minimum-interval 300 multiplier 3"
    assert hops[("100.64.0.0/10", "10.10.10.1")].tracker == "bfd minimum-interval 500"
    # a route-level bfd-liveness-detection does not watch a qualified next hop
    assert hops[("100.64.0.0/10", "10.10.11.1")].tracker is None
    assert hops[("10.99.0.0/16", "10.10.10.1")].watched_by == "ip-monitoring FAILOVER"


# --------------------------------------------------------------------------- IDC504
def _idc504(routes: list, lines: int = 2) -> list:
    from idcgen.devicemodel import Device, Interface, StaticRoute
    from idcgen.rules import run_rules

    interfaces = {f"Gi{k}": Interface(f"Gi{k}", 10 + k, [IPv4Interface(f"10.10.1{k}.2/30")],
                                      description=f"Aliyun Express Connect line {k}")
                  for k in range(lines)}
    statics = []
    for line, (prefix, hop, pref, tracker) in enumerate(routes, start=40):
        statics.append(StaticRoute(IPv4Network(prefix), IPv4Address(hop), preference=pref,
                                   line=line, tracker=tracker))
    for k in range(lines):
        statics.append(StaticRoute(IPv4Network(f"192.168.10.{k + 1}/32"),
                                   IPv4Address(f"10.10.1{k}.1"), line=80 + k))
    device = Device(vendor="cisco_ios", path="r.cfg", interfaces=interfaces,
                    static_routes=statics)
    return [f for f in run_rules(device, select=["IDC504"]).findings]


def test_idc504_ecmp_untracked_fires_once_per_prefix_with_a_fix() -> None:
    found = _idc504([("100.64.0.0/10", "10.10.10.1", 1, None),
                     ("100.64.0.0/10", "10.10.11.1", 1, None),
                     ("192.168.0.0/16", "10.10.10.1", 1, "track 7"),
                     ("192.168.0.0/16", "10.10.11.1", 1, None)])
    assert [(f.line, f.severity) for f in found] == [(40, "warning"), (43, "warning")]
    assert "(ECMP)" in found[0].message and "follow no liveness check" in found[0].message
    assert "follows no liveness check" in found[1].message
    assert "ip route 100.64.0.0 255.192.0.0 10.10.10.1 track 101" in found[0].fix
    assert "ip sla 101" in found[0].fix and "ip sla 101" not in found[1].fix


def test_idc504_floating_judges_the_active_route_only() -> None:
    active_bare = _idc504([("192.168.0.0/16", "10.10.10.1", 1, None),
                           ("192.168.0.0/16", "10.10.11.1", 11, "track 102")])
    assert len(active_bare) == 1 and "floating" in active_bare[0].message
    assert "10.10.11.1) could take over" in active_bare[0].message
    standby_bare = _idc504([("192.168.0.0/16", "10.10.10.1", 1, "track 101"),
                            ("192.168.0.0/16", "10.10.11.1", 11, None)])
    assert standby_bare == []


def test_idc504_quiet_for_one_line_and_host_routes() -> None:
    assert _idc504([("192.168.0.0/16", "10.10.10.1", 1, None)], lines=1) == []
    assert _idc504([("192.168.0.0/16", "10.10.10.1", 1, None)]) == []  # one line routed


def test_review_refuses_a_mode_the_vendor_cannot_render(tmp_path: Path) -> None:
    from idcgen.review import review_text

    running = ROOT / "samples" / "running" / "junos-dual-line-clean.cfg"
    result = CliRunner().invoke(main, ["review", str(TRACK), str(running)])
    assert result.exit_code == 2
    assert "dual-line-track.yaml:" in result.output and "use failure_detection: bfd" in \
        result.output
    with pytest.raises(InputError):
        review_text(load_site(TRACK), running.read_text(), "r.cfg", "junos")
