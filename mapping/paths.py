"""Where the project's inputs are: the checkout this code runs from, else the copy installed with it.

The inputs (``ontology/``, ``data/``, ``queries/``) sit beside the packages in a
checkout; ``pip install`` puts them under ``<prefix>/share/jp-lg-partnerships/``
(``[tool.setuptools.data-files]``). The build's settings (:mod:`kg.config`) start
from here and may point elsewhere (``KG_DATA_DIR``, ``kg build --data-dir``).

>>> (default_data_dir() / "data" / "curated").is_dir()
True
"""

from __future__ import annotations

import os
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
"""The folder above the package: a checkout's root when run from one."""
INSTALLED_DATA = Path(sysconfig.get_paths()["data"]) / "share" / "jp-lg-partnerships"
"""Where ``pip install`` puts ``ontology/``, ``data/`` and ``queries/``."""


def in_checkout() -> bool:
    """Whether this code runs from a checkout of the repository, inputs beside it."""
    return (ROOT / "ontology" / "lgp.ttl").is_file() and (ROOT / "pyproject.toml").is_file()


def default_data_dir() -> Path:
    """The folder holding ``ontology/``, ``data/`` and ``queries/``: ``KG_DATA_DIR`` if set, the checkout, else
    the installed copy."""
    if os.environ.get("KG_DATA_DIR"):
        return Path(os.environ["KG_DATA_DIR"])
    return ROOT if in_checkout() else INSTALLED_DATA
