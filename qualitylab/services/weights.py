"""Score weights as configured: built-in < `[weights]` in config.toml < `$QUALITYLAB_WEIGHTS`."""

from __future__ import annotations

import os
from pathlib import Path

from qualitylab.config import config_dir
from qualitylab.errors import InvalidInput
from qualitylab.fixlist.score import ENV_WEIGHTS, Weights


def weights_config_path() -> Path:
    return config_dir() / "config.toml"


def default_weights() -> Weights:
    """Built-in weights < ``[weights]`` in ``config.toml`` < ``$QUALITYLAB_WEIGHTS``.

    ``config.toml`` lives in the config dir (``$QUALITYLAB_CONFIG_DIR``), e.g.::

        [weights]
        reach = 2
        blocker_share = 0.5

    The command line (``--weight``) is applied on top by the caller.
    """
    import tomllib

    weights = Weights()
    path = weights_config_path()
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise InvalidInput(f"{path}: cannot read the [weights] settings: {exc}") from None
        table = data.get("weights", {})
        if not isinstance(table, dict):
            raise InvalidInput(f"{path}: 'weights' must be a table: [weights] then name = number")
        try:
            weights = weights.with_overrides(f"{k}={v}" for k, v in table.items())
        except InvalidInput as exc:
            raise InvalidInput(f"{path}: {exc}") from None
    raw = os.environ.get(ENV_WEIGHTS, "")
    try:
        return weights.with_overrides([raw]) if raw.strip() else weights
    except InvalidInput as exc:
        raise InvalidInput(f"${ENV_WEIGHTS}: {exc}") from None
