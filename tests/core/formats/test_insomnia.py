"""Insomnia import details: folder cycles cannot hang, slashes in names stay names."""

from __future__ import annotations

import json

from webhook_inspector.core.formats.importresult import Source
from webhook_inspector.core.formats.insomnia import read_v4, sniff_v4, sniff_v5


def test_parent_cycle_ends_and_slash_in_name_is_not_a_folder():
    resources = [
        {"_id": "a", "parentId": "b", "name": "A", "_type": "request_group"},
        {"_id": "b", "parentId": "a", "name": "B", "_type": "request_group"},
        {"_id": "r", "parentId": "a", "name": "x/y", "url": "http://h/", "_type": "request"},
        {"_id": "g", "parentId": "a", "name": "rpc", "_type": "grpc_request"},
    ]
    source = Source(json.dumps({"_type": "export", "__export_format": 4, "resources": resources}))
    assert sniff_v4(source) and not sniff_v5(source)
    result = read_v4(source)
    assert result.requests[0].name == "B/A/x∕y"
    assert result.warnings == ("Insomnia v4: grpc_request resources are not imported",)
