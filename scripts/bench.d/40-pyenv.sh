# devkit pyenv init against the seed's snippet and against uv by hand, on a project with two
# local wheels (alpha requires beta) in requirements.txt. Goals: ≥ 5× faster than the snippet
# without uv; ≤ 1.5× `uv venv --seed && uv pip install -r` with uv; an up-to-date re-run ≤ 0.3 s.
set -euo pipefail
root=$ROOT
say() { printf '==> %s\n' "$*" >&2; }
mkdir -p "$ROOT/.tools/bin"
# shellcheck source=/dev/null
source "$ROOT/scripts/test.d/pyenv.sh" # uv, pinned, in .tools/bin
uv_bin="$ROOT/.tools/bin"

proj="$BENCH_TMP/pyenv"
wheels="$BENCH_TMP/pyenv-wheels"
mkdir -p "$proj" "$wheels"
python3 - "$wheels" <<'PY'
import base64, hashlib, sys, zipfile
def wheel(out, dist, version, requires=()):
    info = "%s-%s.dist-info" % (dist, version)
    files = [("%s/__init__.py" % dist, "VERSION = %r\n" % version),
             (info + "/METADATA", "Metadata-Version: 2.1\nName: %s\nVersion: %s\n%s"
              % (dist, version, "".join("Requires-Dist: %s\n" % r for r in requires))),
             (info + "/WHEEL", "Wheel-Version: 1.0\nGenerator: bench\nRoot-Is-Purelib: true\nTag: py3-none-any\n")]
    record = []
    with zipfile.ZipFile("%s/%s-%s-py3-none-any.whl" % (out, dist, version), "w") as z:
        for name, text in files:
            z.writestr(name, text)
            h = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
            record.append("%s,sha256=%s,%d" % (name, h, len(text.encode())))
        record.append(info + "/RECORD,,")
        z.writestr(info + "/RECORD", "\n".join(record) + "\n")
wheel(sys.argv[1], "alpha", "1.0", ["beta>=1"])
wheel(sys.argv[1], "beta", "1.2")
PY
printf 'alpha\nbeta\n' >"$proj/requirements.txt"
cd "$proj"

# Installers see only the local wheels; devkit and uv keep their caches in the bench dir.
export PIP_CONFIG_FILE=/dev/null PIP_NO_INDEX=1 PIP_FIND_LINKS="$wheels" PIP_DISABLE_PIP_VERSION_CHECK=1
export PIP_ROOT_USER_ACTION=ignore UV_NO_CONFIG=1 UV_FIND_LINKS="$wheels"
export UV_CACHE_DIR="$BENCH_TMP/uv-cache" XDG_CACHE_HOME="$BENCH_TMP/cache"
unset VIRTUAL_ENV PYTHONHOME PYTHONPATH
no_uv_path=$PATH
uv_path="$uv_bin:$PATH"
# `uv venv --seed` fetches pip, setuptools and wheel once; then everything runs offline.
PATH=$uv_path uv venv -q --seed "$BENCH_TMP/uv-warm" >/dev/null 2>&1
export UV_OFFLINE=1

snippet='python3 -m venv .venv && . .venv/bin/activate && python3 -m pip install -q -r requirements.txt && python3 -m pip freeze >/dev/null && deactivate'
hyperfine --warmup 1 --runs 5 --prepare 'rm -rf .venv' \
  --export-markdown "$BENCH_TMP/pyenv-venv.md" --export-json "$BENCH_TMP/pyenv-venv.json" \
  -n 'devkit pyenv init (no uv on PATH)' "env PATH=$no_uv_path $DEVKIT -q pyenv init" \
  -n 'seed snippet (venv + pip install -r + freeze)' "bash -c '$snippet'" >/dev/null 2>&1
echo '### Without uv'
echo
cat "$BENCH_TMP/pyenv-venv.md"

hyperfine --warmup 2 --runs 15 --prepare 'rm -rf .venv' \
  --export-markdown "$BENCH_TMP/pyenv-uv.md" --export-json "$BENCH_TMP/pyenv-uv.json" \
  -n 'devkit pyenv init (uv on PATH)' "env PATH=$uv_path $DEVKIT -q pyenv init" \
  -n 'uv venv --seed && uv pip install -r' "env PATH=$uv_path bash -c 'uv venv -q --seed && uv pip install -q -r requirements.txt'" >/dev/null 2>&1
echo
echo '### With uv'
echo
cat "$BENCH_TMP/pyenv-uv.md"

rm -rf .venv && env PATH=$no_uv_path "$DEVKIT" -q pyenv init
hyperfine -N --warmup 3 --runs 30 \
  --export-markdown "$BENCH_TMP/pyenv-rerun.md" --export-json "$BENCH_TMP/pyenv-rerun.json" \
  -n 'devkit pyenv init (up to date)' "$DEVKIT -q pyenv init" >/dev/null 2>&1
echo
echo '### Re-run on an up-to-date venv'
echo
cat "$BENCH_TMP/pyenv-rerun.md"

# The first run on a machine also unpacks and byte-compiles the bundled pip into the cache.
hyperfine --runs 3 --prepare "rm -rf .venv $XDG_CACHE_HOME/devkit" \
  --export-markdown "$BENCH_TMP/pyenv-cold.md" --export-json "$BENCH_TMP/pyenv-cold.json" \
  -n 'devkit pyenv init (no uv, empty devkit cache)' "env PATH=$no_uv_path $DEVKIT -q pyenv init" >/dev/null 2>&1
echo
echo '### First run on a machine (empty devkit cache, no uv)'
echo
cat "$BENCH_TMP/pyenv-cold.md"

python3 - "$BENCH_TMP" <<'PY'
import json, sys
def medians(name):
    return [r["median"] for r in json.load(open("%s/pyenv-%s.json" % (sys.argv[1], name)))["results"]]
devkit, snippet = medians("venv")
devkit_uv, uv = medians("uv")
rerun, = medians("rerun")
print()
print("Medians: without uv, the snippet takes %.1f× devkit's time (goal ≥ 5×); "
      "with uv, devkit takes %.2f× uv by hand (goal ≤ 1.5×); "
      "an up-to-date re-run takes %.3f s (goal ≤ 0.3 s)." % (snippet / devkit, devkit_uv / uv, rerun))
PY
