"""Package discovery for the one `idcgen` namespace (the rest is in pyproject.toml).

The design card's top-level folders are mapped into `idcgen`: src/idcgen -> idcgen,
generator/ -> idcgen.generator, vendors/ -> idcgen.vendors, templates/ ->
idcgen.templates, so site-packages never gets generic top-level modules. Every package
below those folders is found here, so a new vendors/<id>/ is in the wheel without
editing a list (CONTRIBUTING.md, "Adding a vendor").
"""

from __future__ import annotations

from setuptools import find_packages, setup

ROOTS = {"idcgen": "src/idcgen", "idcgen.generator": "generator",
         "idcgen.vendors": "vendors", "idcgen.templates": "templates"}


def packages() -> list[str]:
    """Every package under the mapped folders, named inside `idcgen`."""
    found: list[str] = []
    for name, folder in ROOTS.items():
        found.append(name)
        found += [f"{name}.{sub}" for sub in find_packages(folder)]
    return sorted(set(found))


if __name__ == "__main__":
    setup(package_dir=ROOTS, packages=packages())
