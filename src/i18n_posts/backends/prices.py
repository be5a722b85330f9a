"""What a run costs: the price of a backend (from its options, or the documented default of its
preset) and an estimate of the money for tokens or characters.

Prices are per million tokens (LLMs: input and output priced apart) or per million characters
(machine translation services bill the characters sent). The defaults are list prices as
the providers published them on the date given beside each; they change, so a repository
states its own in `[backend]`:

    price_input_per_mtok = 0.27     # money per million input tokens
    price_output_per_mtok = 1.10    # per million output tokens
    price_per_mchar = 20            # MT services: per million characters
    price_currency = "USD"

Local servers (ollama, vllm, llama.cpp, LM Studio) cost nothing per token.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import UsageError

if TYPE_CHECKING:
    from . import BatchRequest

KEYS = ("price_input_per_mtok", "price_output_per_mtok", "price_per_mchar", "price_currency")


@dataclass(frozen=True, slots=True)
class Price:
    """A backend's price list."""

    input_per_mtok: float = 0.0
    """Money per million input (prompt) tokens."""
    output_per_mtok: float = 0.0
    """Money per million output (completion) tokens."""
    per_mchar: float = 0.0
    """Money per million characters sent (MT services)."""
    currency: str = "USD"
    source: str = ""
    """Where the figures come from: the repository's config, or a provider's list price and its date."""

    def cost(self, input_tokens: int, output_tokens: int, chars: int) -> float:
        return (
            input_tokens * self.input_per_mtok + output_tokens * self.output_per_mtok + chars * self.per_mchar
        ) / 1e6


LOCAL = Price(source="a local server")

DEFAULTS: dict[str, Price] = {
    # key: "backend" or "backend/preset"
    "openai/openai": Price(0.15, 0.60, source="OpenAI list price of gpt-4o-mini, 2024-07-18"),
    "openai/deepseek": Price(0.27, 1.10, source="DeepSeek list price of deepseek-chat, 2025-02-08"),
    "openai/ollama": LOCAL,
    "openai/vllm": LOCAL,
    "openai/llamacpp": LOCAL,
    "openai/lmstudio": LOCAL,
    "deepl": Price(per_mchar=20.0, currency="EUR", source="DeepL API Pro list price per character, 2024"),
    "libretranslate": Price(source="a self-hosted LibreTranslate (a hosted one bills by plan, not by use)"),
    "identity": Price(source="offline"),
    "pseudo": Price(source="offline"),
}
"""Presets without a price here (qwen, qianfan, a custom base_url) give no money estimate until
the config states one."""


def split_price(name: str, options: dict[str, str]) -> tuple[dict[str, str], Price | None]:
    """(the backend's own options, its price) from the options of `[backend]` or --backend-option."""
    own = {k: v for k, v in options.items() if k not in KEYS}
    given = {k: options[k] for k in KEYS if k in options}
    if given:
        try:
            numbers = {k: float(v) for k, v in given.items() if k != "price_currency"}
        except ValueError as exc:
            raise UsageError(f"backend {name}: a price must be a number ({exc})") from None
        if any(v < 0 for v in numbers.values()):
            raise UsageError(f"backend {name}: a price cannot be negative")
        return own, Price(
            numbers.get("price_input_per_mtok", 0.0),
            numbers.get("price_output_per_mtok", 0.0),
            numbers.get("price_per_mchar", 0.0),
            given.get("price_currency", "USD"),
            "the configuration",
        )
    if name == "openai":
        base = own.get("base_url", "")
        if "base_url" in own and not own.get("preset"):
            local = any(h in base for h in ("://localhost", "://127.0.0.1", "://[::1]"))
            return own, LOCAL if local else None
        return own, DEFAULTS.get(f"openai/{own.get('preset', 'openai')}")
    return own, DEFAULTS.get(name)


@dataclass(frozen=True, slots=True)
class Estimate:
    """What requests would use: calls, tokens (input and output, estimated) and characters."""

    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    chars: int = 0

    @classmethod
    def of(cls, requests: Iterable[BatchRequest]) -> Estimate:
        from .runner import request_token_split  # noqa: PLC0415

        total = cls()
        for r in requests:
            sent, answer = request_token_split(r)
            total = total + cls(1, sent, answer, sum(len(u.text) for u in r.units))
        return total

    def __add__(self, other: Estimate) -> Estimate:
        return Estimate(
            self.calls + other.calls,
            self.input_tokens + other.input_tokens,
            self.output_tokens + other.output_tokens,
            self.chars + other.chars,
        )

    @property
    def tokens(self) -> int:
        return self.input_tokens + self.output_tokens

    def cost(self, price: Price | None) -> float | None:
        return None if price is None else price.cost(self.input_tokens, self.output_tokens, self.chars)


def money(amount: float, currency: str) -> str:
    """`0.0042 USD` -> "0.0042 USD"; small amounts keep two significant digits."""
    if amount == 0:
        return f"0 {currency}"
    if amount >= 1:
        return f"{amount:.2f} {currency}"
    return f"{amount:.2g} {currency}"
