// Clean, Restore and Build: the whole solution (src, samples, tests, benchmarks), for the Test target.
// Pack builds only the shipped projects on its own (build/packages.cake); Bench builds only what it runs.

// Set once Build has compiled the solution in this run: Pack then packs that output instead of building again.
var solutionBuilt = false;

Task("Clean")
    .Description("Deletes artifacts/ and the bin/obj output of the selected configuration.")
    .Does(() =>
{
    CleanDirectory(artifactsDirectory);
    CleanDirectories($"./src/**/bin/{configuration}");
    CleanDirectories($"./src/**/obj/{configuration}");
    CleanDirectories($"./tests/**/bin/{configuration}");
    CleanDirectories($"./tests/**/obj/{configuration}");
});

Task("Restore")
    .Description("Restores the solution's packages.")
    .IsDependentOn("Clean")
    .Does(() =>
{
    DotNetRestore(solution.Path.FullPath);
});

Task("Build")
    .Description("Builds the solution.")
    .IsDependentOn("Restore")
    .Does(() =>
{
    DotNetBuild(solution.Path.FullPath, new DotNetBuildSettings
    {
        Configuration = configuration,
        NoRestore = true,
        MSBuildSettings = ContinuousIntegrationSettings(),
    });
    solutionBuilt = true;
});
