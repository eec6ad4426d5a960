// Pack (the src/ projects into artifacts/packages, building nothing else) and PackageTest (the packages checked,
// installed and run the way users will). The metadata and determinism checks are in build/package-checks.cake,
// the Redis consumer apps in build/redis.cake.

Task("Pack")
    .Description("Packs the src/ projects into artifacts/packages; builds only them (tests and benchmarks are not built).")
    .IsDependentOn("Clean")
    .Does(() =>
{
    var startedUtc = DateTime.UtcNow;
    var filter = WriteShippedProjectsFilter();
    DotNetPack(filter.FullPath, PackSettings(packagesDirectory, noBuild: solutionBuilt));
    if (!solutionBuilt)
    {
        RequireNothingBuiltOutsideSrc(startedUtc);
    }
});

// A solution filter of every project under src/, written into artifacts/ from the glob, so that a new shipped
// project needs no edit here (only its line in the .sln, which a solution filter requires).
FilePath WriteShippedProjectsFilter()
{
    var root = MakeAbsolute(Directory("."));
    var projects = GetFiles(ShippedProjectsGlob).Select(project => root.GetRelativePath(project).FullPath).OrderBy(path => path).ToList();
    var inSolution = System.IO.File.ReadAllText(solution.Path.FullPath).Replace('\\', '/');
    var notInSolution = projects.Where(path => !inSolution.Contains($"\"{path}\"", StringComparison.Ordinal)).ToList();
    if (notInSolution.Count > 0)
    {
        throw new CakeException($"Not in {solution.Path.GetFilename()}, so not packed: {string.Join(", ", notInSolution)}. Add with: dotnet sln add <project>");
    }

    EnsureDirectoryExists(artifactsDirectory);
    var filter = MakeAbsolute(artifactsDirectory + File("shipped.slnf"));
    var json = "{ \"solution\": { \"path\": \"../" + solution.Path.GetFilename() + "\", \"projects\": [\n"
        + string.Join(",\n", projects.Select(path => $"  \"{path.Replace("/", "\\\\")}\""))
        + "\n] } }\n";
    System.IO.File.WriteAllText(filter.FullPath, json);
    Information("Packing {0} project(s) under src/ through {1}.", projects.Count, filter);
    return filter;
}

// The proof that Pack built only src/: no file under tests/, benchmarks/ or samples/ bin or obj was written while
// it ran. (From a clean clone: `git clean -xfd && ./build.sh --target=Pack && ls -d tests/*/bin benchmarks/*/bin`
// finds nothing.)
void RequireNothingBuiltOutsideSrc(DateTime sinceUtc)
{
    var written = new[] { "tests", "benchmarks", "samples" }
        .SelectMany(folder => GetDirectories($"./{folder}/*/bin").Concat(GetDirectories($"./{folder}/*/obj")))
        .SelectMany(directory => System.IO.Directory.EnumerateFiles(directory.FullPath, "*", System.IO.SearchOption.AllDirectories))
        .Where(file => System.IO.File.GetLastWriteTimeUtc(file) >= sinceUtc)
        .ToList();
    if (written.Count > 0)
    {
        throw new CakeException($"Pack built more than src/: {written.Count} file(s) written, e.g. {written[0]}.");
    }

    Information("Pack wrote nothing under tests/, benchmarks/ or samples/ bin and obj.");
}

DotNetPackSettings PackSettings(DirectoryPath output, bool noBuild) => new DotNetPackSettings
{
    Configuration = configuration,
    NoBuild = noBuild,
    NoRestore = noBuild,
    OutputDirectory = output,
    MSBuildSettings = ContinuousIntegrationSettings(),
};

Task("PackageTest")
    .Description("Checks every package's metadata and contents, proves the core DLLs deterministic, installs the probe tool, and runs the packed HealthEndpoint.Owin in a fresh consumer project.")
    .IsDependentOn("EnsureServerBinaries") // the Redis consumers run a real redis-server
    .IsDependentOn("Pack")
    .Does(() =>
{
    CheckPackageContents();
    CheckDeterministicPack();
    CheckProbeToolInstalls();
    CheckProbeToolSelfContained();

    var version = PackedVersion();
    CheckPackageConsumer(version);
    CheckRedisConsumers(version);
});

// The version every package in artifacts/packages carries (one pack, one version).
string PackedVersion() =>
    GetFiles($"{MakeAbsolute(packagesDirectory).FullPath}/HealthEndpoint.Owin.*.nupkg")
        .Select(file => file.GetFilenameWithoutExtension().ToString().Substring("HealthEndpoint.Owin.".Length))
        .Single(name => char.IsDigit(name[0]));

