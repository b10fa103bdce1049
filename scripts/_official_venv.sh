# Sourced by scripts/check-official-sdk and scripts/bench: a separate virtual
# environment, .venv-official, holding Arize's official SDK (never installed
# into the project's own .venv: it brings numpy, pandas, pyarrow, ...).
ARIZE_SDK_VERSION="${ARIZE_SDK_VERSION:-8.61.0}"
OFFICIAL="$ROOT/.venv-official"
if [ ! -x "$OFFICIAL/bin/python" ] || ! "$OFFICIAL/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('arize') != '$ARIZE_SDK_VERSION')" 2>/dev/null; then
    echo "installing arize==$ARIZE_SDK_VERSION (the official SDK) into $OFFICIAL..." >&2
    "$PYTHON" -m venv "$OFFICIAL"
    "$OFFICIAL/bin/python" -m pip install --quiet --disable-pip-version-check "arize==$ARIZE_SDK_VERSION" >&2
fi
