using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace HealthEndpoint.Owin.Readme.Tests;

/// <summary>
/// README.md stays a library README: at most 400 lines, its sections in the order a newcomer needs them (the two
/// commands to try it first), and install, the Katana quick start and the probe table within the first 190 lines.
/// </summary>
[TestFixture]
public sealed class ReadmeShapeTests
{
    private static readonly string[] Sections =
    [
        "## Try it", "## Install", "## Quick start for Katana", "## Quick start for any AppFunc", "## Point your probes", "## Endpoints",
        "## Options", "## Checks", "## Securing the endpoints", "## Graceful shutdown", "## Compatibility",
        "## Troubleshooting", "## Known limits", "## Contributing", "## License",
    ];

    [Test]
    public void Readme_IsShortAndInTheNewcomersOrder()
    {
        Assert.That(Problems(File.ReadAllLines(Documents.Readme)), Is.Empty);
    }

    [Test]
    public void Control_AReadmeWithTheProbeTablePushedDownOrASectionMoved_Fails()
    {
        var lines = File.ReadAllLines(Documents.Readme).ToList();
        var pushedDown = lines.Take(20).Concat(Enumerable.Repeat("filler", 100)).Concat(lines.Skip(20)).ToArray();
        var katana = lines.IndexOf("## Quick start for Katana");
        var moved = lines.Where((_, index) => index != katana).Append("## Quick start for Katana").ToArray();

        Assert.That(Problems(pushedDown), Has.Some.Contains("Point your probes").And.Some.Contains("more than 400"));
        Assert.That(Problems(moved), Has.Some.Contains("order"));
    }

    private static List<string> Problems(string[] lines)
    {
        var problems = new List<string>();
        if (lines.Length > 400)
        {
            problems.Add($"{lines.Length} lines, more than 400");
        }

        var at = Sections.Select(section => Array.IndexOf(lines, section)).ToArray();
        for (var i = 0; i < Sections.Length; i++)
        {
            if (at[i] < 0)
            {
                problems.Add($"no section '{Sections[i]}'");
            }
            else if (i > 0 && at[i] < at[i - 1])
            {
                problems.Add($"'{Sections[i]}' is out of order");
            }
        }

        var probeTable = Array.FindIndex(lines, Math.Max(0, at[4]), line => line.StartsWith("| Kubernetes", StringComparison.Ordinal));
        foreach (var (name, line) in new[] { ("Install", at[1]), ("Quick start for Katana", at[2]), ("Point your probes (its table)", probeTable) })
        {
            // 150 until the Try it section and Install's nuget.config block (issue 25) moved the probe table to line 183.
            if (line < 0 || line + 1 > 190)
            {
                problems.Add($"'{name}' starts at line {line + 1}, after line 190");
            }
        }

        return problems;
    }
}
