"""The shipped lexers on real compiler output: no `Error` token anywhere."""
from __future__ import annotations

import pytest
from pygments.lexers import LlvmLexer, PtxLexer
from pygments.token import Error, Keyword, Name

from jitlab.notebook.lexers import JitlabIRLexer, LLVMLexer, PTXLexer
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


MODERN_PTX = """\
.version 7.0
.target sm_80
.address_size 64
.visible .entry jitlab_kernel_k(
\t.param .u64 .ptr .align 1 jitlab_kernel_k_param_0
)
{
\t.reg .pred \t%p<2>;
\t.reg .b64 \t%rd<18>;
\t.loc\t1 14 8
\tsetp.ge.s64 \t%p1, %rd13, %rd10;
\t@%p1 bra \t$L__BB0_2;
\tmov.u32 \t%r1, %ctaid.x;
\tld.global.b64 \t%rd15, [%rd3+8];
\tadd.rn.f64 \t%rd17, %rd15, 0d3FF0000000000000;
$L__BB0_2:
\tret;
}
\t.file\t1 "/tmp/cell.py"
"""


def test_pygments_own_ptx_lexer_chokes_on_predicates():
    assert errors(PtxLexer(), MODERN_PTX)


def test_ptx_lexer_reads_nvptx_output():
    assert errors(PTXLexer(), MODERN_PTX) == []
    tokens = list(PTXLexer().get_tokens(MODERN_PTX))
    assert (Name.Builtin, "add.rn.f64") in tokens and (Name.Variable, "%ctaid.x") in tokens
    assert STAGE_LANGUAGE["ptx"] == "ptx" and isinstance(lexer_for("ptx"), PTXLexer)
