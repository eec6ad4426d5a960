#!/usr/bin/env pwsh
# Restores the pinned Cake tool (.config/dotnet-tools.json) and runs build.cake; arguments pass through,
# e.g. ./build.ps1 --target=Test
$ErrorActionPreference = 'Stop'
Set-Location -LiteralPath $PSScriptRoot

$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'

dotnet tool restore
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }

dotnet tool run dotnet-cake build.cake @args
exit $LASTEXITCODE
