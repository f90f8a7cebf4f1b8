"""Project rules that code review alone would miss: the Qt-free core and the test mirror."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "webhook_inspector"


def _modules(folder: Path) -> list[str]:
    return sorted(
        ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for path in folder.rglob("*.py")
        if path.name != "__init__.py"
    )


def test_core_never_imports_qt_or_gui():
    modules = _modules(PACKAGE / "core")
    assert "webhook_inspector.core.store" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'qasync', "
        "'shiboken6') or m.startswith('webhook_inspector.gui'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_cli_list_does_not_import_the_gui_or_the_listener():
    code = (
        "import sys\nfrom webhook_inspector import cli\n"
        "cli.build_parser()\n"
        "print(any(m.startswith(('PySide6', 'webhook_inspector.core.listener')) "
        "for m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.strip() == "False", result.stderr


def test_the_window_paints_without_the_modules_it_loads_later(tmp_path):
    # DESIGN §6: the first paint waits for none of these; they load after it or on first use.
    later = ("pygments", "aiohttp", "httpx", "yaml", "multiprocessing", "cryptography",
             "asyncio", "qasync", "concurrent.futures",
             "webhook_inspector.gui.detailview", "webhook_inspector.gui.composer",
             "webhook_inspector.gui.listenercontrol", "webhook_inspector.gui.searchworker",
             "webhook_inspector.core.formats.", "webhook_inspector.core.signing",
             "webhook_inspector.core.query", "webhook_inspector.core.searchtext",
             "webhook_inspector.core.listener", "webhook_inspector.core.service",
             "webhook_inspector.core.httpwire", "webhook_inspector.core.bodies",
             "webhook_inspector.core.verification",
             "webhook_inspector.gui.crashdialog")  # fmt: skip
    from webhook_inspector.core.store import Store

    Store(tmp_path / "w.sqlite3").close()  # migrated already, as a returning user's store is
    code = (
        "import sys\nfrom webhook_inspector import cli\ncli.build_parser()\n"
        "from webhook_inspector import app\n"
        "from webhook_inspector.gui.theme import fusion_application\n"
        "qt = fusion_application(['app'])\n"
        "from webhook_inspector.core.store import Store\n"
        "from webhook_inspector.gui.settings import Settings\n"
        f"store = Store({str(tmp_path / 'w.sqlite3')!r})\n"
        f"settings = Settings({str(tmp_path / 's.ini')!r})\n"
        "window = app.MainWindow(store, '', settings=settings, sample=app._first_sample(),\n"
        "                        highlighter=app.Highlighter(), listen_on=('127.0.0.1', 0))\n"
        "window.show()\n"
        "app._wait_for_first_paint(window)\n"
        f"print(sorted(m for m in sys.modules if m.startswith({later!r})))\n"
        "print(qt.style().name())\n"
        "window.close()\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, env=env, timeout=60)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["[]", "fusion"]


def test_every_module_has_a_test_module():
    exempt = {"webhook_inspector.__main__", "webhook_inspector.core.tasks",
              "webhook_inspector.core.errors", "webhook_inspector.core.model"}  # fmt: skip
    missing = []
    for name in _modules(PACKAGE):
        if name in exempt:
            continue
        parts = name.split(".")[1:]
        test = ROOT / "tests" / Path(*parts[:-1]) / f"test_{parts[-1]}.py"
        if not test.exists():
            missing.append(f"{name} → {test.relative_to(ROOT)}")
    assert not missing, "modules without a test module:\n" + "\n".join(missing)


def test_every_test_module_mirrors_a_module():
    orphans = []
    for test in (ROOT / "tests").rglob("test_*.py"):
        rel = test.relative_to(ROOT / "tests")
        if rel.parts[0] == "integration" or rel == Path("test_layout.py"):
            continue
        source = PACKAGE / rel.parent / f"{test.stem.removeprefix('test_')}.py"
        if not source.exists():
            orphans.append(str(rel))
    assert not orphans, f"test modules with no module to mirror: {orphans}"
