"""HTML renderers for the compile record's texts: highlighted code views with line anchors.

Every view has `_repr_mimebundle_` with `text/plain` (the stage text itself) and `text/html`
(Pygments colours, one `<span class="jl-row">` per line carrying the source lines it came from in
`data-src`, highlighted rows for a chosen source line, marked search matches, a copy button). The
HTML is self-contained (inline `<style>`), needs no JavaScript except for the copy button, and is
what the explorer widget shows in its tabs.

    IRView(module_or_text)  LLVMView(text)  AsmView(text)  SourceView(text)  StageView(text, language)
"""
from __future__ import annotations

import html
from collections.abc import Sequence
from functools import cache

from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import GasLexer, PythonLexer, TextLexer
from pygments.lexers.diff import DiffLexer
from pygments.token import STANDARD_TYPES

from ..ir import Module, print_module
from .lexers import JitlabIRLexer, LLVMLexer, PTXLexer, StageTextLexer
from .regions import REGIONS_MIME, regions_json

LANGUAGES = ("python", "llvm", "jitlab-ir", "asm", "ptx", "listing", "diff", "text")

# Which language each pipeline stage's text is in (stages not named here are plain text,
# IR stages added later are recognised by their artefact being a Module).
STAGE_LANGUAGE = {
    "source": "python", "bytecode": "listing", "flow": "listing", "regions": "listing",
    "rvsdg": "jitlab-ir", "opt": "jitlab-ir", "typed": "jitlab-ir",
    "llvm": "llvm", "llvm-opt": "llvm", "asm": "asm",
    "ptx-llvm": "llvm", "ptx-llvm-opt": "llvm", "ptx": "ptx", "ptx-resources": "text", "sass": "text",
}


@cache
def lexer_for(language: str) -> Lexer:
    factories = {"python": PythonLexer, "llvm": LLVMLexer, "jitlab-ir": JitlabIRLexer, "asm": GasLexer,
                 "ptx": PTXLexer, "listing": StageTextLexer, "diff": DiffLexer, "text": TextLexer}
    if language not in factories:
        raise ValueError(f"unknown language {language!r}; known: {', '.join(LANGUAGES)}")
    return factories[language](stripnl=False, ensurenl=False)


def _css_class(ttype) -> str:
    while ttype not in STANDARD_TYPES:
        ttype = ttype.parent
    return STANDARD_TYPES[ttype]


def highlight_rows(text: str, language: str) -> list[str]:
    """The text as HTML, one string per line, tokens wrapped in Pygments' short CSS classes."""
    rows: list[list[str]] = [[]]
    for ttype, value in lexer_for(language).get_tokens(text):
        cls = _css_class(ttype)
        for i, piece in enumerate(value.split("\n")):
            if i:
                rows.append([])
            if piece:
                escaped = html.escape(piece, quote=False)
                rows[-1].append(f'<span class="{cls}">{escaped}</span>' if cls else escaped)
    n = len(text.splitlines())
    return ["".join(r) for r in rows[:n]] + [""] * (n - len(rows))


CSS = (HtmlFormatter(style="default").get_style_defs(".jitlab-code") + """
.jitlab-code { font-family: var(--jp-code-font-family, monospace); font-size: 12px; }
.jitlab-code pre { margin: 0; padding: 4px 0; line-height: 1.35; background: #fafafa; overflow-x: auto;
  max-height: 36em; }
.jitlab-code .jl-row { display: block; white-space: pre; padding-right: 1em; }
.jitlab-code .jl-no { display: inline-block; width: 3.2em; padding-right: .6em; text-align: right;
  color: #999; user-select: none; border-right: 1px solid #e5e5e5; margin-right: .6em; }
.jitlab-code .jl-src { color: #b0b0b0; float: right; padding-left: 1em; user-select: none; }
.jitlab-code .jl-hl { background: #fff3b0; }
.jitlab-code .jl-match { background: #c9e7ff; }
.jitlab-code .jl-head { display: flex; gap: .8em; align-items: center; color: #555; padding: 2px 0; }
.jitlab-code .jl-head b { color: #222; }
.jitlab-code button.jl-copy { font-size: 11px; padding: 0 .5em; cursor: pointer; }
.jitlab-code textarea.jl-copy-text { display: none; }
""")


