#!/usr/bin/env bash
# RoleSync's one test command (README, CI): restore, build with warnings as errors, run every test project,
# and end with the line "N passed, N failed". Exit code is non-zero when anything fails.
#
# This machine's NuGet registry may lack Microsoft.Azure.Functions.Worker.Extensions.ServiceBus. The script
# tries the normal restore first; only if that package is missing (NU1101) does it build with the stand-in
# declared in eng/ServiceBusStandIn (a build that refuses to publish), and it says so.
set -uo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
log_dir=$(mktemp -d)
props=()

# The ledger tests need Azurite (npm); a fresh clone gets it here, so this one command is all a newcomer runs.
if [ ! -x node_modules/.bin/azurite-table ]; then
  echo "Installing Azurite for the ledger tests (npm ci)..."
  if ! npm ci --no-audit --no-fund >"$log_dir/npm.log" 2>&1; then
    cat "$log_dir/npm.log"; echo "npm ci failed: the ledger tests need Azurite (Node.js and npm)."; echo "0 passed, 1 failed"; exit 1
  fi
fi

# The operator console's browser tests drive Debian's Chromium (/usr/bin/chromium, package "chromium").
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Chromium for the console's browser tests (apt-get install chromium)..."
    if ! { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; } >"$log_dir/apt.log" 2>&1; then
      tail -20 "$log_dir/apt.log"; echo "apt-get install chromium failed: the console's browser tests need it."; echo "0 passed, 1 failed"; exit 1
    fi
  else
    echo "The console's browser tests need Chromium at /usr/bin/chromium: install the Debian package \"chromium\" (sudo apt-get install -y chromium) and run ./test.sh again."
    echo "0 passed, 1 failed"; exit 1
  fi
fi

if ! dotnet restore Functions.sln >"$log_dir/restore.log" 2>&1; then
  if grep -q "NU1101.*Microsoft.Azure.Functions.Worker.Extensions.ServiceBus" "$log_dir/restore.log"; then
    echo "NOTICE: Microsoft.Azure.Functions.Worker.Extensions.ServiceBus is not served by this machine's NuGet registry."
    echo "NOTICE: building and testing with the stand-in (eng/ServiceBusStandIn, -p:UseServiceBusStandIn=true); such a build cannot be published."
    props=(-p:UseServiceBusStandIn=true)
    if ! dotnet restore Functions.sln "${props[@]}" >"$log_dir/restore.log" 2>&1; then
      cat "$log_dir/restore.log"; echo "0 passed, 1 failed"; exit 1
    fi
  else
    cat "$log_dir/restore.log"; echo "0 passed, 1 failed"; exit 1
  fi
fi

if ! dotnet build Functions.sln --no-restore -c Release -warnaserror "${props[@]}" >"$log_dir/build.log" 2>&1; then
  grep -E "error|warning" "$log_dir/build.log" | sort -u | head -50
  echo "Build failed (full log: $log_dir/build.log)"
  echo "0 passed, 1 failed"
  exit 1
fi
echo "Build succeeded."

dotnet test Functions.sln --no-build -c Release "${props[@]}" "$@" 2>&1 | tee "$log_dir/test.log"
status=${PIPESTATUS[0]}

# Sum the per-assembly summaries ("Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12 ...").
read -r passed failed skipped < <(grep -E "^(Passed|Failed)! +- Failed: " "$log_dir/test.log" | awk -F'[:,]' '
  { f += $2; p += $4; s += $6 } END { printf "%d %d %d\n", p, f, s }')
if [ "$status" -ne 0 ] && [ "${failed:-0}" -eq 0 ]; then
  failed=1   # the run itself failed (crash, timeout) without a failed test to count
fi
echo "${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
exit "$status"
