"""A fourth vendor from its two folders only (issue #9; CONTRIBUTING.md, "Adding a vendor").

The repository (its git-listed files, as they are in the working tree) is copied to a
temporary directory, the toy vendor of tests/fixtures/toy_vendor/ is dropped into
`vendors/toy/` and `templates/toy/` of the copy and nothing else changes; the copy is
built and installed offline (`pip install --no-index --no-build-isolation --target`),
and the *installed* idcgen renders, lints and reviews a ToyOS site in a subprocess.

The toy vendor lives in tests only: the real package never ships it. Building needs a
setuptools with bdist_wheel (>= 70.1, in the `test` extra that CI installs); without
one the test is skipped, for no other reason.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TOY = REPO / "tests" / "fixtures" / "toy_vendor"
TOY_FOLDERS = ("vendors/toy", "templates/toy")

SITE = """\
site: toy-dc1
hostname: toy-edge1
vendor: toy
cloud_networks:
  - {name: prod, cidr: 192.168.0.0/16}
cloud_services: true
redundancy: active-standby
lines:
  - name: line-a
    interface: {toy: eth1}
    local_ip: 10.10.10.2/30
    vbr_ip: 10.10.10.1
    health_check_source: 192.168.10.1
  - name: line-b
    interface: {toy: eth2}
    local_ip: 10.10.11.2/30
    vbr_ip: 10.10.11.1
    health_check_source: 192.168.10.2
control_plane: {mode: none}
"""

IPSEC = """\
ipsec:
  - name: backup
    role: backup
    gateway_ip: 47.0.0.161
    customer_gateway_ip: 203.0.113.10
    outside_interface: {toy: eth9}
    local_networks: [172.16.0.0/16]
    cloud_networks: [192.168.0.0/16]
    psk: {env: ALIYUN_PSK_BACKUP}
    routing: {mode: policy-based}
"""

# hostname, an unrelated interface, an unrelated route: nothing of the site yet
NEARLY_EMPTY = """\
hostname toy-edge1
!
interface eth0
 description uplink to core
 ip address 192.0.2.2 255.255.255.0
 no shutdown
!
route 172.16.0.0 12 192.0.2.1
"""

ROUTES = [  # one per cloud network and 100.64.0.0/10 per line, one /32 per line
    "route 100.64.0.0 10 10.10.10.1 name ALIYUN-SVC-LINE-A",
    "route 100.64.0.0 10 10.10.11.1 distance 20 name ALIYUN-SVC-LINE-B",
    "route 192.168.0.0 16 10.10.10.1 name ALIYUN-VPC-PROD-LINE-A",
    "route 192.168.0.0 16 10.10.11.1 distance 20 name ALIYUN-VPC-PROD-LINE-B",
    "route 192.168.10.1 32 10.10.10.1 name ALIYUN-HC-LINE-A",
    "route 192.168.10.2 32 10.10.11.1 name ALIYUN-HC-LINE-B",
]
COMMANDS = [
    "interface eth1",
    " description ALIYUN LINE-A Express Connect to VBR 10.10.10.1",
    " ip address 10.10.10.2 255.255.255.252",
    " no shutdown",
    "interface eth2",
    " description ALIYUN LINE-B Express Connect to VBR 10.10.11.1",
    " ip address 10.10.11.2 255.255.255.252",
    " no shutdown",
    *ROUTES,
]
OTHER_VENDORS = ("ip route", "route-static", "set ", "{", "undo ", "quit", "crypto", "end")

# run inside the installed tree: remediation, then rollback, with the toy's simulator;
# prints where the driver came from and the running config's meaning before and after
APPLY = """\
import json, sys
from idcgen.vendors import get_driver
import idcgen.vendors.toy.driver as module
driver = get_driver("toy")
review = json.load(open("review.json"))
running = open("running.cfg").read()
after = driver.apply_commands(running, review["remediation"])
open("after.cfg", "w").write(after)
back = driver.apply_commands(after, review["rollback"])
def meaning(text):
    d = driver.parse(text, "x")
    return {"routes": sorted(str(r.key) + str(r.preference) for r in d.static_routes),
            "addresses": sorted(f"{i.name} {a}" for i in d.interfaces.values()
                                for a in i.addresses)}
print(json.dumps({"module": module.__file__, "running": meaning(running),
                  "back": meaning(back)}))
