# devkit git untag: delete 500 and 1000 tags locally and on a remote, loose and packed refs,
# over `git daemon` and over ssh (a real sshd on 127.0.0.1), against
# `git tag -d … && git push origin --delete …`. Goals: the libgit2 transport <= 0.7x the git CLI
# pair, the cli transport <= 1.1x. The commands alternate (one run each per round, the order
# rotating) so that load from others on a shared machine falls on all of them alike; medians.
set -euo pipefail

rounds=${GIT_BENCH_ROUNDS:-7}
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null HOME="$BENCH_TMP/home"
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
unset SSH_AUTH_SOCK GIT_SSH GIT_SSH_COMMAND
mkdir -p "$HOME/.ssh"
dir="$BENCH_TMP/git"
mkdir -p "$dir/template" "$dir/live" "$dir/sshd" /run/sshd

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
wait_port() {
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "nothing listens on $1" >&2
  return 1
}

# git daemon, stopped by its pid.
port=$(free_port)
git daemon --enable=receive-pack --base-path="$dir/live" --port="$port" --listen=127.0.0.1 \
  --export-all --reuseaddr --pid-file="$dir/daemon.pid" --detach "$dir/live"
wait_port "$port"

# sshd with throwaway keys; the client key sits in $HOME/.ssh (libgit2 reads it there) and is
# given to OpenSSH explicitly, which reads no file of the real home.
ssh-keygen -q -t ed25519 -N '' -f "$dir/sshd/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$HOME/.ssh/id_ed25519"
cp "$HOME/.ssh/id_ed25519.pub" "$dir/sshd/authorized_keys"
ssh_port=$(free_port)
cat > "$dir/sshd/sshd_config" <<EOF
Port $ssh_port
ListenAddress 127.0.0.1
HostKey $dir/sshd/host_key
AuthorizedKeysFile $dir/sshd/authorized_keys
StrictModes no
UsePAM no
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
PidFile $dir/sshd/sshd.pid
EOF
/usr/sbin/sshd -D -e -f "$dir/sshd/sshd_config" 2>"$dir/sshd/log" &
sshd_pid=$!
trap 'kill "$(cat "$dir/daemon.pid")" "$sshd_pid" 2>/dev/null || true' EXIT
wait_port "$ssh_port"
echo "[127.0.0.1]:$ssh_port $(cut -d' ' -f1,2 "$dir/sshd/host_key.pub")" > "$HOME/.ssh/known_hosts"
ssh_command="ssh -F /dev/null -i $HOME/.ssh/id_ed25519 -o IdentitiesOnly=yes -o BatchMode=yes -o UserKnownHostsFile=$HOME/.ssh/known_hosts -o GlobalKnownHostsFile=/dev/null"

cd "$dir"
echo "| tags | refs | remote | devkit (libgit2) | devkit (cli) | git tag -d + git push --delete | libgit2 / git | cli / git |"
echo "|---:|---|---|---:|---:|---:|---:|---:|"
for count in 500 1000; do
  # The template: a client with COUNT tags and a bare server holding the same tags.
  rm -rf "$dir/template"/*
  git init -q "$dir/template/client"
  git -C "$dir/template/client" commit -q --allow-empty -m initial
  head=$(git -C "$dir/template/client" rev-parse HEAD)
  seq -f 't%04g' 1 "$count" > "$dir/names"
  sed "s|.*|create refs/tags/& $head|" "$dir/names" | git -C "$dir/template/client" update-ref --stdin
  git clone -q --bare "$dir/template/client" "$dir/template/server.git"
  cp -a "$dir/template/client" "$dir/template/client-packed"
  git -C "$dir/template/client-packed" pack-refs --all
  git -C "$dir/template/server.git" pack-refs --all
  names=$(tr '\n' ' ' < "$dir/names")

  for layout in loose packed; do
    for remote in daemon ssh; do
      client="$dir/template/client"
      [ "$layout" = packed ] && client="$dir/template/client-packed"
      url="git://127.0.0.1:$port/server.git"
      env_prefix=""
      if [ "$remote" = ssh ]; then
        url="ssh://127.0.0.1:$ssh_port$dir/live/server.git"
        env_prefix="GIT_SSH_COMMAND='$ssh_command'"
      fi
      # `sync` keeps the copy's write-back out of the measured run.
      prepare="rm -rf '$dir/live/server.git' '$dir/work' && cp -a '$dir/template/server.git' '$dir/live/server.git' && cp -a '$client' '$dir/work' && git -C '$dir/work' remote add origin '$url' && sync"
      commands=(
        "cd work && $DEVKIT -q git untag --yes --transport libgit2 't*'"
        "cd work && $env_prefix $DEVKIT -q git untag --yes --transport cli 't*'"
        "cd work && git tag -d $names >/dev/null && $env_prefix git push -q origin --delete $names"
      )
      rm -f "$dir"/run-*.json
      for round in $(seq "$rounds"); do
        for i in 0 1 2; do
          c=$(( (i + round) % 3 ))
          hyperfine --runs 1 --prepare "$prepare" --export-json "$dir/run-$c-$round.json" \
            "${commands[$c]}" >/dev/null 2>&1
        done
      done
      python3 - "$dir" "$count" "$layout" "$remote" <<'PY'
import glob, json, statistics, sys
d, count, layout, remote = sys.argv[1:]
med = []
for c in range(3):
    times = [json.load(open(f))["results"][0]["times"][0] for f in glob.glob(f"{d}/run-{c}-*.json")]
    med.append(statistics.median(times))
print(f"| {count} | {layout} | {remote} | {med[0]*1000:.0f} ms | {med[1]*1000:.0f} ms | "
      f"{med[2]*1000:.0f} ms | {med[0]/med[2]:.2f}x | {med[1]/med[2]:.2f}x |")
PY
      # devkit must really delete everything, on both sides.
      eval "$prepare"
      (cd work && "$DEVKIT" -q git untag --yes --transport libgit2 't*')
      test -z "$(git -C work tag)" && test -z "$(git -C "$dir/live/server.git" tag)"
    done
  done
done
echo
echo "Medians of $rounds alternating runs each; $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)."
