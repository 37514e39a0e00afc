"""The package as users install it: ``pip install .`` (not editable) into a fresh venv, then
``kg build`` in an empty folder gives the same dump as the checkout.

The fresh venv gets the project's dependencies from this one's site-packages
(a ``.pth`` line: no download, and this checkout's own editable install stays
out, since its hook is a ``.pth`` file there that only a site folder runs).
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_installed_wheel_builds_in_an_empty_folder(tmp_path, built, settings):
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels), str(ROOT)],
        check=True, capture_output=True, timeout=300,
    )
    (wheel,) = wheels.glob("*.whl")
    target = tmp_path / "venv"
    venv.create(target, with_pip=False)
    python = target / "bin" / "python"
    site = Path(subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip())
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", str(wheel)],
        check=True, capture_output=True, timeout=300,
    )
    empty = tmp_path / "empty"
    empty.mkdir()
    env = {key: value for key, value in os.environ.items() if not key.startswith("KG_")}
    completed = subprocess.run(
        [str(target / "bin" / "kg"), "build"], cwd=empty, env=env, capture_output=True, text=True, timeout=900,
    )
    assert completed.returncode == 0, completed.stderr
    assert (empty / "dist" / "kg.nt").read_bytes() == (settings.dist / "kg.nt").read_bytes()
    # The code ran from the installed copy, not from this checkout.
    where = subprocess.run(
        [str(python), "-c", "import cli, endpoint.conformance.suite as s; print(cli.__file__); print(s.MANIFEST.is_file())"],
        cwd=empty, env=env, check=True, capture_output=True, text=True,
    ).stdout.split()
    assert where[0].startswith(str(target)) and where[1] == "True"
