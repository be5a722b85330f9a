"""Optional checks against real services (skipped by default; I18N_POSTS_NETWORK=1 and a key)."""

from __future__ import annotations

import os
import re

import pytest

from i18n_posts.backends import BatchRequest, RequestUnit

REQUEST = BatchRequest(
    (
        RequestUnit("u1", "运行 <x1/> 检查<g2>飞桨</g2>是否安装成功。"),
        RequestUnit("u2", "欢迎加入开源社区！"),
    ),
    "zh",
    "en",
)


def _check(answers: dict[str, str]) -> None:
    assert set(answers) == {"u1", "u2"}
    assert "<x1/>" in answers["u1"] and "<g2>" in answers["u1"] and "</g2>" in answers["u1"]
    assert not re.search(r"[\u4e00-\u9fff]", "".join(answers.values()))


@pytest.mark.network
@pytest.mark.skipif(not os.environ.get("DEEPSEEK_API_KEY"), reason="DEEPSEEK_API_KEY not set")
def test_deepseek():
    from i18n_posts.backends.openai import OpenAIBackend

    _check(OpenAIBackend({"preset": "deepseek"}).translate(REQUEST))


@pytest.mark.network
@pytest.mark.skipif(not os.environ.get("DEEPL_AUTH_KEY"), reason="DEEPL_AUTH_KEY not set")
def test_deepl():
    from i18n_posts.backends.mt import DeepLBackend

    _check(DeepLBackend({}).translate(REQUEST))
