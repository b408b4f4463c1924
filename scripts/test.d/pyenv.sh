# devkit pyenv's tests drive a real uv (the uv backend); install a pinned one into .tools/.
# Sourced by scripts/test with $root set and $root/.tools/bin on PATH. Quiet when present.
uv_version=0.13.8
case "$("$root/.tools/bin/uv" --version 2>/dev/null)" in
  "uv $uv_version"|"uv $uv_version "*) ;;
  *)
    say "installing uv $uv_version into .tools/"
    rm -rf "$root/.tools/python/uv" "$root/.tools/python/uv-"*.dist-info "$root/.tools/python/bin/uv"
    # The host's pip settings may point at a local wheelhouse; ask the index for this one package.
    env -u PIP_FIND_LINKS -u PIP_NO_INDEX PIP_ROOT_USER_ACTION=ignore \
      python3 -m pip install --quiet --disable-pip-version-check \
      --target "$root/.tools/python" "uv==$uv_version"
    ln -sfn "../python/bin/uv" "$root/.tools/bin/uv"
    ;;
esac
# A pip that reads pylock.toml (26.1+), as a wheel the tests install offline into a test venv;
# the interpreters here bundle older pips (3.11.7: 23.2.1).
pip_version=26.1.2
if [ ! -e "$root/.tools/wheels/pip-$pip_version-py3-none-any.whl" ]; then
  say "downloading the pip $pip_version wheel into .tools/wheels/"
  mkdir -p "$root/.tools/wheels"
  env -u PIP_FIND_LINKS -u PIP_NO_INDEX python3 -m pip download --quiet --disable-pip-version-check \
    --no-deps --only-binary :all: -d "$root/.tools/wheels" "pip==$pip_version"
fi
