# tests/completions.rs drives the completion scripts in real zsh and fish (bash is always there).
need_shells=()
for sh in zsh fish; do
  command -v "$sh" >/dev/null || need_shells+=("$sh")
done
if [ ${#need_shells[@]} -gt 0 ]; then
  say "apt-get install ${need_shells[*]} (the completion tests run each shell)"
  apt-get update -qq && apt-get install -y -qq "${need_shells[@]}" >/dev/null
fi
unset need_shells sh
