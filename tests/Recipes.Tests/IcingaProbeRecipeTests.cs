using System.Threading.Tasks;

namespace Recipes.Tests;

/// <summary>
/// docs/recipes/icinga-probe.md: the ITL-style <c>healthendpoint</c> CheckCommand and its two services, validated
/// by the real <c>icinga2 daemon -C</c>. (Its command line is run against LegacyApp by HealthEndpoint.Probe.Tests'
/// <c>RecipeTests.IcingaStatusService_…</c>.)
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class IcingaProbeRecipeTests
{
    // A host the recipe's "assign where host.vars.healthendpoint" matches.
    private const string Host = """
        object Host "rt-app-01" {
          address = "127.0.0.1"
          check_command = "hostalive"
          vars.healthendpoint = true
        }

        """;

    [Test]
    public async Task HealthendpointConf_IcingaDaemonCheck_AcceptsCommandAndBothServices()
    {
        var withoutRecipe = await IcingaConfigCheck.ValidateAsync(Host);
        var result = await IcingaConfigCheck.ValidateAsync(Host + Recipe().Text);

        Assert.That(withoutRecipe.ExitCode, Is.Zero, "control: the prelude and host alone are valid: " + withoutRecipe.Output);
        Assert.That(result.ExitCode, Is.Zero, result.Output);
        Assert.That(result.Output, Does.Contain("Finished validating the configuration file(s)").And.Not.Contain("warning/").And.Not.Contain("critical/"));
        Assert.That(result.Instantiated("CheckCommands"), Is.EqualTo(withoutRecipe.Instantiated("CheckCommands") + 1), "the recipe adds one CheckCommand");
        Assert.That(result.Instantiated("Services"), Is.EqualTo(2), "both apply rules match the host");
        Assert.That(result.WroteTempCache, Is.True, "icinga2 wrote to the temp CacheDir, not /var/cache/icinga2");
    }

    // Controls: the same validation rejects a broken CheckCommand, and a Service naming a missing one.
    [TestCase("  command = [ \"/opt/healthendpoint-probe/healthendpoint-probe\", \"--plugin\" ]\n", "", "Attribute 'command' must be an array if the 'arguments' attribute is set.", TestName = "HealthendpointConf_WithoutCommand_Rejected")]
    [TestCase("value = \"$healthendpoint_timeout$\"", "value = \"$healthendpoint_timeout\"", "Closing $ not found in macro format string", TestName = "HealthendpointConf_UnclosedMacroInArgument_Rejected")]
    [TestCase("check_command = \"healthendpoint\"", "check_command = \"healthendpoints\"", "Object 'healthendpoints' of type 'CheckCommand' does not exist.", TestName = "HealthendpointConf_ServiceNamesMissingCommand_Rejected")]
    public async Task HealthendpointConf_Broken_Rejected(string original, string broken, string error)
    {
        var result = await IcingaConfigCheck.ValidateAsync(Host + Recipe().Replace(original, broken).Text);

        Assert.That(result.ExitCode, Is.Not.Zero, result.Output);
        Assert.That(result.Output, Does.Contain(error).And.Contain("Config validation failed"));
    }

    private static RecipeText Recipe() => RecipeFile.Load("icinga-probe.md").Block("healthendpoint.conf");
}
