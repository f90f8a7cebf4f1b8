"""YAML output that diffs well: keys in the order given, multi-line text as block scalars.

Every string survives a dump and a load unchanged: text with characters YAML would fold,
normalise or refuse (NEL, line and paragraph separators, a BOM, control characters, lone
surrogates) is written double-quoted, with escapes.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from webhook_inspector.core.errors import FormatError

_STR_TAG = "tag:yaml.org,2002:str"
# Characters a block or plain scalar keeps as they are; anything else forces double quotes.
_SAFE_CHARS = "\t\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff"
_PLAIN_SAFE = re.compile(f"[{_SAFE_CHARS}]*")
_ODD = re.compile(f"[^{_SAFE_CHARS}\r]")


# libyaml's loader reads a request file ~10x faster than the pure-Python one; same results.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Dumper(yaml.SafeDumper):
    """SafeDumper with our string styles."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if not _PLAIN_SAFE.fullmatch(value):
        return dumper.represent_scalar(_STR_TAG, value, style='"')
    # PyYAML falls back to quotes when a block scalar cannot hold the text (trailing spaces).
    return dumper.represent_scalar(_STR_TAG, value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _represent_str)


def dump_yaml(document: Any) -> str:
    """`document` (dicts, lists, strings, numbers) as YAML text in a stable form."""
    text = yaml.dump(
        document, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1 << 30, indent=2
    )
    # A `|+` block at the very end makes PyYAML close the document with `...`; harmless.
    return text


def load_yaml(text: str, what: str) -> Any:
    """Parse YAML text; raises FormatError naming `what` and the line of the problem."""
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 (a SafeLoader, in C when available)
    except yaml.YAMLError:
        pass  # libyaml refuses `\uDCxx` escapes (our non-UTF-8 header bytes); Python's reads them
    try:
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = f" line {mark.line + 1}" if mark is not None else ""
        raise FormatError(f"{what}{line}: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise FormatError(f"{what}: {exc}") from None


def odd_characters(text: str) -> int:
    """How many characters of `text` (other than CR) YAML can only write as escapes."""
    return len(_ODD.findall(text))
