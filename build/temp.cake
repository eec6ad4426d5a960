// Test leaves no folder behind in the temp directory. The whole run gets a temp folder of its own (TMPDIR, which
// every process it starts inherits), removed at the end: the .NET SDK (two empty folders per `dotnet build/test/
// pack/run`), MSBuild, NuGet and NUnit leave theirs there, and they go with it. Every temp folder this repository's
// build and tests make is named healthendpoint-* or legacyapp-*; one of those still there at the end, in the run's
// folder or in the system's temp directory (code that ignored TMPDIR), was left behind and fails Test.

var systemTemp = System.IO.Path.GetTempPath();
var systemTempBefore = new HashSet<string>(System.IO.Directory.GetDirectories(systemTemp));
var runTemp = System.IO.Directory.CreateTempSubdirectory("healthendpoint-run-").FullName;

// As open as the system's temp directory (1777): the test servers run PostgreSQL as its own user, which must reach
// the folders the tests make in here.
if (!OperatingSystem.IsWindows())
{
    System.IO.File.SetUnixFileMode(runTemp, (UnixFileMode)Convert.ToInt32("1777", 8));
}

Environment.SetEnvironmentVariable("TMPDIR", runTemp);

Teardown(_ =>
{
    Environment.SetEnvironmentVariable("TMPDIR", systemTemp);
    DeleteFolder(runTemp);
});

// The folders a run left behind: this repository's, in its own temp folder or new in the system's.
List<string> TempFoldersLeft(string runFolder, string systemFolder, ISet<string> systemBefore) =>
    System.IO.Directory.GetDirectories(runFolder)
        .Concat(System.IO.Directory.GetDirectories(systemFolder).Where(folder => !systemBefore.Contains(folder) && folder != runFolder))
        .Where(IsRepositoryTempFolder)
        .ToList();

bool IsRepositoryTempFolder(string folder)
{
    var name = System.IO.Path.GetFileName(folder);
    return name.StartsWith("healthendpoint-", StringComparison.Ordinal) || name.StartsWith("legacyapp-", StringComparison.Ordinal);
}

// The control: a folder of this repository's left in a run's temp folder is reported, beside a tool's that is not.
void CheckTempCheckControl()
{
    var control = System.IO.Directory.CreateTempSubdirectory("healthendpoint-tempcheck-").FullName;
    try
    {
        System.IO.Directory.CreateDirectory(System.IO.Path.Combine(control, "Ab3dEf"));
        System.IO.Directory.CreateDirectory(System.IO.Path.Combine(control, "healthendpoint-pg-leftover"));
        var reported = TempFoldersLeft(control, control, new HashSet<string>(System.IO.Directory.GetDirectories(control)));
        if (reported.Count != 1 || !reported[0].EndsWith("healthendpoint-pg-leftover", StringComparison.Ordinal))
        {
            throw new CakeException("The temp check's control failed: a folder left behind was not reported as the only one: " + string.Join(", ", reported));
        }

        Information("Temp check control: a folder left behind is reported, a tool's folder is not.");
    }
    finally
    {
        DeleteFolder(control);
    }
}

void DeleteFolder(string folder)
{
    if (System.IO.Directory.Exists(folder))
    {
        System.IO.Directory.Delete(folder, recursive: true);
    }
}
