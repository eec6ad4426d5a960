// Small helpers the tasks share: running programs, apt installs, finding programs and listeners, the
// ContinuousIntegrationBuild setting, and reading test result files for the closing "N passed, N failed" line.

using System.Xml.Linq;

// ContinuousIntegrationBuild maps source paths to /_/ in the DLLs and PDBs, so that one commit builds to the same
// bytes in any folder. It is set here rather than in the props: in a local IDE build it would hide the real paths.
DotNetMSBuildSettings ContinuousIntegrationSettings() =>
    new DotNetMSBuildSettings().WithProperty("ContinuousIntegrationBuild", "true");

// Installs Debian packages when running as root on a Debian-like system; anywhere else it stops with the exact
// command to run. `neededFor` completes "... needs <packages>".
void AptInstallOrFail(string packages, string neededFor)
{
    var installArguments = $"install -y --no-install-recommends {packages}";
    if (!IsRunningOnLinux() || !Environment.IsPrivilegedProcess || !FileExists("/usr/bin/apt-get"))
    {
        throw new CakeException(
            $"{neededFor} needs {packages}. Install with: sudo apt-get update && sudo apt-get {installArguments}");
    }

    RunOrFail("apt-get", "update");
    // Another install (a second build, unattended upgrades) may hold the dpkg lock for a while.
    RunOrFail("apt-get", $"-o DPkg::Lock::Timeout=300 {installArguments}");
}

string FindOnPath(string fileName)
{
    var searchPath = (EnvironmentVariable("PATH") ?? string.Empty)
        .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Concat(new[] { "/usr/bin", "/usr/local/bin", "/usr/sbin" });
    return searchPath
        .Select(directory => System.IO.Path.Combine(directory, fileName))
        .FirstOrDefault(System.IO.File.Exists);
}

// Whether anything accepts TCP connections on 127.0.0.1:port (a service bound to any address does).
bool IsListening(int port)
{
    using var client = new System.Net.Sockets.TcpClient();
    try
    {
        return client.ConnectAsync("127.0.0.1", port).Wait(TimeSpan.FromSeconds(2)) && client.Connected;
    }
    catch (AggregateException)
    {
        return false;
    }
}

// A command's standard output lines, or none when it fails: report headers and checks must not break the build.
IEnumerable<string> OutputOf(string fileName, string arguments)
{
    try
    {
        var exitCode = StartProcess(fileName, new ProcessSettings
        {
            Arguments = arguments,
            RedirectStandardOutput = true,
            Silent = true,
        }, out var lines);
        return exitCode == 0 ? lines.ToList() : new List<string>();
    }
    catch (Exception exception)
    {
        Warning("Could not run '{0} {1}': {2}", fileName, arguments, exception.Message);
        return new List<string>();
    }
}

void RunOrFail(string fileName, string arguments)
{
    Information("> {0} {1}", fileName, arguments);
    var exitCode = StartProcess(fileName, new ProcessSettings
    {
        Arguments = arguments,
        EnvironmentVariables = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" },
    });
    if (exitCode != 0)
    {
        throw new CakeException($"'{fileName} {arguments}' exited with code {exitCode}.");
    }
}

// Cake prints its task report (and any error) after the last task; the totals line must close the output,
// plain, on its own line, so it is written when the process exits.
void PrintOnExit(string line)
{
    AppDomain.CurrentDomain.ProcessExit += (_, _) => Console.WriteLine(line);
}

(int Passed, int Failed, int Files) SumTrxCounters(DirectoryPath directory)
{
    int passed = 0, failed = 0, files = 0;
    XNamespace trx = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";
    foreach (var file in GetFiles($"{directory.FullPath}/*.trx"))
    {
        var counters = XDocument.Load(file.FullPath).Descendants(trx + "Counters").FirstOrDefault();
        if (counters == null)
        {
            Warning("No <Counters> in {0}.", file);
            continue;
        }

        int Count(string name) => (int?)counters.Attribute(name) ?? 0;
        files++;
        passed += Count("passed");
        failed += Count("failed") + Count("error") + Count("timeout") + Count("aborted");
    }

    return (passed, failed, files);
}

// "<trx name>: <test name>: <start of its message>" for every failed test in the trx files of a folder, so that the end
// of a long log says which tests failed and why without scrolling back through the passes.
IEnumerable<string> FailedTestLines(DirectoryPath directory)
{
    XNamespace trx = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";
    foreach (var file in GetFiles($"{directory.FullPath}/*.trx"))
    {
        foreach (var result in XDocument.Load(file.FullPath).Descendants(trx + "UnitTestResult"))
        {
            if ((string)result.Attribute("outcome") is "Passed" or "NotExecuted" or null)
            {
                continue;
            }

            var message = (string)result.Descendants(trx + "Message").FirstOrDefault();
            yield return $"{file.GetFilenameWithoutExtension()}: {result.Attribute("testName")?.Value}: {MessageStart(message)}";
        }
    }
}

// NUnit puts the message, the assertion, "Expected: x" and "But was: y" on separate lines: on one line, everything
// up to the "But was" (at most five lines of at most 300 characters), so that CI's output shows what was observed.
string MessageStart(string message)
{
    if (message == null)
    {
        return "(no message)";
    }

    var lines = message.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0).Take(5).ToList();
    var butWas = lines.FindIndex(line => line.StartsWith("But was:", StringComparison.Ordinal));
    return string.Join(" | ", lines.Take(butWas >= 0 ? butWas + 1 : 3).Select(line => line.Length > 300 ? line.Substring(0, 300) + "…" : line));
}
