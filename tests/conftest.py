from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import stamina
from hypothesis import settings

from arize_orgs.sandbox import Sandbox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from seed_spec import write_seed_spec  # noqa: E402

# The same examples on every run, and no database of past failures replayed:
# a test that fails one run in three, because it drew a new example, is a
# broken test. To look for new failures on purpose:
#   scripts/test --fast --hypothesis-profile explore
settings.register_profile("deterministic", derandomize=True, database=None)
settings.register_profile("explore", database=None)  # new examples each run
settings.load_profile("deterministic")


@pytest.fixture(scope="session")
def seed_variant(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed documentation page's lower-case spelling of openapi.yaml,
    regenerated into a folder.

    Returns the folder that holds `seed.yaml` and the package `arize_orgs_api`
    generated from it; put the folder first on sys.path (in a subprocess) to
    run code against the seed's spelling.
    """
    where = tmp_path_factory.mktemp("seed")
    spec = write_seed_spec(where / "seed.yaml")
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "regenerate"),
            "--spec",
            str(spec),
            "--out",
            str(where / "arize_orgs_api"),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return where


def run_python(code: str, *, path_first: Path | None = None) -> str:
    """Run `code` in a fresh interpreter (optionally with `path_first` shadowing
    the installed packages) and return its stdout; fail with its stderr."""
    env_path = [str(path_first)] if path_first else []
    prog = f"import sys; sys.path[:0] = {env_path!r}\n{code}"
    done = subprocess.run([sys.executable, "-c", prog], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    """One running sandbox per test module; tests make their own orgs and users."""
    with Sandbox() as sb:
        yield sb


# What else the libraries under test read from the environment: the CA
# bundle httpx trusts, and how wide and in what colours rich writes.
OUTSIDE = frozenset(
    {
        *("SSL_CERT_FILE", "SSL_CERT_DIR"),
        *("COLUMNS", "LINES", "FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"),
    }
)


@pytest.fixture(autouse=True)
def _hermetic(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees the developer's ARIZE_* settings (a real key, a real
    server), a proxy, a CA bundle or a terminal's settings: each test sets
    what it needs."""
    for name in list(os.environ):
        if name.startswith("ARIZE_") or name.lower().endswith("_proxy") or name in OUTSIDE:
            monkeypatch.delenv(name)


@pytest.fixture(autouse=True)
def _no_retry_waits() -> Iterator[None]:
    """Retries happen, but without waiting (stamina's testing mode keeps our
    attempt counts: cap=True). Tests that check the waits patch sleep instead."""
    with stamina.set_testing(True, attempts=100, cap=True):
        yield


@pytest.fixture
def fresh_keys() -> Iterator[None]:
    """No key registered with `_redact` and no log filter installed (as in a
    new process) for the test's length; what was there before is back
    afterwards. Tests of what is scrubbed use it: a key another test
    registered would be scrubbed anyway."""
    import logging

    from arize_orgs import _redact

    keys, patterns = dict(_redact._keys), _redact._patterns
    filtered = [logging.getLogger(name) for name in _redact.LOGGERS]
    _redact._keys.clear()
    _redact._patterns = ()
    for logger in filtered:
        logger.removeFilter(_redact._FILTER)
    try:
        yield
    finally:
        _redact._keys.clear()
        _redact._keys.update(keys)
        _redact._patterns = patterns
        for logger in filtered:
            if _redact._FILTER not in logger.filters:
                logger.addFilter(_redact._FILTER)
