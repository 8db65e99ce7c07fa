"""`idcgen schema`: the site model's JSON Schema, complete, current and true to `check`."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from idcgen.cli import main
from idcgen.sitemodel.descriptions import FIELDS
from idcgen.sitemodel.loader import load_yaml

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "docs" / "site-model.schema.json"
SITE_MODELS = sorted((ROOT / "samples").glob("*.yaml")) + sorted(
    (ROOT / "tests" / "fixtures" / "review").glob("*.yaml"))


def _schema() -> dict:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0
    return json.loads(result.stdout)


def test_committed_copy_is_current() -> None:
    result = CliRunner().invoke(main, ["schema"])
    assert result.stdout == COMMITTED.read_text(encoding="utf-8"), (
        "docs/site-model.schema.json is out of date: run `idcgen schema > "
        "docs/site-model.schema.json`")


def test_every_field_has_a_description_and_an_example() -> None:
    schema = _schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    models = {"Site": schema, **schema["$defs"]}
    missing = [f"{model}.{name}" for model, definition in models.items()
               for name, prop in definition.get("properties", {}).items()
               if not prop.get("description") or not prop.get("examples")]
    assert not missing, f"add these to src/idcgen/sitemodel/descriptions.py: {missing}"
    # and the table names no field that does not exist
    stale = [f"{model}.{name}" for model, fields in FIELDS.items() for name in fields
             if name not in models.get(model, {}).get("properties", {})]
    assert not stale


@pytest.mark.parametrize("path", SITE_MODELS, ids=lambda p: p.name)
def test_every_sample_validates(path: Path) -> None:
    data, _ = load_yaml(path)  # idcgen's own YAML reading (`on:` stays a key)
    errors = list(jsonschema.Draft202012Validator(_schema()).iter_errors(data))
    assert not errors, [e.message for e in errors]


def test_examples_validate_against_their_field() -> None:
    schema = _schema()
    validator_cls = jsonschema.Draft202012Validator
    models = {"Site": schema, **schema["$defs"]}
    for model, definition in models.items():
        for name, prop in definition.get("properties", {}).items():
            sub = {**prop, "$defs": schema["$defs"]}
            for example in prop["examples"]:
                errors = list(validator_cls(sub).iter_errors(example))
                assert not errors, (model, name, example, errors[0].message)


def test_a_typo_is_caught_by_the_schema() -> None:
    validator = jsonschema.Draft202012Validator(_schema())
    errors = list(validator.iter_errors({"site": "dc1", "hostname": "r1",
                                         "redundancy": "ecmpp", "line": []}))
    assert {e.validator for e in errors} >= {"enum", "additionalProperties"}


def test_check_jsonschema_uses_the_committed_copy(tmp_path: Path) -> None:
    exe = shutil.which("check-jsonschema") or str(Path(sys.executable).parent
                                                  / "check-jsonschema")
    if not Path(exe).exists():
        pytest.skip("check-jsonschema is not installed (pip install check-jsonschema)")
    ok = subprocess.run([exe, "--schemafile", str(COMMITTED),
                         *map(str, sorted((ROOT / "samples").glob("*.yaml")))],
                        capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = tmp_path / "site.yaml"
    bad.write_text("site: dc1\nhostname: r1\nredundancy: ecmpp\n")
    result = subprocess.run([exe, "--schemafile", str(COMMITTED), str(bad)],
                            capture_output=True, text=True)
    assert result.returncode == 1 and "ecmpp" in result.stdout


def test_other_commands_do_not_import_the_schema_machinery() -> None:
    code = ("import sys; from idcgen.cli import main\n"
            "try:\n    main(['rules'], standalone_mode=False)\nexcept SystemExit:\n    pass\n"
            "print('idcgen.sitemodel.jsonschema' in sys.modules, 'pydantic' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out[-2:] == ["False", "False"]
