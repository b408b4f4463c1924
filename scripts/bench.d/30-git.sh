# devkit git untag: delete 1000 tags locally and on a `git daemon` remote, against
# `git tag -d … && git push origin --delete …` and git-extras' `git delete-tag` (goal: devkit <= 1.0x
# the git CLI). Every run starts from a fresh copy of the same client and server repositories.
set -euo pipefail

if ! command -v git-delete-tag >/dev/null; then
  apt-get update -qq && apt-get install -y -qq git-extras >/dev/null
fi

export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null HOME="$BENCH_TMP/home"
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
mkdir -p "$HOME"
dir="$BENCH_TMP/git"
mkdir -p "$dir/template" "$dir/live"

# The template: a client with 1000 tags (loose refs, as `git tag` leaves them) and a bare server
# holding the same tags.
git init -q "$dir/template/client"
git -C "$dir/template/client" commit -q --allow-empty -m initial
head=$(git -C "$dir/template/client" rev-parse HEAD)
seq -f 't%04g' 1 1000 > "$dir/names"
sed "s|.*|create refs/tags/& $head|" "$dir/names" | git -C "$dir/template/client" update-ref --stdin
git clone -q --bare "$dir/template/client" "$dir/template/server.git"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
git daemon --enable=receive-pack --base-path="$dir/live" --port="$port" --listen=127.0.0.1 \
  --export-all --reuseaddr --pid-file="$dir/daemon.pid" --detach "$dir/live"
trap 'kill "$(cat "$dir/daemon.pid")" 2>/dev/null || true' EXIT
git -C "$dir/template/client" remote add origin "git://127.0.0.1:$port/server.git"
for _ in $(seq 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.1
done

names=$(tr '\n' ' ' < "$dir/names")
cd "$dir"

# Loose tag refs (as `git tag` leaves them), then packed ones (as after `git gc`).
cp -a "$dir/template/client" "$dir/template/client-packed"
git -C "$dir/template/client-packed" pack-refs --all
for layout in loose packed; do
  client="$dir/template/client"
  [ "$layout" = packed ] && client="$dir/template/client-packed"
  # `sync` keeps the copy's write-back out of the measured run.
  prepare="rm -rf '$dir/live/server.git' '$dir/work' && cp -a '$dir/template/server.git' '$dir/live/server.git' && cp -a '$client' '$dir/work' && sync"
  hyperfine --warmup 2 --runs 15 --prepare "$prepare" \
    --export-markdown "$BENCH_TMP/git-$layout.md" --export-json "$BENCH_TMP/git-$layout.json" \
    -n 'devkit git untag' "cd work && $DEVKIT -q git untag --yes 't*'" \
    -n 'git tag -d + git push --delete' "cd work && git tag -d $names >/dev/null && git push -q origin --delete $names" \
    -n 'git delete-tag (git-extras)' "cd work && git delete-tag $names >/dev/null 2>&1" \
    >/dev/null 2>&1
  printf '\n1000 tags, %s refs in the client:\n\n' "$layout"
  cat "$BENCH_TMP/git-$layout.md"
  # The machine is shared: medians move less than means.
  python3 - "$BENCH_TMP/git-$layout.json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
git = next(r["median"] for r in results if r["command"].startswith("git tag"))
print()
for r in results:
    print(f"median `{r['command']}`: {r['median'] * 1000:.0f} ms ({r['median'] / git:.2f}x the git CLI)  ")
PY

  # devkit must really have deleted everything, on both sides.
  eval "$prepare"
  (cd work && "$DEVKIT" -q git untag --yes 't*')
  test -z "$(git -C work tag)" && test -z "$(git -C work ls-remote --tags origin)"
done
