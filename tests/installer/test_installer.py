"""The Windows installer agrees with the agent, and its sources build.

What a Linux machine can check: the shared names, the NSIS script compiling (makensis runs on Linux), the
PyInstaller spec's shape. What it cannot (running the installer, the frozen exe on Windows) is listed in
installer/README.md.
"""

from __future__ import annotations

import ast
import importlib
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from kassasync.platform import autostart, constants

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer"
NSI = INSTALLER / "kassasync.nsi"
NAMES_NSH = INSTALLER / "names.nsh"
SPEC = INSTALLER / "kassasync.spec"
SHARED_NAMES = ("APP_DISPLAY_NAME", "RUN_KEY_PATH", "RUN_VALUE_NAME", "MUTEX_NAME")
WINDOWS_ONLY_IMPORTS = {"pystray._win32", "win32ctypes.core"}
LANGUAGES = {"LANG_SWEDISH", "LANG_ENGLISH"}


def load_make_names() -> SimpleNamespace:
    """installer/ is not a package; run make_names.py as a module without writing names.nsh."""
    namespace: dict[str, object] = {"__name__": "make_names", "__file__": str(INSTALLER / "make_names.py")}
    exec(
        compile((INSTALLER / "make_names.py").read_text(encoding="utf-8"), "make_names.py", "exec"), namespace
    )
    return SimpleNamespace(**namespace)


def nsis_unquote(text: str) -> str:
    assert text.startswith('"') and text.endswith('"'), text
    return text[1:-1].replace('$\\"', '"').replace("$$", "$")


def nsi_code() -> list[str]:
    """The script's lines without comments: a name mentioned in a comment is no copy that can drift."""
    return [
        line for line in NSI.read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith(";")
    ]


def nsi_defines() -> dict[str, str]:
    """`!define NAME "value"` / `'value'` of the script and names.nsh, with ${...} expanded."""
    text = NAMES_NSH.read_text(encoding="utf-8") + "\n" + "\n".join(nsi_code())
    raw = dict(re.findall(r"^\s*!define\s+(\w+)\s+(\"[^\"]*\"|'[^']*')", text, re.MULTILINE))
    defines = {name: value[1:-1] for name, value in raw.items()}

    def expand(value: str) -> str:
        def one(match: re.Match[str]) -> str:
            name = match.group(1)
            return expand(defines[name]) if name in defines else match.group(0)  # e.g. -DVERSION

        return re.sub(r"\$\{(\w+)\}", one, value)

    return {name: expand(value) for name, value in defines.items()}


# (a) names.nsh


def test_names_nsh_is_what_make_names_writes_now() -> None:
    """A changed constant without a regenerated names.nsh would ship an uninstaller that misses the agent."""
    make_names = load_make_names()
    # read_text: a Windows checkout may have turned the LF into CRLF.
    assert NAMES_NSH.read_text(encoding="utf-8") == make_names.render()
    assert "do not edit" in NAMES_NSH.read_text(encoding="utf-8").splitlines()[0]


def test_names_nsh_holds_the_agents_constants() -> None:
    found = dict(re.findall(r'^!define (\w+) (".*")$', NAMES_NSH.read_text(encoding="utf-8"), re.MULTILINE))
    assert set(found) == set(SHARED_NAMES)
    for name in SHARED_NAMES:
        assert nsis_unquote(found[name]) == getattr(constants, name), name


def test_nsis_quoting_keeps_dollars_and_quotes_literal() -> None:
    make_names = load_make_names()
    assert make_names.nsis_quote(r'C:\a$b"c') == r'"C:\a$$b$\"c"'
    assert nsis_unquote(make_names.nsis_quote(r'C:\a$b"c')) == r'C:\a$b"c'


# (b) the .nsi uses the shared names, never copies of them


def test_nsi_includes_names_and_uses_the_shared_defines() -> None:
    code = "\n".join(nsi_code())
    assert re.search(r'^!include "names\.nsh"$', code, re.MULTILINE)
    for name in ("MUTEX_NAME", "RUN_VALUE_NAME", "RUN_KEY_PATH", "APP_DISPLAY_NAME"):
        assert "${" + name + "}" in code, name


def test_nsi_has_no_literal_copy_of_the_shared_names() -> None:
    code = "\n".join(nsi_code())
    assert constants.MUTEX_NAME not in code
    assert constants.RUN_KEY_PATH not in code
    # "Kassasync" is also the display name; any spelling of it outside comments would be a copy.
    assert constants.RUN_VALUE_NAME not in code
    assert constants.APP_DISPLAY_NAME not in code


def test_every_run_key_write_and_delete_uses_the_shared_value_name() -> None:
    lines = [line.strip() for line in nsi_code() if "${RUN_KEY_PATH}" in line]
    assert any(line.startswith("WriteRegStr") for line in lines)
    assert sum(line.startswith("DeleteRegValue") for line in lines) == 2  # unticked on upgrade; uninstall
    for line in lines:
        assert line.split()[1:4] == ["HKCU", '"${RUN_KEY_PATH}"', '"${RUN_VALUE_NAME}"'], line


def test_installer_registers_the_same_command_the_agent_would() -> None:
    """The agent's settings show autostart as on only for its exact command; saving them keeps it then."""
    monkeypatch = pytest.MonkeyPatch()
    with monkeypatch.context() as patch:
        patch.setattr(autostart, "os", SimpleNamespace(name="nt"))
        expected = autostart.launch_command(executable=r"$INSTDIR\kassasync-tray.exe", frozen=True)
    assert nsi_defines()["RUN_COMMAND"] == expected


