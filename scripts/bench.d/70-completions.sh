# Live completion of `devkit git untag v1.<TAB>` in a repository with 1000 tags (goal: < 50 ms),
# packed (as after `git gc` or a clone) and loose; `git tag -l 'v1.*'` for scale. This is the
# exact call the bash script makes at each TAB.
set -euo pipefail
loose="$BENCH_TMP/completion-repo-loose"
rm -rf "$loose" && mkdir -p "$loose"
git -C "$loose" init -q
git -C "$loose" -c user.name=b -c user.email=b@example.com commit -q --allow-empty -m first
head=$(git -C "$loose" rev-parse HEAD)
# update-ref writes one file per tag under refs/tags; the copy gets them packed.
for i in $(seq 1 1000); do
  printf 'create refs/tags/v%d.%d.%d %s\n' $((i / 100)) $((i / 10 % 10)) $((i % 10)) "$head"
done | git -C "$loose" update-ref --stdin
repo="$BENCH_TMP/completion-repo"
rm -rf "$repo" && cp -r "$loose" "$repo"
git -C "$repo" pack-refs --all

complete_cmd="env DEVKIT_COMPLETE=bash _CLAP_COMPLETE_INDEX=3 _CLAP_IFS=, $DEVKIT -- devkit git untag v1."
[ "$(cd "$repo" && $complete_cmd | tr , '\n' | grep -c .)" -eq 100 ] || { echo "expected 100 candidates" >&2; exit 1; }
[ "$(cd "$loose" && $complete_cmd | tr , '\n' | grep -c .)" -eq 100 ] || { echo "expected 100 candidates (loose)" >&2; exit 1; }
hyperfine -N --warmup 20 --runs 200 \
  --export-markdown "$BENCH_TMP/completions.md" --export-json "$BENCH_TMP/completions.json" \
  --command-name "devkit: complete v1. (1000 packed tags)" "bash -c 'cd $repo && exec $complete_cmd'" \
  --command-name "devkit: complete v1. (1000 loose tags)" "bash -c 'cd $loose && exec $complete_cmd'" \
  --command-name "git tag -l 'v1.*' (packed)" "bash -c 'cd $repo && exec git tag -l v1.*'" \
  >/dev/null 2>&1
cat "$BENCH_TMP/completions.md"
# The goal is on the median (hyperfine's table shows the mean).
python3 - "$BENCH_TMP/completions.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(f"\nmedian `{r['command']}`: {r['median'] * 1000:.1f} ms", end="")
print()
PY
