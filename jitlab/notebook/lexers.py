"""Pygments lexers for the texts jitlab prints: LLVM IR (as LLVM 20+ writes it) and jitlab IR.

Pygments' own `LlvmLexer` knows a fixed list of keywords and marks everything else as an `Error`
token: `captures(none)`, `nneg`, `samesign`, `memory(argmem: write)`, `#dbg_value` records and
other syntax newer than its list come out red. `LLVMLexer` here classifies by shape instead of by
list (a lowercase word is an instruction, attribute or keyword; `%x`/`@x`/`!x`/`#n` are values,
globals, metadata, attribute groups), so no input produces an `Error` token; a short list only
picks which words are instructions, for colour.

`JitlabIRLexer` reads the text format of `docs/ir.md`: `%ports`, `@functions`, `family.op` names,
`gamma`/`theta`/`func` keywords, types after `:`, `{attributes}` and `loc(line:col)`.
"""
from __future__ import annotations

from pygments.lexer import RegexLexer, bygroups, words
from pygments.token import (
    Comment, Keyword, Name, Number, Operator, Punctuation, String, Text, Whitespace,
)

# The LLVM instructions, coloured as keywords; every other bare word is still a valid token.
_LLVM_INSTRUCTIONS = (
    "ret", "br", "switch", "indirectbr", "invoke", "callbr", "resume", "catchswitch", "catchret",
    "cleanupret", "unreachable", "fneg", "add", "fadd", "sub", "fsub", "mul", "fmul", "udiv", "sdiv",
    "fdiv", "urem", "srem", "frem", "shl", "lshr", "ashr", "and", "or", "xor", "extractelement",
    "insertelement", "shufflevector", "extractvalue", "insertvalue", "alloca", "load", "store",
    "fence", "cmpxchg", "atomicrmw", "getelementptr", "trunc", "zext", "sext", "fptrunc", "fpext",
    "fptoui", "fptosi", "uitofp", "sitofp", "ptrtoint", "inttoptr", "bitcast", "addrspacecast",
    "icmp", "fcmp", "phi", "select", "freeze", "call", "tail", "musttail", "notail", "va_arg",
    "landingpad", "catchpad", "cleanuppad", "define", "declare", "attributes", "target",
    "source_filename", "type", "global", "constant",
)
_LLVM_TYPE = r"(?:i\d+|half|bfloat|float|double|x86_fp80|fp128|ppc_fp128|x86_amx|ptr|void|label|" \
             r"metadata|token|opaque)\b"
_LLVM_IDENT = r"[-a-zA-Z$._][-a-zA-Z$._0-9]*"


class LLVMLexer(RegexLexer):
    """LLVM IR as llvmlite 0.44+ (LLVM 15-22) prints it; never yields `Error` tokens."""

    name = "LLVM IR (jitlab)"
    aliases = ["jitlab-llvm"]
    filenames = []

    tokens = {
        "root": [
            (r"\s+", Whitespace),
            (r";.*?$", Comment.Single),
            (r'c?"(?:[^"\\]|\\.)*"', String),
            # labels: `entry:`, `"gamma.end":`, `12:`
            (r'^(' + _LLVM_IDENT + r'|"(?:[^"\\]|\\.)*"|\d+)(:)', bygroups(Name.Label, Punctuation)),
            (r'%(?:' + _LLVM_IDENT + r'|"(?:[^"\\]|\\.)*"|\d+)', Name.Variable),
            (r'@(?:' + _LLVM_IDENT + r'|"(?:[^"\\]|\\.)*"|\d+)', Name.Function),
            (r"#dbg_\w+", Name.Decorator),   # debug records (LLVM 19+)
            (r"#\d+", Name.Decorator),       # attribute groups
            (r'!(?:' + _LLVM_IDENT + r'|\d+)?', Name.Tag),   # metadata (`!0`, `!dbg`, `!{`)
            (r"\$" + _LLVM_IDENT, Name.Constant),             # comdats
            (r"0x[KLMHR]?[0-9A-Fa-f]+", Number.Hex),
            (r"[-+]?\d+\.\d*(?:[eE][-+]?\d+)?", Number.Float),
            (r"[-+]?\d+", Number.Integer),
            (_LLVM_TYPE, Keyword.Type),
            (words(_LLVM_INSTRUCTIONS, suffix=r"\b"), Keyword),
            (r"(?:true|false|null|none|undef|poison|zeroinitializer)\b", Keyword.Constant),
            (r"[A-Za-z_][-\w.]*", Name.Builtin),  # attributes, flags, linkage, conditions: any word
            (r"\.\.\.|[=*<>{}\[\](),:|]", Punctuation),
            (r".", Text),
        ],
    }