def test_uninstaller_keeps_user_data_unless_asked() -> None:
    code = "\n".join(nsi_code())
    data_section = re.search(
        r'^Section /o "un\.\$\(UNSEC_DATA\)" UnSecData$(.*?)^SectionEnd', code, re.M | re.S
    )
    assert data_section, "the data section must exist and be off (/o) by default"
    removals = re.findall(r"RMDir /r \"([^\"]+)\"", code)
    data_dirs = {r"$LOCALAPPDATA\${APP_DISPLAY_NAME}", r"$APPDATA\${APP_DISPLAY_NAME}"}
    assert data_dirs <= set(removals)
    assert all(
        path not in data_dirs for path in re.findall(r"RMDir /r \"([^\"]+)\"", code[: data_section.start()])
    )


def test_every_language_string_exists_in_swedish_and_english() -> None:
    code = "\n".join(nsi_code())
    defined: dict[str, set[str]] = {}
    for name, language in re.findall(r"^LangString (\w+) \$\{(\w+)\}", code, re.MULTILINE):
        defined.setdefault(name, set()).add(language)
    used = set(re.findall(r"\$\((\w+)\)", code))
    assert used, "texts shown to the user should be language strings"
    assert used <= set(defined), used - set(defined)
    assert all(languages == LANGUAGES for languages in defined.values()), defined


# (c) makensis compiles the script


def test_makensis_compiles_the_installer_with_a_stand_in_payload(tmp_path: Path) -> None:
    """Compiles installer/kassasync.nsi around a STAND-IN payload: two files named like the PyInstaller
    output whose content is the text "STAND-IN PAYLOAD, not a real program". That proves the script, the
    included names and every page, string and section compile, not that the result installs anything
    that runs (that needs Windows and the real frozen folder). -WX: warnings such as a language string
    missing in English fail the build."""
    makensis = shutil.which("makensis")
    if makensis is None:
        pytest.skip("makensis not on PATH (Debian: apt-get install nsis; Windows: choco install nsis)")
    payload = tmp_path / "payload"
    payload.mkdir()
    for name in ("kassasync-tray.exe", "kassasync.exe"):
        (payload / name).write_text("STAND-IN PAYLOAD, not a real program", encoding="ascii")
    setup = tmp_path / "Kassasync-Setup-0.1.0.exe"

    result = subprocess.run(
        [
            makensis,
            "-V2",
            "-WX",
            f"-DPAYLOAD_DIR={payload}",
            "-DVERSION=0.1.0",
            f"-DOUTFILE={setup}",
            str(NSI),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert setup.read_bytes()[:2] == b"MZ"


# (d) the PyInstaller spec


def spec_tree() -> ast.Module:
    return ast.parse(SPEC.read_text(encoding="utf-8"), str(SPEC))


def assigned(name: str) -> ast.expr:
    """The expression first assigned to a top-level name of the spec."""
    for node in spec_tree().body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            return node.value
    raise AssertionError(f"{name} is not assigned in the spec")


def test_spec_is_python_and_names_the_existing_icon() -> None:
    compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec")
    constants_in_order = sorted(
        (node for node in ast.walk(assigned("ICON")) if isinstance(node, ast.Constant)),
        key=lambda node: node.col_offset,
    )
    parts = [str(node.value) for node in constants_in_order]
    assert parts[-1] == "kassasync.ico"
    assert ROOT.joinpath(*parts).is_file()


def test_spec_freezes_both_launchers_which_call_the_entry_points() -> None:
    text = SPEC.read_text(encoding="utf-8")
    assert 'analysis("launcher.py")' in text
    assert 'analysis("launcher_cli.py")' in text
    assert "tray_main()" in (INSTALLER / "launcher.py").read_text(encoding="utf-8")
    assert "main()" in (INSTALLER / "launcher_cli.py").read_text(encoding="utf-8")
    assert '"kassasync-tray", console=False' in text
    assert '"kassasync", console=True' in text


def test_spec_bundles_the_package_data_the_agent_reads() -> None:
    text = SPEC.read_text(encoding="utf-8")
    assert 'collect_data_files("kassasync", includes=["pos/*.sql", "pos/*.json"])' in text
    assert 'collect_data_files("tzdata")' in text
    assert 'collect_data_files("fortnox_sandbox")' in text
    # kassasync.ui.icons looks in sys._MEIPASS/assets/icons when frozen.
    assert '"assets/icons"' in text


def test_spec_hidden_imports_are_importable_here() -> None:
    listed = ast.literal_eval(assigned("HIDDEN_IMPORTS"))
    assert {
        "apscheduler.triggers.interval",
        "apscheduler.triggers.cron",
        "apscheduler.triggers.date",
        "apscheduler.executors.pool",
        "apscheduler.jobstores.memory",
        "tzlocal",
        "keyring.backends.Windows",
        "win32ctypes.core",
        "pystray._win32",
    } <= set(listed)
    for module in listed:
        if module in WINDOWS_ONLY_IMPORTS and sys.platform != "win32":
            continue  # pywin32-ctypes is a Windows-only dependency; pystray._win32 needs the Win32 API
        importlib.import_module(module)
