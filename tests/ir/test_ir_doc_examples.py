"""docs/ir.md is tested: every IR example in it (a ```jir block, or an untagged block that starts
with `module` or `func`) parses, and whole modules also verify."""
import re
from pathlib import Path

import pytest

from jitlab.ir import parse, verify
from jitlab.ir.parser import parse_function

DOC = Path(__file__).resolve().parents[2] / "docs" / "ir.md"
BLOCKS = [(lang, body) for lang, body in re.findall(r"```(\w*)\n(.*?)```", DOC.read_text(), re.S)
          if lang == "jir" or (lang == "" and body.lstrip().startswith(("module", "func")))]


def test_the_document_has_ir_examples():
    assert any(lang == "jir" for lang, _ in BLOCKS)


@pytest.mark.parametrize("body", [b for _, b in BLOCKS], ids=[f"example{i}" for i in range(len(BLOCKS))])
def test_every_ir_example_in_docs_ir_md_parses(body):
    if body.lstrip().startswith("module"):
        module = parse(body)
        verify(module)
    else:
        parse_function(body)
