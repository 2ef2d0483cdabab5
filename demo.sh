#!/usr/bin/env bash
# RoleSync's one demo command (README "Run it"): on a fresh clone, offline, the sample role changes go through the
# real rolesync CLI to the Clerk sandbox (a fake Clerk Backend API on 127.0.0.1), with Azurite as the ledger.
# Needs the .NET 10 SDK; Azurite (npm ci) is optional: without it the demo uses rolesync's in-memory ledger.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if [ ! -x node_modules/.bin/azurite-table ]; then
  if command -v npm >/dev/null 2>&1; then
    echo "Installing Azurite for the ledger (npm ci)..."
    npm ci --no-audit --no-fund || echo "npm ci failed: going on with the in-memory ledger."
  else
    echo "npm is not installed: going on with the in-memory ledger instead of Azurite."
  fi
fi

exec dotnet run --project tools/RoleSync.Demo
