"""Writes the deployment files generated from deploy/services.yaml: docker-compose.yml and deploy/k8s/base.

    python -m deploy.generate           rewrite them
    python -m deploy.generate --check   exit 1 if any is out of date (tests/deploy checks the same)
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from deploy.compose import compose_file
from deploy.kubernetes import k8s_files
from services.core.manifest import Manifest, load_manifest
from services.core.settings import REPO_ROOT

K8S_BASE = Path("deploy/k8s/base")
HEADER = "# Generated from deploy/services.yaml by `python -m deploy.generate`: edit the manifest, not this file.\n"


def _dump(documents: list[dict]) -> str:
    return HEADER + yaml.safe_dump_all(documents, sort_keys=False, width=120, explicit_start=len(documents) > 1)


def generated_files(manifest: Manifest) -> dict[Path, str]:
    """Path relative to the repository -> content."""
    files = {Path("docker-compose.yml"): _dump([compose_file(manifest)])}
    files.update({K8S_BASE / name: _dump(documents) for name, documents in k8s_files(manifest).items()})
    return files


def stale_files(root: Path = REPO_ROOT) -> list[Path]:
    """Generated files missing or different from what the manifest gives, and files left over."""
    expected = generated_files(load_manifest())
    stale = [path for path, content in expected.items()
             if not (root / path).exists() or (root / path).read_text(encoding="utf-8") != content]
    leftover = [path.relative_to(root) for path in (root / K8S_BASE).glob("*.yaml")
                if path.relative_to(root) not in expected]
    return sorted(stale + leftover)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a generated file is out of date")
    args = parser.parse_args()
    if args.check:
        stale = stale_files()
        for path in stale:
            print(f"out of date: {path}", file=sys.stderr)
        return 1 if stale else 0
    for path in (REPO_ROOT / K8S_BASE).glob("*.yaml"):
        path.unlink()
    for path, content in generated_files(load_manifest()).items():
        (REPO_ROOT / path).parent.mkdir(parents=True, exist_ok=True)
        (REPO_ROOT / path).write_text(content, encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
