"""Import sources: parsed once, JSON errors placed by line and column."""

from __future__ import annotations

from webhook_inspector.core.formats.importresult import Environment, ImportResult, Source


def test_source_parses_json_or_yaml():
    assert Source('{"a": 1}').json() == {"a": 1}
    assert Source('{"a": 1}').yaml() is None
    assert Source("a: 1\n").yaml() == {"a": 1}
    assert Source("a: [\n").yaml() is None
    assert Source("curl x").json() is None


def test_json_error_names_format_line_and_column():
    error = Source('{\n  "a": }').json_error("HAR")
    assert error is not None and str(error) == "HAR line 2 column 8: Expecting value"
    assert Source("{}").json_error("HAR") is None


def test_result_defaults():
    result = ImportResult("cURL", ())
    assert result.warnings == () and result.environments == ()
    assert Environment("e", (("k", "v"),)).variables == (("k", "v"),)
