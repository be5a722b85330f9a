"""The 89 real posts of our first users (copied into tests/data/corpus): identity returns each
byte for byte; a pseudo translation keeps the structure and aligns back to its units."""

from __future__ import annotations

import re

import pytest

from i18n_posts.align import align
from i18n_posts.assemble import assemble
from i18n_posts.backends import BatchRequest, RequestUnit
from i18n_posts.backends.offline import PseudoBackend
from i18n_posts.check import check_document
from i18n_posts.load import load_post, parse_post

from conftest import CORPUS, HAN

ids = [p.stem for p in CORPUS]


def test_corpus_is_there():
    assert len(CORPUS) == 89


@pytest.mark.parametrize("path", CORPUS, ids=ids)
def test_identity_and_pseudo(path, segmenter):
    post = segmenter.segment(load_post(path))
    assert assemble(post, {u.id: u.text for u in post.units}).encode() == path.read_bytes()
    tr = PseudoBackend({}).translate(
        BatchRequest(tuple(RequestUnit(u.id, u.text) for u in post.units), "zh", "en")
    )
    out = assemble(post, tr)
    assert check_document(segmenter.md, post.source, out) == []
    back = align(post, parse_post(path, out.encode()), segmenter)
    assert back.problem == ""
    assert set(back.translations) == set(tr)
    assert not any(re.search(HAN, re.sub(r"</?[xg]\d+/?>", "", t)) for t in tr.values())
