"""Every Swedish message Kassasync can show the shop owner is documented in ``docs/errors.md``.

The messages are found mechanically, with ``ast``, in every module under ``src/kassasync``. A *message*
is a text that tells the shop owner that something went wrong, needs attention, or how an action ended.
A string literal (or f-string) is a message when it sits in one of these places:

1. the typed-error channel: a class attribute ``default_user_message = ...``; an assignment to a name
   or attribute called ``user_message``; a ``user_message=`` keyword in any call (the ``KassasyncError``
   family, ``ReportedError``, the preflight ``Problem``);
2. a positional argument that is a message field: ``Rule(kind, user_message, ...)`` in
   ``fortnox/errors.py``, ``ReportedError(user_message, detail)``, ``Notice(title, message)`` (the tray
   notification) and ``ReceiptProblem(receipt, field, message, detail)``, or their ``message=`` keyword;
3. the settings dialog: a value stored into ``<x>.errors[...]`` or ``<x>.warnings[...]`` (the red and
   yellow texts under the fields), and what a function named ``*_warning`` returns;
4. dialog boxes and the command line's error stream: the message argument of ``messagebox.show*(title,
   message)``; in the command line (``commands/``, ``cli.py``) any argument of ``print(...,
   file=sys.stderr)``; any argument of a ``_say*(...)`` helper;
5. the receipt-validation phrases: the values of the module-level ``TEMPLATES`` dict (``pos/messages.py``
   puts them after ``Kvitto <nr>: <fält>``).

A bare name in a message position (``Notice(TITLE, BUSY_MESSAGE)``, ``_say_already_running(
ALREADY_RUNNING)``) is resolved to the module-level string constant of that name.

Each formatted field of an f-string, and each ``{name}`` field of a ``str.format`` template, becomes the
placeholder ``…``. A text that is only a frame around another message (a placeholder plus at most one
word, e.g. ``f"Fel: {exc.user_message}"``) is not a message of its own.

Not messages: menu entries, field and button labels, window titles, tooltip status lines ("synkroniserar",
"allt klart"), progress step names, ``--help`` texts, ordinary progress/status output on stdout, the
English ``detail`` texts and log lines.

In ``docs/errors.md`` each message is a quoted line (``> text``) that matches the whole message, with
``…`` (or an example) where the code has a placeholder; whitespace is normalised on both sides.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "kassasync"
DOC = ROOT / "docs" / "errors.md"

PLACEHOLDER = "…"

# Callee name -> index of its message argument (rule 2).
MESSAGE_ARGUMENT: dict[str, int] = {"Rule": 1, "ReportedError": 0, "Notice": 1, "ReceiptProblem": 2}
MESSAGE_KEYWORDS = {"message", "user_message"}
FORMAT_FIELD = re.compile(r"\{[^{}]*\}")
WORD = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True)
class Message:
    text: str  # normalised: placeholders as "…", whitespace collapsed
    path: str
    line: int

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


def _callee(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _normalise(text: str) -> str:
    return " ".join(text.split())


def _text(node: ast.expr, constants: dict[str, str]) -> str | None:
    """The node's text with placeholders, or None when it is not a string literal, f-string or constant."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return FORMAT_FIELD.sub(PLACEHOLDER, node.value)
    if isinstance(node, ast.JoinedStr):
        parts = [
            FORMAT_FIELD.sub(PLACEHOLDER, v.value)
            if isinstance(v, ast.Constant) and isinstance(v.value, str)
            else PLACEHOLDER
            for v in node.values
        ]
        return "".join(parts)
    if isinstance(node, ast.Name) and node.id in constants:
        return constants[node.id]
    return None


def _is_frame(text: str) -> bool:
    """A placeholder plus at most one word: a wrapper around another message, not a message."""
    return PLACEHOLDER in text and len(WORD.findall(text.replace(PLACEHOLDER, " "))) <= 1


def _module_constants(trees: list[ast.Module]) -> dict[str, str]:
    constants: dict[str, str] = {}
    for tree in trees:
        for stmt in tree.body:
            if (
                isinstance(stmt, ast.Assign)
                and len(stmt.targets) == 1
                and isinstance(stmt.targets[0], ast.Name)
                and isinstance(stmt.value, ast.Constant)
                and isinstance(stmt.value.value, str)
            ):
                constants[stmt.targets[0].id] = FORMAT_FIELD.sub(PLACEHOLDER, stmt.value.value)
    return constants


def _target_name(target: ast.expr) -> str:
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Attribute):
        return target.attr
    return ""


def _is_feedback_slot(target: ast.expr) -> bool:
    """``result.errors[...]`` / ``result.warnings[...]``: the texts under the settings dialog's fields."""
    return isinstance(target, ast.Subscript) and _target_name(target.value) in {"errors", "warnings"}


def _writes_to_stderr(call: ast.Call) -> bool:
    return any(
        k.arg == "file" and isinstance(k.value, ast.Attribute) and k.value.attr == "stderr"
        for k in call.keywords
    )


