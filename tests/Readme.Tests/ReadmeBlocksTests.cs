using System;
using System.IO;
using System.Linq;

namespace HealthEndpoint.Owin.Readme.Tests;

/// <summary>
/// Every net8.0 C# block (<c>```csharp</c>, <c>```cs</c>, <c>```c#</c>) of README.md, CONTRIBUTING.md and docs/**/*.md
/// is in this assembly, character for character: the build extracts them (Readme.Tests.csproj) and compiles them
/// against the packed packages, so a block that does not compile fails the build at its document's line. Blocks
/// fenced <c>```csharp net472</c> are compiled by <see cref="FrameworkBlocksTests"/>.
/// </summary>
[TestFixture]
public sealed class ReadmeBlocksTests
{
    [Test]
    public void Documents_EveryNet8CsharpBlock_IsCompiledAsPrinted()
    {
        var blocks = Documents.All().SelectMany(Documents.Blocks).Where(block => block.IsCsharp && block.Info == block.Language).ToList();
        var compiled = Directory.GetFiles(Documents.Metadata("ReadmeBlocksDirectory"), "*.cs").Order(StringComparer.Ordinal).ToList();

        Assert.That(blocks, Has.Count.GreaterThanOrEqualTo(5), "the control: the README's AppFunc quick start and the docs' blocks are read");
        Assert.That(compiled, Has.Count.EqualTo(blocks.Count));
        var byText = compiled.Select(File.ReadAllText).ToList();
        foreach (var block in blocks)
        {
            var expected = $"#line {block.FirstLine} \"{block.Document}\"\n{block.Text}\n";
            Assert.That(byText, Does.Contain(expected), $"{block.Where} is compiled as printed");
        }
    }

    [Test]
    public void Documents_EveryCsharpBlock_IsFencedForAProjectKind()
    {
        var blocks = Documents.All().SelectMany(Documents.Blocks).Where(block => block.IsCsharp).ToList();

        Assert.That(blocks.Where(block => block.Info != block.Language && !block.IsFramework && !block.IsAspNetCore).Select(block => block.Where), Is.Empty,
            "a C# block is fenced ```csharp (net8.0), ```csharp net472 or ```csharp aspnetcore; anything else would be compiled nowhere");
        Assert.That(blocks.Count(block => block.IsFramework), Is.GreaterThanOrEqualTo(1), "the control: the Katana quick start is a net472 block");
    }

    [Test]
    public void Documents_EveryCsharpBlock_NamesItsPackagesJustAboveIt()
    {
        var blocks = Documents.All().SelectMany(Documents.Blocks).Where(block => block.IsCsharp).ToList();

        foreach (var block in blocks)
        {
            var packages = Documents.NamedPackages(block);
            Assert.That(packages.Select(package => package.Id), Has.Some.StartsWith("HealthEndpoint."), $"{block.Where}: the text above the block says 'Packages:' and names ours");
        }
    }

    [Test]
    public void Documents_CodeAsPrinted_AreTypesOfThisAssembly()
    {
        var types = typeof(ReadmeBlocksTests).Assembly.GetTypes().Select(type => type.FullName).ToList();

        Assert.That(types, Does.Contain("MyApp.HealthEndpointSetup").And.Contain("MyApp.LegacyHost").And.Contain("MyApp.KestrelHost"));
    }
}
