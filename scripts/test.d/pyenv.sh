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
