// Build script for HealthEndpoint.Owin (Cake 7.0.0, run through ./build.sh or ./build.ps1).
//   ./build.sh                      same as --target=Test
//   ./build.sh --target=Pack        NuGet packages into artifacts/packages (builds only src/)
//   ./build.sh --target=Bench       micro and load benchmarks into artifacts/bench/report.md (not part of Test)
//   ./build.sh --target=BenchCompare --before=<rev>  an earlier revision's hot paths beside the working tree's
//   ./build.sh --target=FrameworkTest  only the .NET Framework pass under Mono (build/framework.cake)
// Everything the build produces goes to artifacts/. The tasks live in build/, one file per concern:
//   paths.cake, helpers.cake   arguments, paths, and what the tasks share (processes, apt, trx totals)
//   compile.cake               Clean, Restore, Build (the whole solution)
//   servers.cake, recipes.cake EnsureServerBinaries (PostgreSQL, Redis, MariaDB), EnsureRecipeBinaries (proxies, icinga2)
//   packages.cake, package-checks.cake   Pack, PackageTest (metadata, determinism, probe tool, consumer apps)
//   tests.cake                 Test: the solution's test projects and the Redis client suites, several at once
//   machine.cake               how busy the machine was during Test (CPU busy, iowait, steal), printed with the totals
//   temp.cake                  the run's own temp folder; Test fails on any folder left in the temp directory
//   framework.cake, readme.cake, redis.cake   EnsureMono + FrameworkTest, ReadmeTest, the Redis client passes
//   katana.cake                PackTestFixtures (the test-only `Owin` package), KatanaTest (Katana's own pipeline code)
//   bench.cake                 BenchBuild, BenchMicro, EnsureWrk, BenchLoad, Bench
//   bench-compare.cake         BenchCompare: two builds of the core side by side in one process

#load "build/paths.cake"
#load "build/helpers.cake"
#load "build/compile.cake"
#load "build/servers.cake"
#load "build/recipes.cake"
#load "build/packages.cake"
#load "build/package-checks.cake"
#load "build/machine.cake"
#load "build/temp.cake"
#load "build/tests.cake"
#load "build/framework.cake"
#load "build/readme.cake"
#load "build/katana.cake"
#load "build/redis.cake"
#load "build/bench.cake"
#load "build/bench-compare.cake"

RunTarget(target);
