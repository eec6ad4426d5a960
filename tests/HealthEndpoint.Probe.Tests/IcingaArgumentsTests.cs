using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace HealthEndpoint.Probe.Tests;

/// <summary>
/// The test's model of Icinga's argument building (MacroProcessor::ResolveArguments, 2.13), which turns the
/// icinga-probe recipe into the command line RecipeTests runs: if it were wrong, that test would run a different
/// command than Icinga does.
/// </summary>
[TestFixture]
public sealed class IcingaArgumentsTests
{
    private const string Body = """
          command = [ "/bin/probe", "--plugin" ]
          arguments = {
            "url" = {
              value = "$url$"
              skip_key = true
              required = true
              order = 1
              description = "The URL"
            }
            "--warning" = {
              value = "$warning$"
              description = "Warn { after } this"
            }
            "--critical" = {
              value = "$critical$"
            }
          }
        """;

    [Test]
    public void CommandLine_AllSet_KeysInOrdinalOrderThenByOrderAndSkipKeyDropsTheKey()
    {
        var line = IcingaArguments.Parse(Body).CommandLine(Resolver(new() { ["url"] = "http://x/", ["warning"] = "2s", ["critical"] = "5s" }));

        Assert.That(line, Is.EqualTo(new[] { "--critical", "5s", "--warning", "2s", "http://x/" }));
    }

    [Test]
    public void CommandLine_OptionalMacroMissingOrEmpty_ArgumentLeftOff()
    {
        var line = IcingaArguments.Parse(Body).CommandLine(Resolver(new() { ["url"] = "http://x/", ["warning"] = "" }));

        Assert.That(line, Is.EqualTo(new[] { "http://x/" }));
    }

    [Test]
    public void CommandLine_RequiredMacroMissing_Throws()
    {
        var arguments = IcingaArguments.Parse(Body);

        Assert.That(() => arguments.CommandLine(Resolver([])).ToList(), Throws.InstanceOf<InvalidDataException>().With.Message.Contain("'url'"));
    }

    [Test]
    public void Parse_AttributeThisModelDoesNotImplement_Throws()
    {
        var body = Body.Replace("skip_key = true", "set_if = \"$flag$\"", System.StringComparison.Ordinal);

        Assert.That(() => IcingaArguments.Parse(body), Throws.InstanceOf<InvalidDataException>().With.Message.Contain("set_if"));
    }

    // As RecipeMarkdown resolves: null for an unset or empty variable.
    private static System.Func<string, string?> Resolver(Dictionary<string, string> vars) =>
        text =>
        {
            var name = text.Trim('$');
            return vars.TryGetValue(name, out var value) && value.Length > 0 ? value : null;
        };
}
