"""The bundled example and its reference translation pass the checks that assembly applies."""

from __future__ import annotations

from pathlib import Path

from i18n_posts.align import align
from i18n_posts.check import CheckContext, check_document, check_unit
from i18n_posts.glossary import load_glossary
from i18n_posts.load import load_post

ROOT = Path(__file__).parent.parent
SOURCE = ROOT / "examples/posts/xdu-xjtu-os.md"
REFERENCE = ROOT / "examples/posts/xdu-xjtu-os.en.md"


def test_reference_translation_aligns_and_passes_checks(segmenter):
    post = segmenter.segment(load_post(SOURCE))
    ref = load_post(REFERENCE)
    a = align(post, ref, segmenter)
    assert a.problem == ""
    assert check_document(segmenter.md, post.source, ref.text) == []
    ctx = CheckContext(load_glossary(ROOT / "glossary.yml", "zh", "en"))
    issues = [i for u in post.units for i in check_unit(u, a.translations[u.id], ctx)]
    assert issues == []
    untranslated = [u.id for u in post.units if a.translations[u.id] == u.text]
    assert untranslated == []
