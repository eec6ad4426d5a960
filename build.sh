#!/usr/bin/env bash
# Restores the pinned Cake tool (.config/dotnet-tools.json) and runs build.cake; arguments pass through,
# e.g. ./build.sh --target=Test
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1

dotnet tool restore
dotnet tool run dotnet-cake build.cake "$@"
