using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using System.Xml.Linq;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.FrameworkPass.Tests;

/// <summary>One test case of the Mono run: its full name, NUnit result, duration and failure message on one line.</summary>
internal sealed record MonoTestCase(string FullName, string Result, TimeSpan Duration, string Message)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{FullName} [{Result}, {Duration.TotalSeconds:0.000} s]: {Message}");
}

/// <summary>One run of the net472 test assembly under <c>mono nunit3-console.exe --inprocess</c>, read from its result XML.</summary>
/// <param name="ExitCode">nunit3-console's exit code: the number of failed tests, or negative when the run itself failed.</param>
/// <param name="Cases">Every test case run.</param>
/// <param name="Output">The runner's console output, for failure messages.</param>
internal sealed record MonoPass(int ExitCode, IReadOnlyList<MonoTestCase> Cases, string Output)
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

        var cases = XDocument.Load(resultFile).Descendants("test-case").Select(Read).ToList();
        return new MonoPass(process.ExitCode, cases, process.Output);
    }

    /// <summary>Full names of the test cases that passed.</summary>
    public IReadOnlyList<string> Passed => Cases.Where(test => test.Result == "Passed").Select(test => test.FullName).ToList();

    /// <summary>Every test case that did not pass, described in one line.</summary>
    public IReadOnlyList<string> Failed => Cases.Where(test => test.Result != "Passed").Select(test => test.ToString()).ToList();

    private static MonoTestCase Read(XElement test)
    {
        var message = test.Element("failure")?.Element("message")?.Value ?? (string?)test.Attribute("label") ?? string.Empty;
        return new MonoTestCase(
            (string?)test.Attribute("fullname") ?? "?",
            (string?)test.Attribute("result") ?? "?",
            TimeSpan.FromSeconds(double.Parse((string?)test.Attribute("duration") ?? "0", CultureInfo.InvariantCulture)),
            string.Join(" | ", message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
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
