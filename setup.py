"""Which packages the wheel holds: ccsim and every sub-package, plus the kit's data/ and notebooks/ folders
shipped inside it as ccsim/data and ccsim/notebooks (their files are listed in pyproject.toml's package-data).

Everything else about the package is in pyproject.toml.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["ccsim", "ccsim.*"]), "ccsim.data", "ccsim.notebooks"],
    package_dir={"ccsim.data": "data", "ccsim.notebooks": "notebooks"},
)
