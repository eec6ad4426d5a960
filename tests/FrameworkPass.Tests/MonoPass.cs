using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using System.Xml.Linq;
using Owin.HealthEndpoint.Testing;

namespace Owin.HealthEndpoint.FrameworkPass.Tests;

/// <summary>One run of the net472 test assembly under <c>mono nunit3-console.exe --inprocess</c>, read from its result XML.</summary>
/// <param name="ExitCode">nunit3-console's exit code: the number of failed tests, or negative when the run itself failed.</param>
/// <param name="Total">Test cases run.</param>
/// <param name="Passed">Full names of the test cases that passed.</param>
/// <param name="Failed">Full name and first message line of each test case that did not pass.</param>
/// <param name="Output">The runner's console output, for failure messages.</param>
internal sealed record MonoPass(int ExitCode, int Total, IReadOnlyList<string> Passed, IReadOnlyList<string> Failed, string Output)
{
    /// <summary>What to install when Mono is missing (build.cake installs it in the Test target).</summary>
    public const string InstallCommand = "apt-get install -y mono-devel";

    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Runs the pass and reads its result file (written to <paramref name="resultFile"/>).</summary>
    /// <param name="resultFile">Where nunit3-console writes its NUnit 3 XML.</param>
    /// <param name="environment">The variables the tests read (the servers' addresses).</param>
    /// <param name="where">An NUnit <c>--where</c> filter, or <see langword="null"/> for every test.</param>
    public static async Task<MonoPass> RunAsync(string resultFile, IReadOnlyDictionary<string, string> environment, string? where = null)
    {
        var mono = FindMono() ?? throw new InvalidOperationException($"mono is not installed; the .NET Framework pass needs it: {InstallCommand}");
        var arguments = new List<string>
        {
            Metadata("NUnitConsole"), Metadata("FrameworkTestAssembly"),
            "--inprocess", "--noheader", "--labels=Off", "--result=" + resultFile,
        };
        if (where is not null)
        {
            arguments.Add("--where=" + where);
        }

        var command = new ProgramCommand(mono, arguments);
        foreach (var (name, value) in environment)
        {
            command.Environment[name] = value;
        }

        File.Delete(resultFile);
        await using var process = ProgramProcess.Start(command);
        await process.WaitForExitAsync(RunTimeout);
        if (!File.Exists(resultFile))
        {
            throw new InvalidOperationException($"'{command.Text}' exited with {process.ExitCode} and wrote no {resultFile}:{Environment.NewLine}{process.Output}");
        }

        var cases = XDocument.Load(resultFile).Descendants("test-case").ToList();
        return new MonoPass(
            process.ExitCode,
            cases.Count,
            cases.Where(test => (string?)test.Attribute("result") == "Passed").Select(FullName).ToList(),
            cases.Where(test => (string?)test.Attribute("result") != "Passed").Select(Describe).ToList(),
            process.Output);
    }

    private static string FullName(XElement test) => (string?)test.Attribute("fullname") ?? "?";

    private static string Describe(XElement test)
    {
        var message = test.Element("failure")?.Element("message")?.Value ?? (string?)test.Attribute("label") ?? string.Empty;
        var firstLine = message.Trim().Split('\n')[0].Trim();
        return string.Create(CultureInfo.InvariantCulture, $"{FullName(test)} [{(string?)test.Attribute("result")}]: {firstLine}");
    }

    private static string Metadata(string key) =>
        typeof(MonoPass).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(attribute => attribute.Key == key).Value
            ?? throw new InvalidOperationException($"No {key} in the assembly metadata.");

    private static string? FindMono() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin")
            .Select(directory => Path.Combine(directory, "mono"))
            .FirstOrDefault(File.Exists);
}
