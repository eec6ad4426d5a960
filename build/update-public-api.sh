#!/usr/bin/env bash
# Rewrites the PublicAPI.Unshipped.txt files of the libraries under src/ from what their code declares public.
#
#   build/update-public-api.sh                      every tracked project under src/
#   build/update-public-api.sh src/X/X.csproj ...   only these
#
# Why a script and not `dotnet format analyzers --diagnostics RS0016`: the code fix writes every symbol into the
# project-level file, so a member that only net8.0 has would be declared for netstandard2.0 too (RS0017 there).
# Here each project is built once with the API warnings as plain warnings, RS0016 ("Symbol '...' is not part of
# the declared public API") is read per target framework, and the symbols are written where they belong:
#   PublicAPI.Unshipped.txt                          what every target framework declares
#   PublicAPI/<target framework>/PublicAPI.Unshipped.txt   what only some do
# The Shipped files are never touched: a shipped member that is gone stays an RS0017 error for a person to judge
# (removing it is a breaking change). Review the diff before committing; it is the API change.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
header='#nullable enable'

if [ "$#" -gt 0 ]; then
  projects=("$@")
else
  mapfile -t projects < <(ls src/*/*.csproj)
fi

# The properties after evaluation, as MSBuild sees them (-getProperty needs the .NET 8 SDK or later).
property() { dotnet msbuild "$1" -nologo -getProperty:"$2"; }

status=0
for project in "${projects[@]}"; do
  if [ "$(property "$project" TrackPublicApi)" != "true" ]; then
    echo "skip  $project (TrackPublicApi is not true)"
    continue
  fi

  dir="$(dirname "$project")"
  absolute="$(cd "$dir" && pwd)/$(basename "$project")"
  frameworks="$(property "$project" TargetFrameworks)"
  [ -n "$frameworks" ] || frameworks="$(property "$project" TargetFramework)"
  IFS=';' read -r -a tfms <<< "$frameworks"

  # Start from the shipped API only, so that everything the build reports is exactly the unshipped API.
  [ -f "$dir/PublicAPI.Shipped.txt" ] || echo "$header" > "$dir/PublicAPI.Shipped.txt"
  echo "$header" > "$dir/PublicAPI.Unshipped.txt"
  rm -f "$dir"/PublicAPI/*/PublicAPI.Unshipped.txt

  log="$(mktemp)"
  work="$(mktemp -d)"
  if ! dotnet build "$project" --no-incremental -nologo -p:TreatWarningsAsErrors=false -p:PublicApiWarningsOnly=true \
      -clp:NoSummary > "$log" 2>&1; then
    cat "$log"
    echo "FAILED $project: the build failed for another reason (above); nothing rewritten beyond the reset files." >&2
    exit 1
  fi

  for tfm in "${tfms[@]}"; do
    # A build of several target frameworks tags each line "[...csproj::TargetFramework=<tfm>]"; with one, every
    # line is that framework's, tagged or not.
    tag="TargetFramework=$tfm]"
    [ "${#tfms[@]}" -gt 1 ] || tag="warning RS0016:"
    # Only this project's lines: a project it references is built too and may report its own.
    grep -F "warning RS0016:" "$log" | grep -F "[$absolute" | grep -F "$tag" \
      | sed -E "s/.*warning RS0016: Symbol '(.*)' is not part of the declared public API.*/\1/" \
      | LC_ALL=C sort -u > "$work/$tfm" || true
  done

  # Common to every target framework: the project-level file; the rest: per framework.
  cp "$work/${tfms[0]}" "$work/common"
  for tfm in "${tfms[@]}"; do
    LC_ALL=C comm -12 "$work/common" "$work/$tfm" > "$work/next"
    mv "$work/next" "$work/common"
  done
  { echo "$header"; cat "$work/common"; } > "$dir/PublicAPI.Unshipped.txt"
  summary="$(wc -l < "$work/common") common"
  for tfm in "${tfms[@]}"; do
    LC_ALL=C comm -23 "$work/$tfm" "$work/common" > "$work/only"
    if [ -s "$work/only" ]; then
      mkdir -p "$dir/PublicAPI/$tfm"
      { echo "$header"; cat "$work/only"; } > "$dir/PublicAPI/$tfm/PublicAPI.Unshipped.txt"
      summary="$summary, $(wc -l < "$work/only") $tfm only"
    fi
  done
  rmdir "$dir"/PublicAPI/* "$dir/PublicAPI" 2>/dev/null || true

  # Anything the analyzer still reports (a shipped member removed, RS0026 overload rules, ...) needs a person.
  if grep -E "(warning|error) RS0[0-9]+:" "$log" | grep -F "[$absolute" | grep -vF "warning RS0016:" | sort -u | grep .; then
    status=1
  fi
  echo "wrote $dir: $summary"
  rm -rf "$log" "$work"
done

exit "$status"
