# devkit b64 against GNU base64 in the same run: throughput on a 256 MiB random file (encode
# wrapped at 76, encode -w 0, decode), then peak RSS on a 1 GiB file.
# Goals: encode >= 2.5x GNU, decode >= 6x GNU, peak RSS <= 8 MiB.
set -euo pipefail

if [ ! -x /usr/bin/time ]; then
  apt-get update -qq && apt-get install -y -qq time >/dev/null
fi

data="$BENCH_TMP/b64-256m.bin"
head -c $((256 << 20)) /dev/urandom >"$data"
base64 "$data" >"$data.b64"

# Both read the file and write to /dev/null (hyperfine discards output), so only the work differs.
hyperfine -N --warmup 2 --runs 10 --export-json "$BENCH_TMP/b64.json" \
  "$DEVKIT b64 -w 76 $data" "base64 $data" \
  "$DEVKIT b64 -w 0 $data" "base64 -w 0 $data" \
  "$DEVKIT b64 -d $data.b64" "base64 -d $data.b64" >/dev/null 2>&1

python3 - "$BENCH_TMP/b64.json" $((256 << 20)) "$(stat -c %s "$data.b64")" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
raw, encoded = int(sys.argv[2]), int(sys.argv[3])
cases = [("encode, wrap 76", raw, 2.5), ("encode, -w 0", raw, 2.5), ("decode", encoded, 6.0)]
# The wall-clock medians decide the goals; CPU time (user + system) is shown beside them
# because it moves less when other work shares the machine.
cpu = lambda r: r["user"] + r["system"]
print("| 256 MiB random | devkit median [ms] | GNU median [ms] | devkit [MiB/s] | GNU [MiB/s] "
      "| speed-up | speed-up in CPU time | goal |")
print("|:---|---:|---:|---:|---:|---:|---:|:---|")
for i, (name, size, goal) in enumerate(cases):
    ours, gnu = results[2 * i], results[2 * i + 1]
    mib = size / (1 << 20)
    ratio = gnu["median"] / ours["median"]
    verdict = "met" if ratio >= goal else "MISSED"
    print(f"| {name} | {ours['median'] * 1000:.0f} | {gnu['median'] * 1000:.0f} "
          f"| {mib / ours['median']:.0f} | {mib / gnu['median']:.0f} "
          f"| {ratio:.1f}x | {cpu(gnu) / cpu(ours):.1f}x | >= {goal}x: {verdict} |")
print("\nMiB/s of input: 256 MiB raw for encoding, its 346 MiB of base64 for decoding.")
PY

rm -f "$data" "$data.b64"
big="$BENCH_TMP/b64-1g.bin"
head -c $((1 << 30)) /dev/urandom >"$big"
"$DEVKIT" b64 "$big" >"$big.b64"
peak() { /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2 / 1024}'; }
printf '\n| 1 GiB random | devkit peak RSS [MiB] | GNU peak RSS [MiB] | goal |\n|:---|---:|---:|:---|\n'
for mode in encode decode; do
  if [ $mode = encode ]; then args=("$big"); else args=(-d "$big.b64"); fi
  ours=$(peak "$DEVKIT" b64 "${args[@]}")
  gnu=$(peak base64 "${args[@]}")
  verdict=$(awk -v m="$ours" 'BEGIN { print (m <= 8 ? "met" : "MISSED") }')
  printf '| %s | %s | %s | <= 8 MiB: %s |\n' "$mode" "$ours" "$gnu" "$verdict"
done
rm -f "$big" "$big.b64"
