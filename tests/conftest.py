from __future__ import annotations

from pathlib import Path

import pytest

from i18n_posts.segment import Segmenter

from fake_openai import fake_service_fixture

DATA = Path(__file__).parent / "data"
POSTS = sorted((DATA / "posts").glob("*.md"))
CORPUS = sorted((DATA / "corpus").glob("*.md"))
HAN = "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"


@pytest.fixture(scope="session")
def segmenter() -> Segmenter:
    return Segmenter()


@pytest.fixture(scope="session")
def fake_service():
    """A real OpenAI/DeepL/LibreTranslate-like server on 127.0.0.1 (tests/fake_openai.py); reset it first."""
    yield from fake_service_fixture()


FAKE_KEY = "sk-test-5f3a9e"


@pytest.fixture
def service(fake_service, monkeypatch):
    """The fake server, reset, asking for the key `FAKE_KEY` found in $FAKE_KEY."""
    fake_service.reset()
    fake_service.api_key = FAKE_KEY
    monkeypatch.setenv("FAKE_KEY", FAKE_KEY)
    yield fake_service
    fake_service.always(None)


def running(pid: int) -> bool:
    """Alive and not a zombie (a killed orphan may wait for a reaper that never comes)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def pytest_collection_modifyitems(config, items):
    """Tests marked `network` talk to real services with real keys: only with I18N_POSTS_NETWORK=1."""
    import os

    if os.environ.get("I18N_POSTS_NETWORK") == "1":
        return
    skip = pytest.mark.skip(reason="needs a real service and a key (set I18N_POSTS_NETWORK=1)")
    for item in items:
        if "network" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _own_cache(tmp_path_factory, monkeypatch):
    """Each test its own ~/.cache (what translate wrote, sync's file digests): test runs of
    several checkouts on one machine must not share them."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
