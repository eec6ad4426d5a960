// Test leaves no folder behind in the temp directory. The whole run gets a temp folder of its own (TMPDIR, which
// every process it starts inherits), removed at the end; the system's temp directory is compared before and after.
// The .NET SDK leaves two empty folders (mkdtemp "XXXXXX") per `dotnet build/test/pack/run`, and MSBuild its
// MSBuild* folders: those are the SDK's and go with the run's folder. Anything else left in it, or any new folder in
// the system's temp directory, was left by the build or a test and fails Test.

using System.Text.RegularExpressions;

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

// The folders a run left behind: in its own temp folder, all but the SDK's; in the system's, every new one.
List<string> TempFoldersLeft(string runFolder, string systemFolder, ISet<string> systemBefore) =>
    System.IO.Directory.GetDirectories(runFolder)
        .Where(folder => !IsSdkTempFolder(folder))
        .Concat(System.IO.Directory.GetDirectories(systemFolder).Where(folder => !systemBefore.Contains(folder) && folder != runFolder))
        .ToList();

bool IsSdkTempFolder(string folder)
{
    var name = System.IO.Path.GetFileName(folder);
    return name.StartsWith("MSBuild", StringComparison.Ordinal)
        || (Regex.IsMatch(name, "^[A-Za-z0-9]{6}$") && !System.IO.Directory.EnumerateFileSystemEntries(folder).Any());
}

// The control: a folder left in a run's temp folder is reported, beside an SDK folder that is not.
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

        Information("Temp check control: a folder left behind is reported, an empty SDK folder is not.");
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
