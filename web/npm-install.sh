#!/bin/sh
# Installs the locked front-end packages when package-lock.json changed since the last install
# (npm ci starts from scratch every time, which a rebuild does not need).
set -eu
cd "$(dirname "$0")"
if cmp -s package-lock.json node_modules/.installed-package-lock.json 2>/dev/null; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
cp package-lock.json node_modules/.installed-package-lock.json
