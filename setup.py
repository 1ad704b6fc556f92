# Thin shim for old tooling; the package is described in pyproject.toml (flit).
from setuptools import setup

setup()
