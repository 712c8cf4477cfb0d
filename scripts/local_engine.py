"""The real Pulumi engine, run locally: the CLI this project builds, a file backend, no cloud."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pulumi import automation as auto

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(sys.prefix)


def pulumi_bin_dir() -> Path:
    """Where the Pulumi CLI and its Python language host are, building them if need be."""
    script = ROOT / "scripts" / "ensure-pulumi.sh"
    result = subprocess.run(["bash", str(script)], check=True, stdout=subprocess.PIPE, text=True)
    return Path(result.stdout.strip().splitlines()[-1])


def engine_env(state_dir: Path, bin_dir: Path) -> dict[str, str]:
    """Environment for the CLI: local state in `state_dir`, never Pulumi Cloud or update checks."""
    state_dir.mkdir(parents=True, exist_ok=True)
    return {
        "PULUMI_BACKEND_URL": state_dir.resolve().as_uri(),
        "PULUMI_HOME": str((state_dir / "home").resolve()),
        # Nothing secret is encrypted with it: credentials never reach state.
        "PULUMI_CONFIG_PASSPHRASE": "",
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
        # The language host runs `pip list`; pip's own version check would go to PyPI.
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        # The language host runs this interpreter, the one with ocp_provider installed.
        "PULUMI_PYTHON_CMD": str(VENV / "bin" / "python"),
        "PATH": os.pathsep.join([str(bin_dir), str(VENV / "bin"), os.environ.get("PATH", "")]),
    }


def select_stack(
    work_dir: Path, stack: str, state_dir: Path, extra_env: dict[str, str] | None = None
) -> auto.Stack:
    """Selects (creating if need be) `stack` of the program in `work_dir`."""
    bin_dir = pulumi_bin_dir()
    env = {**engine_env(state_dir, bin_dir), **(extra_env or {})}
    command = auto.PulumiCommand(root=str(bin_dir.parent), skip_version_check=True)
    options = auto.LocalWorkspaceOptions(
        work_dir=str(work_dir),
        pulumi_home=env["PULUMI_HOME"],
        env_vars=env,
        pulumi_command=command,
    )
    return auto.create_or_select_stack(stack, work_dir=str(work_dir), opts=options)
