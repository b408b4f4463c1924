# devkit b64 against reading the file alone (`dd bs=128K`) and GNU base64, in the same run, on
# every kernel this CPU has: a 256 MiB random file (encode wrapped at 76, encode -w 0, decode of
# the 76-column text), output to /dev/null, first as the files were just written, then (auto's
# kernel only) as read back from disk, whose page cache `dd` copies out faster; then peak RSS on
# a 1 GiB file, then the start-up of `echo abcdef | devkit b64`.
# Goals (issue 14, for the kernel auto picks): encode <= 1.4x dd, -w 0 <= 1.3x dd, decode <= 1.4x
# dd of the encoded file; encode >= 4x and decode >= 10x GNU; peak RSS <= 8 MiB; start-up no
# slower than before (set DEVKIT_BASELINE to an older devkit binary to compare with it).
set -euo pipefail

if [ ! -x /usr/bin/time ]; then
  apt-get update -qq && apt-get install -y -qq time >/dev/null
fi

cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
auto=$(echo | "$DEVKIT" -v b64 2>&1 >/dev/null | sed -n 's/^.*kernel \([a-z0-9]*\) (b64\.kernel.*$/\1/p')
kernels=()
for k in avx512 avx2 portable; do
  if DEVKIT_B64_KERNEL=$k "$DEVKIT" b64 </dev/null >/dev/null 2>&1; then kernels+=("$k"); fi
done
echo "CPU: $cpu; kernels it runs: ${kernels[*]}; auto picks: $auto; load before: $(cut -d' ' -f1-3 /proc/loadavg)"

data="$BENCH_TMP/b64-256m.bin"
head -c $((256 << 20)) /dev/urandom >"$data"
base64 "$data" >"$data.b64"
cat "$data" "$data.b64" >/dev/null # both in the page cache before the first timed run

# hyperfine runs one command's runs back to back; here every round runs each command once, so a
# burst of load from other work on the machine hits all of them alike. Medians of wall-clock
# time decide; CPU time (user + system, from wait4) is shown beside them.
python3 - "$data" "$DEVKIT" "$cpu" "$auto" "${kernels[@]}" <<'PY'
import os, statistics, subprocess, sys, time
data, devkit, cpu, auto, kernels = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
encoded = data + ".b64"
ROUNDS = int(os.environ.get("B64_ROUNDS", "11"))
cases = [
    ("encode, wrap 76", data, ["-w", "76", data], ["base64", data], 1.4, 4.0),
    ("encode, -w 0", data, ["-w", "0", data], ["base64", "-w", "0", data], 1.3, 4.0),
    ("decode (76 columns)", encoded, ["-d", encoded], ["base64", "-d", encoded], 1.4, 10.0),
]
null = os.open(os.devnull, os.O_WRONLY)

def run(argv, env):
    start = time.perf_counter()
    pid = os.posix_spawnp(argv[0], argv, env, file_actions=[(os.POSIX_SPAWN_DUP2, null, 1)])
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    assert os.waitstatus_to_exitcode(status) == 0, argv
    return wall, usage.ru_utime + usage.ru_stime

