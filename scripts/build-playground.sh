#!/usr/bin/env bash
# Builds the playground (www/playground) to static files in www/playground/dist: first the wasio
# npm package it runs on (www/, `npm run build`), then the page with Vite. Installs each folder's
# npm packages from its committed lockfile when they are missing or the lockfile changed.
# WASIO_PACKAGE_BUILD=always rebuilds the package even when www/dist exists (scripts/demo.sh does).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
log() { printf '\033[1m[playground]\033[0m %s\n' "$*" >&2; }

# npm ci in $1 unless node_modules matches package-lock.json (a stamp holds the lockfile's hash).
npm_ci() {
  local dir=$1 stamp="$1/node_modules/.wasio-lock-sha"
  local sha; sha=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$sha" ]; then
    log "npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --silent)
    echo "$sha" >"$stamp"
  fi
}

if [ ! -f www/package.json ]; then
  echo "build-playground: www/package.json (the wasio npm package) is missing" >&2
  exit 1
fi
if [ "${WASIO_PACKAGE_BUILD:-}" = always ] || [ ! -d www/dist ]; then
  npm_ci www
  log "building the wasio npm package (www/, npm run build)"
  (cd www && npm run build --silent)
fi
npm_ci www/playground
log "building the playground (vite build)"
(cd www/playground && npx vite build --logLevel warn)