class JitlabIRLexer(RegexLexer):
    """jitlab IR text (`print_module`), the grammar of docs/ir.md."""

    name = "jitlab IR"
    aliases = ["jitlab-ir"]
    filenames = ["*.jir"]

    tokens = {
        "root": [
            (r"\s+", Whitespace),
            (r"//.*?$", Comment.Single),
            (r"\bloc\(\d+:\d+\)", Comment.Special),
            (r"\b(?:module|func|gamma|theta|return|yield)\b", Keyword),
            (r'%(?:[\w.$]+|"(?:[^"\\]|\\.)*")', Name.Variable),
            (r'@(?:[\w.$]+|"(?:[^"\\]|\\.)*")', Name.Function),
            (r"\^", Name.Label),
            (r"(:)(\s*)(![\w.]+|[A-Za-z_]\w*(?:<[^>]*>)?)", bygroups(Punctuation, Whitespace, Keyword.Type)),
            (r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+", Name.Builtin),   # op names: family.op
            (r'"(?:[^"\\]|\\.)*"', String),
            (r"(?:true|false|none|nan|-?inf)\b", Keyword.Constant),
            (r"-?\d+\.\d*(?:[eE][-+]?\d+)?|-?\d+[eE][-+]?\d+", Number.Float),
            (r"-?\d+", Number.Integer),
            (r"[A-Za-z_]\w*", Name.Attribute),
            (r"[=]", Operator),
            (r"[{}(),:<>]", Punctuation),
            (r".", Text),
        ],
    }


class StageTextLexer(RegexLexer):
    """The frontend's listings (bytecode, flow, regions): offsets, line numbers, op words, targets."""

    name = "jitlab stage listing"
    aliases = ["jitlab-listing"]
    filenames = []

    tokens = {
        "root": [
            (r"\s+", Whitespace),
            (r"(?:block|loop|branch|case|bytecode|flow|regions|empty|exit|stack)\b", Keyword),
            (r"->", Operator),
            (r"\$\w+", Name.Variable),
            (r"\d+(?:\.\d+)?", Number.Integer),
            (r"[A-Za-z_]\w*", Name),
            (r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"", String),
            (r".", Text),
        ],
    }


class PTXLexer(RegexLexer):
    """PTX as LLVM's NVPTX backend writes it (ISA 7+); never yields `Error` tokens.

    Pygments' `PtxLexer` marks predicate guards (`@%p1 bra ...`) and some newer directives as
    errors; this one classifies by shape: `.directive`, `opcode.type.modifiers`, `%registers`,
    `$labels`, `[addresses]`, numbers and `//` comments.
    """

    name = "PTX (jitlab)"
    aliases = ["jitlab-ptx"]
    filenames = []

    tokens = {
        "root": [
            (r"\s+", Whitespace),
            (r"//.*?$", Comment.Single),
            (r"/\*.*?\*/", Comment.Multiline),
            (r'"(?:[^"\\]|\\.)*"', String),
            (r"^([$\w.]+)(:)", bygroups(Name.Label, Punctuation)),
            (r"@!?%\w+", Name.Decorator),                       # predicate guard
            (r"\.loc\b|\.file\b", Comment.Special),
            (r"\.[A-Za-z_]\w*", Keyword),                       # directives and state spaces
            (r"%[A-Za-z_][\w.]*(?:<\d+>)?", Name.Variable),     # registers, %tid.x
            (r"\$[\w.]+", Name.Label),
            (r"0[xX][0-9A-Fa-f]+|0[dDfF][0-9A-Fa-f]+", Number.Hex),
            (r"-?\d+\.\d*(?:[eE][-+]?\d+)?", Number.Float),
            (r"-?\d+", Number.Integer),
            (r"[A-Za-z_]\w*(?:\.[A-Za-z_0-9]\w*)*", Name.Builtin),  # opcodes with their suffixes
            (r"[\[\](){},;:<>+\-=|!]", Punctuation),
            (r".", Text),
        ],
    }