// A nuget.config that takes HealthEndpoint.* from artifacts/packages and keeps restored packages inside `folder`.
void WriteLocalNuGetConfig(string folder, bool withNuGetOrg)
{
    var nugetOrg = withNuGetOrg ? "\n    <add key=\"nuget.org\" value=\"https://api.nuget.org/v3/index.json\" />" : string.Empty;
    System.IO.File.WriteAllText(System.IO.Path.Combine(folder, "nuget.config"), $@"<?xml version=""1.0"" encoding=""utf-8""?>
<configuration>
  <packageSources>
    <clear />
    <add key=""local"" value=""{MakeAbsolute(packagesDirectory).FullPath}"" />{nugetOrg}
  </packageSources>
  <config><add key=""globalPackagesFolder"" value=""{folder}/packages"" /></config>
</configuration>");
}

// tests/PackageConsumer, copied outside the repository (so that none of its Directory.Build.props or central
// versions apply), restores the packed HealthEndpoint.Owin and answers ping and status in front of its app.
void CheckPackageConsumer(string version)
{
    var consumer = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "healthendpoint-consumer-" + Guid.NewGuid().ToString("N"));
    CopyDirectory("./tests/PackageConsumer", consumer);
    WriteLocalNuGetConfig(consumer, withNuGetOrg: true);
    try
    {
        var exitCode = StartProcess("dotnet", new ProcessSettings
        {
            Arguments = $"run --project {consumer} -p:HealthEndpointVersion={version}",
            RedirectStandardOutput = true,
        }, out var redirected);
        var lines = redirected.ToList();
        Information(string.Join("\n", lines));
        var expected = new[]
        {
            "/healthz/ping 200 [pong]",
            "/healthz/status 200 [{\"checks\":{\"database\":\"ok\",\"redis\":\"skipped\"},\"status\":\"ok\"}]",
            "/ 200 []",
            "app calls: 1",
        };
        if (exitCode != 0 || !expected.All(line => lines.Contains(line)))
        {
            throw new CakeException($"The packed library did not behave in a fresh project (exit {exitCode}).");
        }
    }
    finally
    {
        DeleteDirectory(consumer, new DeleteDirectorySettings { Recursive = true, Force = true });
    }
}

// Installs healthendpoint-probe from artifacts/packages alone (as `dotnet tool install --tool-path` would in a
// Dockerfile) and runs it: --version exits 0, and a probe of a closed loopback port fails with exit 1.
void CheckProbeToolInstalls()
{
    var folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "healthendpoint-probe-tool-" + Guid.NewGuid().ToString("N"));
    System.IO.Directory.CreateDirectory(folder);
    WriteLocalNuGetConfig(folder, withNuGetOrg: false);
    var config = System.IO.Path.Combine(folder, "nuget.config");
    try
    {
        var toolPath = System.IO.Path.Combine(folder, "bin");
        RunOrFail("dotnet", $"tool install HealthEndpoint.Probe --tool-path {toolPath} --configfile {config}");
        var probe = System.IO.Path.Combine(toolPath, "healthendpoint-probe");
        var version = StartProcess(probe, new ProcessSettings { Arguments = "--version", RedirectStandardOutput = true }, out var versionLines);
        var closed = StartProcess(probe, new ProcessSettings { Arguments = "http://127.0.0.1:1/healthz/ping --timeout 2s", RedirectStandardOutput = true }, out var closedLines);
        var closedLine = closedLines.SingleOrDefault() ?? string.Empty;
        Information("healthendpoint-probe --version: exit {0}; closed port: exit {1}, '{2}'", version, closed, closedLine);
        if (version != 0 || closed != 1 || !closedLine.StartsWith("FAIL ", StringComparison.Ordinal))
        {
            throw new CakeException("The installed healthendpoint-probe tool did not behave (see the lines above).");
        }
    }
    finally
    {
        DeleteDirectory(folder, new DeleteDirectorySettings { Recursive = true, Force = true });
    }
}

// Publishes healthendpoint-probe as a self-contained app for this machine's runtime identifier (no .NET needed
// in the image) and runs it against a closed loopback port: one FAIL line, exit 1.
void CheckProbeToolSelfContained()
{
    var output = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "healthendpoint-probe-sc-" + Guid.NewGuid().ToString("N"));
    try
    {
        var runtime = System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier;
        RunOrFail("dotnet", $"publish ./src/HealthEndpoint.Probe -c {configuration} -r {runtime} --self-contained -o {output}");
        var exitCode = StartProcess(System.IO.Path.Combine(output, "healthendpoint-probe"), new ProcessSettings
        {
            Arguments = "http://127.0.0.1:1/healthz/ping --timeout 2s",
            RedirectStandardOutput = true,
            EnvironmentVariables = new Dictionary<string, string> { ["DOTNET_ROOT"] = "/nonexistent" },
        }, out var lines);
        var line = lines.SingleOrDefault() ?? string.Empty;
        Information("self-contained healthendpoint-probe ({0}): exit {1}, '{2}'", runtime, exitCode, line);
        if (exitCode != 1 || !line.StartsWith("FAIL ", StringComparison.Ordinal))
        {
            throw new CakeException("The self-contained healthendpoint-probe did not behave (see the line above).");
        }
    }
    finally
    {
        if (System.IO.Directory.Exists(output))
        {
            DeleteDirectory(output, new DeleteDirectorySettings { Recursive = true, Force = true });
        }
    }
}
