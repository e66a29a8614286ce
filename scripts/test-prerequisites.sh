#!/usr/bin/env bash
# The first step of `npm test`, before any test: installs what they need from outside npm when it is missing, so that
# `npm ci && npm test` passes on a fresh Debian machine. The browser tests drive Debian's Chromium (no browser
# download is possible here) and the PDF tests read their output with poppler-utils' pdftotext. When both are
# there this only looks, so it costs nothing; apt-get runs only when something is missing.
set -euo pipefail

# The launcher reads the same variable (test/chromium.ts).
chromium=${KEYWORK_CHROMIUM:-/usr/bin/chromium}
say() { printf 'test prerequisites: %s\n' "$*"; }
fail() {
  printf 'test prerequisites: %s\n' "$@" >&2
  exit 1
}

# bash's `command -v` falls back to a file it cannot execute, so the hit is checked too.
has_pdftotext() {
  local found
  found=$(command -v pdftotext 2>/dev/null) && [ -x "$found" ]
}

missing_packages() {
  local missing=()
  [ -x "$chromium" ] || missing+=(chromium)
  has_pdftotext || missing+=(poppler-utils)
  echo "${missing[*]}"
}

missing=$(missing_packages)
if [ -z "$missing" ]; then
  say "Chromium at $chromium and pdftotext are installed"
  exit 0
fi

say "missing: $missing (Chromium is looked for at $chromium, pdftotext on PATH)"
command_line="apt-get update && apt-get install -y --no-install-recommends $missing"
if ! command -v apt-get >/dev/null 2>&1; then
  fail "apt-get is not available, so $missing cannot be installed here. Install Chromium and poppler-utils" \
    "(pdftotext) yourself, point KEYWORK_CHROMIUM at the browser if it is not at /usr/bin/chromium," \
    'then run npm test again. No test has run.'
fi
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  fail "cannot install $missing: this user is not root and has no passwordless sudo. As root, run" \
    "  $command_line" 'then run npm test again. No test has run.'
fi

# Two test runs started side by side (as .ci/run does) must not both run apt-get: dpkg's lock would fail one.
# The second waits here, then finds everything installed.
# Opened for reading, so that whoever made the file first, root or not, any user can lock it.
lock=${TMPDIR:-/tmp}/keywork-test-prerequisites.lock
[ -e "$lock" ] || : >"$lock"
exec 9<"$lock"
flock -n 9 || {
  say 'another test run is installing them; waiting for it'
  flock 9
}
missing=$(missing_packages)
if [ -n "$missing" ]; then
  say "installing $missing: ${as_root[*]:+${as_root[*]} }$command_line"
  "${as_root[@]}" apt-get update
  # shellcheck disable=SC2086 # one word per package
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
fi
flock -u 9

missing=$(missing_packages)
if [ -n "$missing" ]; then
  fail "still missing after apt-get: $missing (Chromium is looked for at $chromium, pdftotext on PATH)." \
    'No test has run.'
fi
say "Chromium at $chromium and pdftotext are installed"