def code_html(text: str, language: str, *, title: str | None = None, line_map: Sequence[frozenset] = (),
              highlight: frozenset[int] = frozenset(), search: str = "", note: str | None = None,
              copy: bool = True, css: bool = True) -> str:
    """A highlighted code block: numbered rows; rows from a `highlight`ed source line marked;
    rows containing `search` (case-insensitive) marked; each row's source lines in `data-src`."""
    rows = highlight_rows(text, language)
    needle = search.casefold()
    out = []
    matches = 0
    for i, row in enumerate(rows):
        lines = line_map[i] if i < len(line_map) else frozenset()
        classes = ["jl-row"]
        if lines & highlight:
            classes.append("jl-hl")
        raw = text.splitlines()[i] if needle else ""
        if needle and needle in raw.casefold():
            classes.append("jl-match")
            matches += 1
        src = ",".join(map(str, sorted(lines)))
        tag = f'<span class="jl-src">:{src}</span>' if src and language != "python" else ""
        out.append(f'<span class="{" ".join(classes)}" data-row="{i + 1}" data-src="{src}">'
                   f'<span class="jl-no">{i + 1}</span>{row}{tag}</span>')
    head = []
    if title:
        head.append(f"<b>{html.escape(title)}</b>")
    head.append(f"<span>{len(rows)} lines</span>")
    if needle:
        head.append(f"<span>{matches} match{'es' * (matches != 1)} for “{html.escape(search)}”</span>")
    if note:
        head.append(f"<span>{html.escape(note)}</span>")
    if copy:
        head.append(copy_button(text))
    style = f"<style>{CSS}</style>" if css else ""
    return (f'{style}<div class="jitlab-code"><div class="jl-head">{"".join(head)}</div>'
            f'<pre>{"".join(out)}</pre></div>')


# The clipboard API needs a secure context (https or localhost); elsewhere (a notebook served over
# plain http) copy through a temporary selected textarea.  The button says when it copied.
_COPY_JS = ("(function(b){var t=b.nextElementSibling.value;"
            "function old(){var a=document.createElement('textarea');a.value=t;a.style.position='fixed';"
            "document.body.appendChild(a);a.select();document.execCommand('copy');a.remove();}"
            "function done(){b.textContent='copied';setTimeout(function(){b.textContent='copy'},1500);}"
            "if(navigator.clipboard&&window.isSecureContext){navigator.clipboard.writeText(t)"
            ".then(done,function(){old();done();});}else{old();done();}})(this)")


def copy_button(text: str) -> str:
    """A button that copies `text` to the clipboard (kept in a hidden textarea next to it)."""
    return (f'<button class="jl-copy" title="copy to clipboard" onclick="{_COPY_JS}">copy</button>'
            f'<textarea class="jl-copy-text" readonly>{html.escape(text)}</textarea>')


class StageView:
    """One stage's text, shown highlighted; `_repr_mimebundle_` gives text/plain and text/html."""

    language = "text"

    def __init__(self, text: str, language: str | None = None, *, title: str | None = None,
                 line_map: Sequence[frozenset] = (), highlight: frozenset[int] | set[int] = frozenset(),
                 search: str = "", note: str | None = None):
        self.text = text
        if language is not None:
            self.language = language
        self.title = title
        self.line_map = tuple(line_map)
        self.highlight = frozenset(highlight)
        self.search = search
        self.note = note

    def __repr__(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        return code_html(self.text, self.language, title=self.title, line_map=self.line_map,
                         highlight=self.highlight, search=self.search, note=self.note)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, str]:
        return {"text/plain": self.text, "text/html": self._repr_html_()}


class SourceView(StageView):
    language = "python"


class IRView(StageView):
    """jitlab IR: from a `Module` (printed with the one printer) or its text."""

    language = "jitlab-ir"

    def __init__(self, module: Module | str, **kw):
        self.module = module if isinstance(module, Module) else None
        super().__init__(print_module(module) if isinstance(module, Module) else module, **kw)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        bundle = super()._repr_mimebundle_(include, exclude)
        if self.module is not None:
            bundle[REGIONS_MIME] = regions_json(self.module)  # the region graph travels with the IR
        return bundle


class LLVMView(StageView):
    language = "llvm"


class AsmView(StageView):
    language = "asm"


def view_for_stage(stage: str, text: str, artefact=None, **kw) -> StageView:
    """The view class that fits a stage (IR stages by their artefact being a Module)."""
    if isinstance(artefact, Module):
        return IRView(text, title=kw.pop("title", stage), **kw)
    language = STAGE_LANGUAGE.get(stage, "text")
    cls = {"python": SourceView, "llvm": LLVMView, "asm": AsmView, "jitlab-ir": IRView}.get(language)
    if cls is None:
        return StageView(text, language, title=kw.pop("title", stage), **kw)
    return cls(text, title=kw.pop("title", stage), **kw)
