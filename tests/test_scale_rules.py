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
