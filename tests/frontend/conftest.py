"""Frontend test helpers on sys.path; the `--bless` option lives in tests/conftest.py."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
