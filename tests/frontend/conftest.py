"""Frontend test options: `--bless` rewrites golden files instead of comparing."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))


def pytest_addoption(parser):
    parser.addoption("--bless", action="store_true", default=False,
                     help="rewrite tests/frontend/golden/*.txt from the current output")
