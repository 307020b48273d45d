"""Typing tests share the hand-written-IR builder of the LLVM backend tests."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "backend" / "llvm"))
