# devkit git untag's tests run the real git: its daemon and http-backend serve the test remotes.
if ! command -v git >/dev/null || [ ! -x "$(git --exec-path)/git-http-backend" ]; then
  say "installing git"
  apt-get update -qq && apt-get install -y -qq git >/dev/null
fi