"""


def _can_build_wheels() -> bool:
    for name in ("setuptools.command.bdist_wheel", "wheel.bdist_wheel"):
        try:
            if importlib.util.find_spec(name) is not None:
                return True
        except ImportError:
            continue
    return False


pytestmark = pytest.mark.skipif(
    not _can_build_wheels(),
    reason="setuptools has no bdist_wheel (needs setuptools>=70.1, in the `test` extra): "
           "cannot build the copy with the toy vendor")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): _digest(p)
            for p in root.rglob("*") if p.is_file()}


@dataclass
class Toy:
    work: Path  # cwd of every command: the sample files
    site: Path  # the --target of the install
    copied: dict[str, str]  # repository file -> digest of what was copied
    before_build: dict[str, str]  # the copy's whole tree when pip started
    toy_files: dict[str, str]  # the toy's two folders, as dropped into the copy

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PYTHONPATH": str(self.site), "PYTHONNOUSERSITE": "1"}
        env.pop("IDCGEN_DEBUG", None)
        return subprocess.run([sys.executable, *args], cwd=self.work, env=env,
                              capture_output=True, text=True, timeout=120)

    def idcgen(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self.run("-m", "idcgen", *args)


@pytest.fixture(scope="module")
def toy(tmp_path_factory: pytest.TempPathFactory) -> Toy:
    root = tmp_path_factory.mktemp("new_vendor")
    copy, site, work = root / "copy", root / "site", root / "work"
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO, capture_output=True, check=True).stdout.decode().split("\0")
    copied: dict[str, str] = {}
    for name in filter(None, listed):
        source = REPO / name
        if not source.is_file():  # deleted in the working tree, or a submodule
            continue
        data = source.read_bytes()
        target = copy / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        copied[name] = hashlib.sha256(data).hexdigest()
    toy_files: dict[str, str] = {}
    for folder in TOY_FOLDERS:  # the only change to the copy
        assert not (copy / folder).exists(), f"the repository already has {folder}/"
        shutil.copytree(TOY / folder, copy / folder,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        toy_files.update({f"{folder}/{k}": v for k, v in _tree(copy / folder).items()})
    before_build = _tree(copy)
    build = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--no-index", "--disable-pip-version-check", "--target", str(site), str(copy)],
        capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, f"offline install of the copy failed:\n{build.stderr}"
    work.mkdir()
    (work / "toy-site.yaml").write_text(SITE)
    (work / "toy-site-with-ipsec.yaml").write_text(SITE + IPSEC)
    (work / "running.cfg").write_text(NEARLY_EMPTY)
    result = Toy(work, site, copied, before_build, toy_files)
    rendered = result.idcgen("render", "toy-site.yaml", "--vendor", "toy")
    assert rendered.returncode == 0, rendered.stderr
    (work / "rendered.cfg").write_text(rendered.stdout)
    return result


def _commands(text: str) -> list[str]:
    return [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("!")]


# --------------------------------------------------------------------------- two folders
def test_only_the_two_toy_folders_were_added(toy: Toy) -> None:
    added = {name: digest for name, digest in toy.before_build.items()
             if name not in toy.copied}
    assert added == toy.toy_files  # nothing but vendors/toy/ and templates/toy/ is new
    changed = [name for name, digest in toy.copied.items()
               if toy.before_build.get(name) != digest]
    assert changed == []  # every repository file is byte-identical
    assert "vendors/toy/driver.py" in added and "templates/toy/site.j2" in added


def test_the_wheel_ships_the_toy_vendor(toy: Toy) -> None:
    record = next(toy.site.glob("idcgen-*.dist-info/RECORD")).read_text()
    shipped = {line.split(",", 1)[0] for line in record.splitlines()}
    assert {"idcgen/vendors/toy/driver.py", "idcgen/templates/toy/site.j2",
            "idcgen/templates/toy/macros.j2"} <= shipped
    where = toy.run("-c", "import idcgen, idcgen.vendors as v; "
                          "print(idcgen.__file__); print(v.vendor_list())")
    assert where.returncode == 0, where.stderr
    path, vendors = where.stdout.splitlines()
    assert Path(path).is_relative_to(toy.site)  # the installed copy, not the checkout
    assert vendors == "cisco_ios, huawei_vrp, junos, toy"


# --------------------------------------------------------------------------- render
def test_render_speaks_toy(toy: Toy) -> None:
    text = (toy.work / "rendered.cfg").read_text()
    assert _commands(text) == COMMANDS
    assert "vendor toy (ToyOS (test fixture))" in text
    assert not [ln for ln in _commands(text) if ln.strip().startswith(OTHER_VENDORS)]


def test_render_refuses_ipsec_by_name(toy: Toy) -> None:
    result = toy.idcgen("render", "toy-site-with-ipsec.yaml", "--vendor", "toy")
    assert result.returncode == 2
    assert result.stdout == ""  # nothing rendered, so no other vendor's syntax either
    assert "toy (ToyOS (test fixture)) has no IPsec support" in result.stderr
    assert result.stderr.startswith("toy-site-with-ipsec.yaml:")  # at its place in the file
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


def test_render_refuses_an_exemption_it_has_no_macro_for(toy: Toy) -> None:
    (toy.work / "toy-site-create.yaml").write_text(
        SITE.replace("control_plane: {mode: none}", "control_plane: {mode: create}"))
    result = toy.idcgen("render", "toy-site-create.yaml", "--vendor", "toy")
    assert result.returncode == 2
    # located at the field, naming the vendor and the missing macro
    assert "toy-site-create.yaml:" in result.stderr and "control_plane.mode: toy has no " \
        "control-plane exemption" in result.stderr and "exemption` macro" in result.stderr
    assert "internal error" not in result.stderr
    review = toy.idcgen("review", "toy-site-create.yaml", "rendered.cfg", "--vendor", "toy")
    assert review.returncode == 2 and "vendor toy: the driver does not implement the " \
        "control-plane exemption" in review.stderr


# --------------------------------------------------------------------------- lint
def test_lint_with_site_is_clean(toy: Toy) -> None:
    result = toy.idcgen("lint", "rendered.cfg", "--vendor", "toy", "--site", "toy-site.yaml",
                        "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    (report,) = json.loads(result.stdout)["files"]
    assert report["vendor"] == "toy"
    assert [f for f in report["findings"] if f["severity"] == "error"] == []
    assert {link["interface"] for link in report["cloud_links"]} == {"eth1", "eth2"}


def test_lint_detects_toy_from_its_markers(toy: Toy) -> None:
    result = toy.idcgen("lint", "rendered.cfg", "--format", "json")  # --vendor auto
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["files"][0]["vendor"] == "toy"


# --------------------------------------------------------------------------- review
def test_review_of_the_rendered_config_is_compliant(toy: Toy) -> None:
    result = toy.idcgen("review", "toy-site.yaml", "rendered.cfg", "--vendor", "toy")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "compliant: the device matches the site model" in result.stdout


def test_review_round_trip_on_a_nearly_empty_device(toy: Toy) -> None:
    text = toy.idcgen("review", "toy-site.yaml", "running.cfg", "--vendor", "toy")
    assert text.returncode == 1, text.stderr
    assert "remediation (enter in configure, in this order):" in text.stdout
    result = toy.idcgen("review", "toy-site.yaml", "running.cfg", "--vendor", "toy",
                        "--format", "json")
    assert result.returncode == 1, result.stderr
    review = json.loads(result.stdout)
    (toy.work / "review.json").write_text(result.stdout)
    remediation, rollback = review["remediation"], review["rollback"]
    assert remediation[:5] == ["interface eth1",
                               " description ALIYUN LINE-A Express Connect to VBR 10.10.10.1",
                               " ip address 10.10.10.2 255.255.255.252", " no shutdown",
                               "exit"]
    assert sorted(ln for ln in remediation if ln.startswith("route ")) == sorted(ROUTES)
    # rollback in toy syntax: each next hop alone, the physical ports' statements undone
    assert sorted(ln for ln in rollback if ln.startswith("no route ")) == sorted(
        " ".join(["no", *r.split()[:4]]) for r in ROUTES)
    assert rollback[-4:] == ["interface eth1", " no ip address 10.10.10.2 255.255.255.252",
                             " no description", "exit"]
    for line in remediation + rollback:
        assert not line.strip().startswith(OTHER_VENDORS), line
        assert "eth0" not in line and "172.16.0.0" not in line  # left alone
    assert review["untouched"] == 2

    applied = toy.run("-c", APPLY)
    assert applied.returncode == 0, applied.stderr
    state = json.loads(applied.stdout)
    assert Path(state["module"]).is_relative_to(toy.site)
    assert state["back"] == state["running"]  # rollback restores the device's meaning
    again = toy.idcgen("review", "toy-site.yaml", "after.cfg", "--vendor", "toy")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "compliant: the device matches the site model" in again.stdout
