"""environment.yml (conda) and pyproject.toml (pip) pin the same packages and versions."""

from __future__ import annotations

import re
import tomllib

import yaml

from conftest import ROOT


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(requirements: list[str]) -> dict[str, str]:
    pins = {}
    for req in requirements:
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([^\s;]+)", req.strip())
        assert match, f"not pinned with ==: {req!r}"
        pins[_norm(match.group(1))] = match.group(2)
    return pins


def test_pyproject_and_environment_pin_the_same_packages():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pip_reqs = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        pip_reqs += extra
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda_pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    conda_reqs = [r for r in conda_pip if not r.startswith("-e")]
    assert _pins(pip_reqs) == _pins(conda_reqs)
    assert "python=3.11" in env["dependencies"]


def test_every_dependency_is_pinned_exactly():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for req in project["dependencies"]:
        assert "==" in req, req


def test_installed_versions_match_the_pins():
    from importlib.metadata import PackageNotFoundError, version

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for name, pinned in _pins(project["dependencies"] + project["optional-dependencies"]["test"]).items():
        try:
            installed = version(name)
        except PackageNotFoundError:  # pragma: no cover - the Makefile installs them all
            raise AssertionError(f"{name} is not installed") from None
        assert installed == pinned, f"{name}: installed {installed}, pinned {pinned}"
