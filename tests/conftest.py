"""Test configuration: the Klartext package lives in hooks/ (see pyproject.toml: pythonpath)."""
