using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;

namespace Owin.HealthEndpoint.Readme.Tests;

/// <summary>
/// Every C# block (<c>```csharp</c>, <c>```cs</c>, <c>```c#</c>) of README.md is in this assembly, character for character: the build extracts
/// them (Readme.Tests.csproj) and compiles them against the packed packages, so a block that does not compile
/// fails the build at its README line.
/// </summary>
[TestFixture]
public sealed class ReadmeBlocksTests
{
    [Test]
    public void Readme_EveryCsharpBlock_IsCompiledAsPrinted()
    {
        var readme = Metadata("ReadmeFile");
        var blocks = CsharpBlocks(File.ReadAllLines(readme));
        var compiled = Directory.GetFiles(Metadata("ReadmeBlocksDirectory"), "ReadmeBlock*.cs").Order(StringComparer.Ordinal).ToList();

        Assert.That(blocks, Has.Count.GreaterThanOrEqualTo(3), "the control: the three styles are blocks the reader sees");
        Assert.That(compiled, Has.Count.EqualTo(blocks.Count));
        for (var i = 0; i < blocks.Count; i++)
        {
            var lines = File.ReadAllText(compiled[i]).Split('\n');
            Assert.That(lines[0], Is.EqualTo($"#line {blocks[i].FirstLine} \"{readme}\""), compiled[i]);
            Assert.That(string.Join("\n", lines.Skip(1)), Is.EqualTo(blocks[i].Text + "\n"), $"block {i + 1} at README.md:{blocks[i].FirstLine}");
        }
    }

    [Test]
    public void Readme_StylesAsPrinted_AreTypesOfThisAssembly()
    {
        var types = typeof(ReadmeBlocksTests).Assembly.GetTypes().Select(type => type.FullName).ToList();

        Assert.That(types, Does.Contain("MyApp.HealthEndpointSetup").And.Contain("MyApp.Startup").And.Contain("MyApp.LegacyHost"));
    }

    private static string Metadata(string key) =>
        typeof(ReadmeBlocksTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(attribute => attribute.Key == key).Value!;

    // Read independently of the build's extraction: the text between a line "```csharp" ("```cs", "```c#") and the
    // next line "```".
    private static List<(int FirstLine, string Text)> CsharpBlocks(string[] lines)
    {
        var blocks = new List<(int, string)>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i] is "```csharp" or "```cs" or "```c#")
            {
                var end = Array.IndexOf(lines, "```", i + 1);
                blocks.Add((i + 2, string.Join("\n", lines[(i + 1)..end])));
                i = end;
            }
        }

        return blocks;
    }
}
