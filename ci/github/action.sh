#!/usr/bin/env bash
# The work of the GitHub Action (action.yml runs this): fetch the release binary built for this
# runner, then run `paralign check` with the action's inputs in the `github` format, which
# annotates the pull request, ends with a summary line and writes the job summary
# ($GITHUB_STEP_SUMMARY). The exit code is paralign's: 0 passed, 1 findings fail the policy,
# 2 input or usage error.
#
# Inputs come as INPUT_PATHS, INPUT_ARGS, INPUT_VERSION and INPUT_REPOSITORY (the repository
# publishing the releases). PARALIGN_BIN names a binary to use instead of downloading one;
# PARALIGN_DRY_RUN=1 only prints the address it would download. tests/ci_kit.rs runs this
# script both ways.
set -euo pipefail
set -f # paths are passed to paralign as written, not expanded by this shell

paths="${INPUT_PATHS:-.}"
args="${INPUT_ARGS:-}"
version="${INPUT_VERSION:-latest}"
repo="${INPUT_REPOSITORY:-}"

# The release target for this runner.
target() {
  case "${RUNNER_OS:-$(uname -s)}/${RUNNER_ARCH:-$(uname -m)}" in
    Linux/X64 | Linux/x86_64) echo x86_64-unknown-linux-musl ;;
    Linux/ARM64 | Linux/aarch64) echo aarch64-unknown-linux-musl ;;
    macOS/X64 | Darwin/x86_64) echo x86_64-apple-darwin ;;
    macOS/ARM64 | Darwin/arm64) echo aarch64-apple-darwin ;;
    Windows/X64) echo x86_64-pc-windows-msvc ;;
    *)
      echo "paralign action: no release binary for ${RUNNER_OS:-?}/${RUNNER_ARCH:-?}; build it with cargo install --locked paralign and set PARALIGN_BIN" >&2
      return 2
      ;;
  esac
}

# Where the release archive for a target is.
url() {
  local t="$1" ext=tar.gz
  case "$t" in *windows*) ext=zip ;; esac
  if [ "$version" = latest ]; then
    echo "https://github.com/$repo/releases/latest/download/paralign-$t.$ext"
  else
    echo "https://github.com/$repo/releases/download/v${version#v}/paralign-$t.$ext"
  fi
}

if [ -n "${PARALIGN_BIN:-}" ]; then
  bin="$PARALIGN_BIN"
else
  if [ -z "$repo" ]; then
    echo "paralign action: set the repository input (owner/name of the repository publishing paralign's releases)" >&2
    exit 2
  fi
  t=$(target)
  u=$(url "$t")
  if [ -n "${PARALIGN_DRY_RUN:-}" ]; then
    echo "$u"
    exit 0
  fi
  dir="${RUNNER_TEMP:-/tmp}/paralign-bin"
  mkdir -p "$dir"
  curl --proto '=https' --tlsv1.2 -fsSL --retry 3 "$u" -o "$dir/archive"
  case "$u" in
    *.zip) unzip -oq "$dir/archive" -d "$dir" ;;
    *) tar -xzf "$dir/archive" -C "$dir" ;;
  esac
  bin=$(find "$dir" -type f \( -name paralign -o -name paralign.exe \) | head -n 1)
  chmod +x "$bin"
fi

"$bin" --version >&2
# shellcheck disable=SC2086 # the inputs are lists of words
exec "$bin" check $paths --format github $args
