"""The shipped lexers on real compiler output: no `Error` token anywhere."""
from __future__ import annotations

import pytest
from pygments.lexers import LlvmLexer
from pygments.token import Error, Keyword, Name

from jitlab.notebook.lexers import JitlabIRLexer, LLVMLexer
from jitlab.notebook.render import STAGE_LANGUAGE, lexer_for

MODERN_LLVM = """\
; Function Attrs: nofree norecurse nosync nounwind memory(argmem: write)
define noundef i32 @f(ptr writeonly captures(none) %ret, ptr readnone captures(none) %x, i64 %n) #0 {
entry:
  %a = uitofp nneg i64 %n to double
  %c = icmp samesign ult i64 %n, 10
  %z = zext nneg i32 7 to i64
  %g = getelementptr inbounds nuw i8, ptr %ret, i64 8
    #dbg_value(i64 %n, !10, !DIExpression(), !12)
  store double %a, ptr %ret, align 8, !dbg !12
  ret i32 0
}
attributes #0 = { nofree norecurse nosync nounwind memory(argmem: write) "target-cpu"="x86-64-v3" }
!12 = !DILocation(line: 3, column: 7, scope: !5)
"""


def errors(lexer, text: str) -> list[str]:
    return [value for ttype, value in lexer.get_tokens(text) if ttype in Error]


def test_pygments_own_llvm_lexer_chokes_on_modern_syntax():
    # Why lexers.py exists; if Pygments catches up, this test says the fixed lexer can go.
    assert errors(LlvmLexer(), MODERN_LLVM)


def test_llvm_lexer_reads_modern_syntax():
    assert errors(LLVMLexer(), MODERN_LLVM) == []
    tokens = list(LLVMLexer().get_tokens(MODERN_LLVM))
    assert (Keyword, "uitofp") in tokens
    assert (Name.Variable, "%ret") in tokens
    assert any(t in Name.Decorator and v == "#dbg_value" for t, v in tokens)


@pytest.mark.parametrize("stage", ["source", "bytecode", "flow", "regions", "rvsdg", "typed", "llvm",
                                   "llvm-opt", "asm"])
def test_no_error_tokens_on_real_output(loop_record, stage):
    text = loop_record.texts[stage]
    assert errors(lexer_for(STAGE_LANGUAGE[stage]), text) == []


def test_ir_lexer_classifies_the_ir(loop_record):
    tokens = list(JitlabIRLexer().get_tokens(loop_record.texts["typed"]))
    assert (Keyword, "theta") in tokens and (Keyword, "gamma") in tokens
    assert (Name.Builtin, "py.binop") in tokens
    assert any(t in Keyword.Type and v == "f64" for t, v in tokens)
    assert errors(JitlabIRLexer(), loop_record.texts["rvsdg"]) == []
