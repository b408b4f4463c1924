# devkit git untag's tests run the real git: its daemon and http-backend serve the test remotes.
if ! command -v git >/dev/null || [ ! -x "$(git --exec-path)/git-http-backend" ]; then
  say "installing git"
  apt-get update -qq && apt-get install -y -qq git >/dev/null
fi
# …and a real OpenSSH server (tests/git_untag_ssh.rs starts its own sshd per test on 127.0.0.1).
# The package's service must not start: a policy-rc.d that forbids it is created for the
# install only when none is there, and removed again.
if [ ! -x /usr/sbin/sshd ] || ! command -v ssh-keygen >/dev/null || ! command -v ssh-agent >/dev/null; then
  say "installing openssh-server (its service stays stopped)"
  made_policy=
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    made_policy=1
  fi
  apt-get update -qq && apt-get install -y -qq openssh-server openssh-client >/dev/null
  [ -n "$made_policy" ] && rm -f /usr/sbin/policy-rc.d
fi
# sshd run as root needs its privilege separation directory.
mkdir -p /run/sshd
