"""The site model's JSON Schema (`idcgen schema`), for editors and check-jsonschema.

Generated from the pydantic model, then one pass adds every field's description and
examples from `descriptions.FIELDS` and widens the few inputs the model accepts through
a before-validator (`cloud_services: true`, `dh_group: "group14"`, `bfd: true`, an
asdot ASN, a bare CIDR in `accept`), so every site model
`idcgen check` accepts also validates against the schema. Cross-field rules (addresses
in one subnet, overlaps...) are beyond a schema: `idcgen check` still has the last word.
"""

from __future__ import annotations

import json
from typing import Any

from idcgen import __version__
from idcgen.sitemodel.descriptions import FIELDS

SCHEMA_ID = "https://idcgen.invalid/site-model.schema.json"

# inputs accepted before validation that pydantic's schema does not show
_WIDEN: dict[tuple[str, str], dict[str, Any]] = {
    ("Site", "cloud_services"): {"type": "boolean"},
    ("IpsecConnection", "dpd"): {"type": "boolean"},
    ("IkeSettings", "dh_group"): {"type": "string", "pattern": "^[Gg][Rr][Oo][Uu][Pp][0-9]+$"},
    ("IpsecSettings", "pfs"): {"type": "string"},
    **{(model, "bfd"): {"type": "boolean"} for model in ("BgpSettings", "LineBgp")},
    **{(model, field): {"type": "string", "pattern": "^[0-9]+[.][0-9]+$"}  # asdot 1.10
       for model, field in (("BgpSettings", "local_asn"), ("BgpSettings", "peer_asn"),
                            ("LineBgp", "peer_asn"))},
    # `accept: [192.168.0.0/16]`: a CIDR alone is short for {cidr: ...}
    **{(model, "accept"): {"type": "array", "items": {"anyOf": [
        {"$ref": "#/$defs/AcceptPrefix"}, {"type": "string", "format": "ipv4network"}]}}
       for model in ("BgpSettings", "LineBgp")},
    ("Site", "failure_detection"): {"enum": ["none", "track", "bfd"]},
    ("Line", "failure_detection"): {"enum": ["none", "track", "bfd"]},
}


def site_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a site model file."""
    from idcgen.sitemodel import Site

    schema = Site.model_json_schema(mode="validation")
    models = {"Site": schema, **schema.get("$defs", {})}
    for model, definition in models.items():
        for name, prop in definition.get("properties", {}).items():
            entry = FIELDS.get(model, {}).get(name)
            if entry is not None:
                prop["description"], prop["examples"] = entry[0], entry[1]
            extra = _WIDEN.get((model, name))
            if extra is not None:
                current = {k: v for k, v in prop.items()
                           if k not in ("description", "examples", "title", "default")}
                for key in current:
                    del prop[key]
                prop["anyOf"] = [current, extra]
    out = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID,
           "title": "idcgen site model",
           "description": f"A site model of idcgen {__version__}: how one data center or "
                          "office connects to Alibaba Cloud (docs: README, samples/).",
           **{k: v for k, v in schema.items() if k != "title"}}
    return out


def render_schema() -> str:
    return json.dumps(site_schema(), indent=2, ensure_ascii=False) + "\n"
