#!/usr/bin/env bash
# Browser tests drive Debian's Chromium; install it when missing and possible (root + apt).
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests…"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null 2>&1 \
    || echo "Could not install chromium; browser tests will be skipped." >&2
else
  echo "chromium is not installed (apt-get install chromium); browser tests will be skipped." >&2
fi
exit 0
