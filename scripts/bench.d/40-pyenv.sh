# devkit pyenv init on a pyproject.toml project: 20 dependencies from a local wheel folder, a
# `dev` group and an in-tree PEP 517 backend (the project goes in editable). Goals, same run:
# with uv on PATH, init ≤ 1.2× `uv sync` on a first run and ≤ 1.2× a no-op `uv sync` on a
# re-run; without uv, ≥ 5× faster than `python -m venv` + `pip install -e .` + the dev group
# by hand; an up-to-date re-run ≤ 0.1 s.
set -euo pipefail
root=$ROOT
say() { printf '==> %s\n' "$*" >&2; }
mkdir -p "$ROOT/.tools/bin"
# shellcheck source=/dev/null
source "$ROOT/scripts/test.d/pyenv.sh" # uv, pinned, in .tools/bin
uv_bin="$ROOT/.tools/bin"
python=$(python3 -c 'import sys; print(sys.executable)')

wheels="$BENCH_TMP/pyenv-wheels"
mkdir -p "$wheels"
# The tests' wheel maker and in-tree backend (tests/common/): the same fixtures as pyenv's tests.
fixtures="$ROOT/tests/common"
for i in $(seq -w 1 20); do python3 "$fixtures/make_wheel.py" "$wheels" "dep$i" 1.0; done
python3 "$fixtures/make_wheel.py" "$wheels" devtool 1.0

# The project, twice: `locked` has a uv.lock (what `uv sync` leaves), `plain` has none (the
# case without uv, where pip installs the ranges).
make_project() {
  local dir=$1
  mkdir -p "$dir/src/demo" "$dir/_build"
  echo "WHO = 'bench'" >"$dir/src/demo/__init__.py"
  # Both uv and devkit honour it: the same interpreter on both sides.
  python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])' >"$dir/.python-version"
  deps=$(python3 -c 'print(", ".join("\"dep%02d\"" % i for i in range(1, 21)))')
  cat >"$dir/pyproject.toml" <<EOF
[project]
name = "demo"
version = "0.1"
requires-python = ">=3.8"
dependencies = [$deps]

[dependency-groups]
dev = ["devtool"]

[build-system]
requires = []
build-backend = "intree"
backend-path = ["_build"]
EOF
  sed -e 's/@NAME@/"demo"/' -e 's/@VERSION@/"0.1"/' \
    -e 's/@REQUIRES@/["dep%02d" % i for i in range(1, 21)]/' \
    "$fixtures/intree_backend.py" >"$dir/_build/intree.py"
  cp "$fixtures/make_wheel.py" "$dir/_build/"
}
locked="$BENCH_TMP/pyenv-locked"
plain="$BENCH_TMP/pyenv-plain"
make_project "$locked"
make_project "$plain"

# Installers see only the local wheels; devkit and uv keep their caches in the bench dir.
export PIP_CONFIG_FILE=/dev/null PIP_NO_INDEX=1 PIP_FIND_LINKS="$wheels" PIP_DISABLE_PIP_VERSION_CHECK=1
export PIP_ROOT_USER_ACTION=ignore UV_NO_CONFIG=1 UV_FIND_LINKS="$wheels" UV_OFFLINE=1 UV_NO_INDEX=1
export UV_PYTHON_DOWNLOADS=never
export UV_CACHE_DIR="$BENCH_TMP/uv-cache" XDG_CACHE_HOME="$BENCH_TMP/cache"
unset VIRTUAL_ENV PYTHONHOME PYTHONPATH CONDA_PREFIX
no_uv_path=$PATH
uv_path="$uv_bin:$PATH"
(cd "$locked" && PATH=$uv_path uv lock -q)

# `table NAME TITLE HYPERFINE-ARGS…`: run hyperfine, keep its results as pyenv-NAME.{md,json},
# and print TITLE over its table.
table() {
  local name=$1 title=$2
  shift 2
  hyperfine "$@" --export-markdown "$BENCH_TMP/pyenv-$name.md" \
    --export-json "$BENCH_TMP/pyenv-$name.json" >/dev/null 2>&1
  printf '\n### %s\n\n' "$title"
  cat "$BENCH_TMP/pyenv-$name.md"
}

cd "$locked"
table uv 'First run, uv on PATH (the project has a uv.lock)' \
  --warmup 2 --runs 15 --prepare 'rm -rf .venv' \
  -n 'devkit pyenv init (uv on PATH, uv.lock)' "env PATH=$uv_path $DEVKIT -q pyenv init" \
  -n 'uv sync' "env PATH=$uv_path uv sync -q"

rm -rf .venv && env PATH=$uv_path "$DEVKIT" -q pyenv init
table rerun 'Re-run on an up-to-date venv' -N --warmup 3 --runs 40 \
  -n 'devkit pyenv init (up to date)' "env PATH=$uv_path $DEVKIT -q pyenv init" \
  -n 'uv sync (no-op)' "env PATH=$uv_path uv sync -q"

cd "$plain"
by_hand="$python -m venv .venv && .venv/bin/pip install -q -e . && .venv/bin/pip install -q devtool"
table venv 'Without uv (no lock: pip installs the ranges)' \
  --warmup 1 --runs 5 --prepare 'rm -rf .venv' \
  -n 'devkit pyenv init (no uv on PATH)' "env PATH=$no_uv_path $DEVKIT -q pyenv init" \
  -n 'by hand: venv, pip install -e ., the dev group' "bash -c '$by_hand'"

python3 - "$BENCH_TMP" <<'PY'
import json, sys
def medians(name):
    return [r["median"] for r in json.load(open("%s/pyenv-%s.json" % (sys.argv[1], name)))["results"]]
devkit_uv, uv = medians("uv")
rerun, uv_noop = medians("rerun")
devkit, by_hand = medians("venv")
print()
print("Medians: with uv, a first init takes %.2f× `uv sync` (goal ≤ 1.2×) and an up-to-date "
      "re-run %.2f× a no-op `uv sync` (goal ≤ 1.2×), %.3f s (goal ≤ 0.1 s); without uv, the "
      "way by hand takes %.1f× devkit's time (goal ≥ 5×)."
      % (devkit_uv / uv, rerun / uv_noop, rerun, by_hand / devkit))
PY
