#!/usr/bin/env bash
# System packages the tests need: Chromium (dashboard browser tests) and poppler-utils (pdftotext,
# pdftoppm for the brief tests). Installs them with apt-get when missing and we are root (or have
# sudo); otherwise says what is missing, and the tests that need them skip with that reason
# (in CI, where CI=true, they fail instead).
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
  echo "setup-system: missing ${need[*]} and no root/sudo: install them with apt-get; the tests that need them will skip." >&2
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-system: missing ${need[*]} and no apt-get; the tests that need them will skip." >&2
  exit 0
fi
echo "setup-system: installing ${need[*]} (apt-get)"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