def _assignment(node: ast.AST) -> tuple[list[ast.expr], ast.expr] | None:
    """Targets and value of ``x = value`` or ``x: T = value``; None for anything else."""
    if isinstance(node, ast.Assign):
        return node.targets, node.value
    if isinstance(node, ast.AnnAssign) and node.value is not None:
        return [node.target], node.value
    return None


def _is_messagebox(call: ast.Call) -> bool:
    """``messagebox.showinfo(title, message)``, ``showerror``, ``showwarning``."""
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr.startswith("show")
        and _target_name(func.value) == ("messagebox")
    )


def _message_nodes(tree: ast.Module, command_line: bool) -> list[ast.expr]:
    """The expressions in message positions (rules 1-5); whether they are text is decided later."""
    found: list[ast.expr] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for stmt in node.body:
                assignment = _assignment(stmt)
                if assignment and any(_target_name(t) == "default_user_message" for t in assignment[0]):
                    found.append(assignment[1])
        elif assignment := _assignment(node):
            targets, value = assignment
            if any(_target_name(t) == "user_message" or _is_feedback_slot(t) for t in targets):
                found.append(value)
            if any(_target_name(t) == "TEMPLATES" for t in targets) and isinstance(value, ast.Dict):
                found.extend(v for v in value.values if v is not None)
        elif isinstance(node, ast.FunctionDef) and node.name.endswith("_warning"):
            found.extend(
                sub.value for sub in ast.walk(node) if isinstance(sub, ast.Return) and sub.value is not None
            )
        elif isinstance(node, ast.Call):
            name = _callee(node)
            found.extend(k.value for k in node.keywords if k.arg == "user_message")
            if name in MESSAGE_ARGUMENT:
                found.extend(node.args[MESSAGE_ARGUMENT[name] :][:1])
                found.extend(k.value for k in node.keywords if k.arg in MESSAGE_KEYWORDS)
            elif _is_messagebox(node):
                found.extend(node.args[1:2])
                found.extend(k.value for k in node.keywords if k.arg == "message")
            elif (name == "print" and _writes_to_stderr(node) and command_line) or name.startswith("_say"):
                found.extend(node.args)
    return found


def _unwrap(node: ast.expr) -> list[ast.expr]:
    """``a if c else b`` may be either text."""
    if isinstance(node, ast.IfExp):
        return [*_unwrap(node.body), *_unwrap(node.orelse)]
    return [node]


def extract_messages(package: Path = PACKAGE) -> list[Message]:
    files = sorted(package.rglob("*.py"))
    trees = [ast.parse(f.read_text(encoding="utf-8"), filename=str(f)) for f in files]
    constants = _module_constants(trees)
    messages: dict[str, Message] = {}
    for path, tree in zip(files, trees, strict=True):
        command_line = path.parent.name == "commands" or path.name == "cli.py"
        for candidate in _message_nodes(tree, command_line):
            for node in _unwrap(candidate):
                text = _text(node, constants)
                if text is None:
                    continue
                text = _normalise(text)
                if not text or _is_frame(text):
                    continue
                messages.setdefault(text, Message(text, path.relative_to(ROOT).as_posix(), node.lineno))
    return sorted(messages.values(), key=lambda m: (m.path, m.line))


def _pattern(text: str) -> re.Pattern[str]:
    """The whole message, with each placeholder as a wildcard (``…`` or an example in the document)."""
    return re.compile(".*?".join(re.escape(part) for part in text.split(PLACEHOLDER)))


def documented_messages(doc: Path = DOC) -> list[str]:
    """The quoted lines (``> text``) of the document, whitespace normalised."""
    lines = (line.strip() for line in doc.read_text(encoding="utf-8").splitlines())
    return [_normalise(line[1:]) for line in lines if line.startswith(">")]


def test_extraction_finds_the_messages() -> None:
    """Guards against a rule that silently finds nothing (and so passes vacuously)."""
    texts = {m.text for m in extract_messages()}
    assert len(texts) >= 100, f"only {len(texts)} messages found"
    assert "Fortnox svarar inte just nu. Inget har gått förlorat; synkroniseringen försöker igen senare." in (
        texts
    )
    assert (
        "Konto … är inaktivt i Fortnox. Aktivera kontot i kontoplanen (Inställningar → Bokföring → "
        "Kontoplan) och synkronisera igen." in texts
    )
    assert "Synkronisering pågår redan; den körs igen när den är klar." in texts  # via BUSY_MESSAGE
    assert "Ange antal minuter mellan 1 och 1440." in texts  # settings dialog
    assert "Fel: …" not in texts  # a frame, not a message


def test_every_message_is_documented() -> None:
    documented = documented_messages()
    missing = [
        m for m in extract_messages() if not any(_pattern(m.text).fullmatch(line) for line in documented)
    ]
    report = "\n".join(f"  {m.where}: {m.text}" for m in missing)
    assert not missing, (
        f"{len(missing)} message(s) shown to the shop owner are not in docs/errors.md. Add each as a quoted "
        f"line (> text, with … for a placeholder) followed by its Orsak and Åtgärd:\n{report}"
    )
