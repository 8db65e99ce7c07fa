"""Rule output stays linear in the number of links: IDC502 names at most four other links
and offers backups over at most three (Alibaba forms ECMP over at most four)."""

from __future__ import annotations

from idcgen.lint import lint_text


def _config(lines: int) -> str:
    out = ["hostname hub", "!"]
    for i in range(lines):
        out += [f"interface GigabitEthernet0/0/{i}", f" description Aliyun VBR line {i}",
                f" ip address 10.10.{i}.2 255.255.255.252", "!"]
        out.append(f"ip route 100.64.0.0 255.192.0.0 10.10.{i}.1")
    out.append("ip route 192.168.0.0 255.255.0.0 10.10.0.1")
    return "\n".join(out) + "\n"


def test_no_failover_path_names_few_links() -> None:
    few = [f for f in lint_text(_config(3), "few.cfg").findings if f.rule == "IDC502"]
    assert len(few) == 1
    assert few[0].message.endswith("GigabitEthernet0/0/1 (peer 10.10.1.1) and "
                                   "GigabitEthernet0/0/2 (peer 10.10.2.1)")
    assert len(few[0].fix) == 2
    many = [f for f in lint_text(_config(9), "many.cfg").findings if f.rule == "IDC502"]
    assert len(many) == 1
    assert many[0].message.endswith("GigabitEthernet0/0/4 (peer 10.10.4.1) or any of the 4 "
                                    "other cloud-facing links")
    assert len(many[0].fix) == 3


# --------------------------------------------------------------------------- BGP
def _bgp_cisco(n: int) -> str:
    """Two VBR sessions; n prefix-list entries, n route-map entries, n redistributed
    statics, n VBR-like neighbors elsewhere: every dimension of the BGP model at once."""
    out = ["hostname dc", "!"]
    for i, vbr in enumerate(("10.10.10", "10.10.11")):
        out += [f"interface GigabitEthernet0/0/{i + 1}", f" description Aliyun VBR line {i}",
                f" ip address {vbr}.2 255.255.255.252", "!"]
    out += [f"ip prefix-list PL-IN seq {i + 1} permit 192.{168 + i // 65536 % 2}."
            f"{i // 256 % 256}.{i % 256}/32" for i in range(n)]
    out += ["ip prefix-list PL-IN seq 999999 permit 192.168.0.0/16 le 24"]
    for i in range(n):
        out += [f"route-map RM-IN deny {i + 1}", f" match ip address prefix-list PL-X{i}"]
    out += ["route-map RM-IN permit 9999999", " match ip address prefix-list PL-IN"]
    out += ["router bgp 65010"]
    for vbr in ("10.10.10.1", "10.10.11.1"):
        out += [f" neighbor {vbr} remote-as 45104", f" neighbor {vbr} route-map RM-IN in",
                f" neighbor {vbr} password 7 0822455D0A16"]
    out += [f" neighbor 172.31.{i // 256 % 256}.{i % 256} remote-as 65020" for i in range(n)]
    out += [" redistribute static", " maximum-paths 2", "!"]
    out += [f"ip route 172.16.{i // 256 % 256}.{i % 256} 255.255.255.255 172.16.0.254"
            for i in range(n)]
    return "\n".join(out) + "\n"


def _cpu(text: str) -> float:
    import time

    from idcgen.vendors.parsing import gc_paused

    start = time.process_time()
    with gc_paused():
        result = lint_text(text, "bgp.cfg", vendor="cisco_ios")
    assert result.error is None
    return time.process_time() - start


def test_bgp_lint_is_linear() -> None:
    small, large = _bgp_cisco(2000), _bgp_cisco(8000)
    _cpu(small)  # warm up imports and caches
    ratio = min(_cpu(large) for _ in range(2)) / min(_cpu(small) for _ in range(2))
    assert ratio < 8, ratio  # 4x the input: linear is ~4, quadratic ~16
    findings = lint_text(large, "bgp.cfg", vendor="cisco_ios").findings
    assert any(f.rule == "IDC607" for f in findings)  # 8000 statics advertised


def test_a_lint_leaves_no_reference_cycles() -> None:
    """`lint_path` pauses the cyclic collector while it lints a file (the collector's
    sweeps over a parsed config cost more than the parse), so anything a rule leaves in a
    reference cycle stays in memory to the end of the file: a recursive closure in
    Context.partition kept every call's blocks (~20 MB on a 100k-line config)."""
    import gc

    text = _config(40)
    lint_text(text, "warm.cfg")  # imports and compiled templates: made once, kept
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        result = lint_text(text, "hub.cfg")
        assert any(f.rule == "IDC504" for f in result.findings)  # fixes were rendered
        assert gc.collect() == 0
    finally:
        if was_enabled:
            gc.enable()
