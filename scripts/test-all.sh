#!/usr/bin/env bash
# Every check the repository has, in order; `npm test` runs this after
# `pnpm install --frozen-lockfile`. Fails on the first failing step and prints
# a summary with per-step durations either way. Parallelism stays at 2.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
export TURBO_TELEMETRY_DISABLED=1
CONCURRENCY=2

# Under `pnpm run` pnpm is on PATH; run directly, fall back to the README's pnpm.
pnpm() {
  if type -P pnpm >/dev/null; then command pnpm "$@"; else npx --yes pnpm@10 "$@"; fi
}

# Runs `sudo` only when not root (containers and CI images often have no sudo).
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

now_ms() { echo $((${EPOCHREALTIME/./} / 1000)); }
fmt_ms() { printf '%d.%ds' $(($1 / 1000)) $(($1 % 1000 / 100)); }

SUMMARY=()
CURRENT=''
STARTED_AT=$(now_ms)

print_summary() {
  local status=$1
  echo
  echo "══ Summary ═══════════════════════════════════════════════"
  local line
  for line in "${SUMMARY[@]}"; do echo "  $line"; done
  if [ -n "$CURRENT" ]; then printf '  %-8s %-38s %s\n' FAILED "$CURRENT" "$(fmt_ms $(($(now_ms) - STEP_START)))"; fi
  printf '  %-8s %-38s %s\n' "" "total" "$(fmt_ms $(($(now_ms) - STARTED_AT)))"
  if [ "$status" -eq 0 ]; then echo "All checks passed."; else echo "FAILED at: ${CURRENT:-setup} (exit $status)"; fi
}
trap 'print_summary $?' EXIT

# step NAME COMMAND...: runs COMMAND in this shell (so exports persist) under a
# header; `set -e` ends the script on failure and the EXIT trap reports it.
step() {
  CURRENT=$1
  shift
  echo
  echo "══ $CURRENT ═══════════════════════════════════════════════"
  STEP_START=$(now_ms)
  "$@"
  SUMMARY+=("$(printf '%-8s %-38s %s' "${STEP_STATUS:-ok}" "$CURRENT" "$(fmt_ms $(($(now_ms) - STEP_START)))")")
  CURRENT=''
  STEP_STATUS=''
}
skip() {
  echo "skipped: $*"
  STEP_STATUS=skipped
}

ensure_chromium() {
  local path=${CHROMIUM_PATH:-/usr/bin/chromium}
  if [ ! -x "$path" ]; then
    echo "$path not found; installing Chromium from apt (never via playwright install)"
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
    path=/usr/bin/chromium
  fi
  export CHROMIUM_PATH=$path
  echo "CHROMIUM_PATH=$CHROMIUM_PATH ($("$CHROMIUM_PATH" --version 2>/dev/null || echo 'version unknown'))"
}

ensure_postgres() {
  if [ -n "${DATABASE_URL:-}" ]; then
    echo "DATABASE_URL is set; Postgres-server tests use it"
    return
  fi
  if ! command -v pg_isready >/dev/null 2>&1; then
    skip "no Postgres installed and DATABASE_URL unset: Postgres-server tests will be skipped (PGlite tests still run)"
    return
  fi
  if ! pg_isready -q -h 127.0.0.1 -p 5432 && [ -d /etc/postgresql ]; then
    echo "Postgres is installed but not running; starting it"
    # shellcheck disable=SC2046 # one word per installed major version
    as_root pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do pg_isready -q -h 127.0.0.1 -p 5432 && break || sleep 1; done
  fi
  if pg_isready -q -h 127.0.0.1 -p 5432; then
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/test
    echo "DATABASE_URL=$DATABASE_URL"
    if [ "$(psql "${DATABASE_URL%/test}/postgres" -tAc "select 1 from pg_database where datname = 'test'")" != 1 ]; then
      psql "${DATABASE_URL%/test}/postgres" -qc 'create database test'
    fi
  else
    skip "Postgres is not reachable on 127.0.0.1:5432 and DATABASE_URL is unset: Postgres-server tests will be skipped"
  fi
}

run_e2e() {
  # The e2e script is not called "test", so the unit stage above never starts browsers.
  turbo run build --filter=demo --output-logs=errors-only --concurrency=$CONCURRENCY
  # The demo mounts <BatonDevtools />: none of its code may reach the production build's client chunks.
  node scripts/size.mjs --absent-in apps/demo/.next/static
  pnpm --filter e2e run e2e
}

run_reliability() {
  if node -e 'process.exit(require("./package.json").scripts?.["test:reliability"] ? 0 : 1)'; then
    pnpm run test:reliability
  else
    skip 'no "test:reliability" script in package.json yet'
  fi
}

step "chromium" ensure_chromium
step "postgres" ensure_postgres
step "build packages" turbo run build --filter='./packages/*' --concurrency=$CONCURRENCY
step "bundle size budgets" pnpm run check:size
step "lint + format (biome ci)" biome ci .
step "typecheck + unit/integration tests" turbo run typecheck test --concurrency=$CONCURRENCY
step "peer ranges tested at both ends" node scripts/check-peer-ranges.mjs
step "package checks (publint, attw, smoke)" pnpm run check:packages
step "adoption (create-next-app + tarballs + init)" pnpm --filter adoption run adopt
step "release check (changeset version, publish --dry-run)" pnpm run check:release
step "e2e (Playwright, Chromium)" run_e2e
step "reliability" run_reliability
