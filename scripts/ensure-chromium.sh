#!/usr/bin/env bash
# Browser tests drive Debian's Chromium, and the PDF tests read text with poppler's pdftotext;
# install them when missing and possible (root + apt).
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's ${missing[*]} for the tests…"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") >/dev/null 2>&1 \
    || echo "Could not install ${missing[*]}; the tests that need them will be skipped." >&2
else
  echo "${missing[*]} not installed (apt-get install ${missing[*]}); the tests that need them will be skipped." >&2
fi
exit 0