def read_back(path):
    """Leave `path` in the page cache as a file read from disk has it, not as its writer did:
    drop its cached pages (after writing them back), then read it through once. Linux reads
    ahead into large folios, which the kernel copies out markedly faster than the small
    ones a program's writes leave (on an AMD EPYC, `dd` of the 256 MiB file: 25 against 40 ms)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        while os.read(fd, 1 << 20):
            pass
    finally:
        os.close(fd)

def measure(state, kernels):
    print(f"\n256 MiB random, {state}: {ROUNDS} alternating rounds per case; CPU {cpu}; "
          "devkit's kernel named in each row.\n")
    print("| 256 MiB random | command | kernel | median [ms] | CPU time [ms] | MiB/s of input "
          "| vs dd | vs GNU | goal |")
    print("|:---|:---|:---|---:|---:|---:|---:|---:|:---|")
    for name, infile, args, gnu, dd_goal, gnu_goal in cases:
        commands = [("dd bs=128K", "—", ["dd", f"if={infile}", "of=/dev/null", "bs=128K", "status=none"], None)]
        commands.append(("GNU base64 9.1", "—", gnu, None))
        for k in kernels:
            env = dict(os.environ, DEVKIT_B64_KERNEL=k)
            commands.append(("devkit b64", k, [devkit, "b64"] + args, env))
        times = {i: [] for i in range(len(commands))}
        for _ in range(ROUNDS):
            for i, (_, _, argv, env) in enumerate(commands):
                times[i].append(run(argv, env or os.environ))
        med = {i: statistics.median(w for w, _ in t) for i, t in times.items()}
        cpu_t = {i: statistics.median(c for _, c in t) for i, t in times.items()}
        mib = os.path.getsize(infile) / (1 << 20)
        for i, (label, k, _, _) in enumerate(commands):
            vs_dd = med[i] / med[0]
            vs_gnu = med[1] / med[i]
            goal = ""
            if k == auto:
                ok = vs_dd <= dd_goal and vs_gnu >= gnu_goal
                goal = (f"<= {dd_goal}x dd, >= {gnu_goal:.0f}x GNU: "
                        + ("met" if ok else "MISSED"))
            print(f"| {name} | {label} | {k} | {med[i] * 1000:.0f} | {cpu_t[i] * 1000:.0f} "
                  f"| {mib / med[i]:.0f} | {vs_dd:.2f}x | {vs_gnu:.1f}x | {goal} |")
    print("\nvs dd: devkit's time over reading the same file with dd (lower is better); "
          "vs GNU: GNU's time over this command's (higher is better).")

# As the files were just written (every kernel), then as read back from disk (auto's kernel).
measure("just written", kernels)
for path in (data, encoded):
    read_back(path)
measure("read back from disk", [auto])
PY

rm -f "$data" "$data.b64"
big="$BENCH_TMP/b64-1g.bin"
head -c $((1 << 30)) /dev/urandom >"$big"
"$DEVKIT" b64 "$big" >"$big.b64"
peak() { /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2 / 1024}'; }
printf '\n| 1 GiB random | kernel | devkit peak RSS [MiB] | GNU peak RSS [MiB] | goal |\n|:---|:---|---:|---:|:---|\n'
for mode in encode decode; do
  if [ $mode = encode ]; then args=("$big"); else args=(-d "$big.b64"); fi
  ours=$(peak "$DEVKIT" b64 "${args[@]}")
  gnu=$(peak base64 "${args[@]}")
  verdict=$(awk -v m="$ours" 'BEGIN { print (m <= 8 ? "met" : "MISSED") }')
  printf '| %s | %s | %s | %s | <= 8 MiB: %s |\n' "$mode" "$auto" "$ours" "$gnu" "$verdict"
done
rm -f "$big" "$big.b64"

# Start-up: the whole run of a tiny input, where kernel detection is part of the cost. Every
# round spawns each command once, in turn (the order rotating), with `abcdef\n` waiting on a
# pipe as its stdin: `echo abcdef | devkit b64` without a shell, whose own start-up would be
# most of what is timed (through bash, hyperfine's rows were within each other's noise).
python3 - "$DEVKIT" "${DEVKIT_BASELINE:-}" "$cpu" "$auto" <<'PY'
import os, shutil, statistics, sys, time
devkit, baseline, cpu, auto = sys.argv[1:5]
ROUNDS, WARMUP = int(os.environ.get("B64_STARTUP_ROUNDS", "2000")), 100
commands = [(f"devkit b64 ({auto})", [devkit, "b64"], {})]
commands.append(("devkit b64 (portable)", [devkit, "b64"], {"DEVKIT_B64_KERNEL": "portable"}))
before = len(commands) if baseline else None
if baseline:
    commands.append(("devkit b64 (before)", [baseline, "b64"], {}))
gnu = shutil.which("base64")
commands.append(("GNU base64", [gnu], {}))
null = os.open(os.devnull, os.O_WRONLY)
times = [[] for _ in commands]
for r in range(WARMUP + ROUNDS):
    for i in range(len(commands)):
        j = (i + r) % len(commands)
        _, argv, extra = commands[j]
        read, write = os.pipe()
        os.write(write, b"abcdef\n")
        os.close(write)
        env = dict(os.environ, **extra)
        start = time.perf_counter()
        pid = os.posix_spawn(argv[0], argv, env, file_actions=[
            (os.POSIX_SPAWN_DUP2, read, 0), (os.POSIX_SPAWN_DUP2, null, 1)])
        _, status = os.waitpid(pid, 0)
        took = time.perf_counter() - start
        os.close(read)
        if status != 0:
            sys.exit(f"{argv} exited with {status}")
        if r >= WARMUP:
            times[j].append(took * 1000)
print(f"\n`echo abcdef | …` without a shell, {ROUNDS} alternating rounds after {WARMUP} (CPU {cpu}):\n")
print("| command | median [ms] | fastest tenth [ms] | mean [ms] |")
print("|:---|---:|---:|---:|")
for (name, _, _), t in zip(commands, times):
    t.sort()
    print(f"| {name} | {statistics.median(t):.3f} | {t[len(t) // 10]:.3f} | {statistics.mean(t):.3f} ± {statistics.stdev(t):.3f} |")
if before is not None:
    ratio = statistics.median(times[0]) / statistics.median(times[before])
    verdict = "met" if ratio <= 1.0 else "MISSED"
    print(f"\nAgainst the older binary: {ratio:.3f}x its median (goal: no slower, <= 1.0x): {verdict}")
PY
