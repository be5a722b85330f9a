"""Segmentation and assembly over the construct fixtures in tests/data/posts."""

from __future__ import annotations

import json
import re

import pytest

from i18n_posts.align import align
from i18n_posts.assemble import assemble
from i18n_posts.backends import BatchRequest, RequestUnit
from i18n_posts.backends.offline import PseudoBackend
from i18n_posts.check import check_document
from i18n_posts.load import load_post, parse_post

from conftest import DATA, HAN, POSTS

ids = [p.stem for p in POSTS]


@pytest.mark.parametrize("path", POSTS, ids=ids)
def test_units_match_expected(path, segmenter):
    post = segmenter.segment(load_post(path))
    expected = json.loads((DATA / "expected" / f"{path.stem}.json").read_text(encoding="utf-8"))
    got = [
        {
            "id": u.id,
            "kind": u.kind,
            "line": u.line,
            "text": u.text,
            "placeholders": [post.source.text[p.start : p.end] for p in u.placeholders if p.kind != "close"],
        }
        for u in post.units
    ]
    assert got == expected


@pytest.mark.parametrize("path", POSTS, ids=ids)
def test_identity_round_trip(path, segmenter):
    post = segmenter.segment(load_post(path))
    out = assemble(post, {u.id: u.text for u in post.units})
    assert out.encode("utf-8") == path.read_bytes()


def pseudo(post):
    request = BatchRequest(tuple(RequestUnit(u.id, u.text) for u in post.units), "zh", "en")
    return PseudoBackend({}).translate(request)


@pytest.mark.parametrize("path", POSTS, ids=ids)
def test_pseudo_keeps_structure_and_protected_text(path, segmenter):
    post = segmenter.segment(load_post(path))
    tr = pseudo(post)
    out = assemble(post, tr)
    assert check_document(segmenter.md, post.source, out) == []
    # line endings and BOM survive
    assert out.startswith("\ufeff") == post.source.text.startswith("\ufeff")
    assert ("\r\n" in out) == ("\r\n" in post.source.text)
    # the output aligns back to the very translations it was made of
    back = align(post, parse_post(path, out.encode()), segmenter)
    assert back.problem == ""
    assert set(back.translations) == {u.id for u in post.units}
    # every fenced code block is unchanged
    fences = re.findall(r"^ *```.*?^ *```", post.source.text, re.S | re.M)
    for f in fences:
        assert f in out
    # no Han character is left in the translated units
    for u in post.units:
        assert not re.search(HAN, re.sub(r"</?[xg]\d+/?>", "", tr[u.id])), u.id
