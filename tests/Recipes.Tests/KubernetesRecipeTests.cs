using System;
using System.Net.Http;
using System.Text.RegularExpressions;
using System.Threading.Tasks;

namespace Recipes.Tests;

/// <summary>
/// docs/recipes/kubernetes.md: the Deployment's probes, read from its YAML and sent with the kubelet's rules
/// (no kubelet here) to LegacyApp against a real PostgreSQL.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class KubernetesRecipeTests
{
    private static readonly TimeSpan AppCheckTimeout = TimeSpan.FromSeconds(2);

    [Test]
    public void DeploymentYaml_Probes_LivenessAndStartupPingReadinessStatusWithRoomForTheCheckTimeout()
    {
        var yaml = RecipeFile.Load("kubernetes.md").Block("deployment.yaml").Text;
        var startup = KubernetesProbe.Parse(yaml, "startupProbe");
        var liveness = KubernetesProbe.Parse(yaml, "livenessProbe");
        var readiness = KubernetesProbe.Parse(yaml, "readinessProbe");
        var urls = Regex.Match(yaml, @"- name: Urls\s*\n\s*value: ""(?<url>[^""]+)""").Groups["url"].Value;

        Assert.Multiple(() =>
        {
            Assert.That(startup.Path, Is.EqualTo("/healthz/ping"));
            Assert.That(liveness.Path, Is.EqualTo("/healthz/ping"), "liveness must not touch the database");
            Assert.That(readiness.Path, Is.EqualTo("/healthz/status"));
            Assert.That(startup.FailureThreshold * startup.PeriodSeconds, Is.GreaterThanOrEqualTo(60), "room for a slow start");
            Assert.That(TimeSpan.FromSeconds(readiness.TimeoutSeconds), Is.GreaterThan(AppCheckTimeout), "a hung database answers 503 before the probe times out");
            Assert.That(urls, Is.EqualTo($"http://+:{readiness.Port}/"), "the app listens on the probed port, for any Host");
            Assert.That(new[] { startup.Port, liveness.Port }, Is.All.EqualTo(readiness.Port));
        });
    }

    [Test]
    public async Task DeploymentYaml_DatabaseStoppedAndStarted_ReadinessPassesFailsPassesWhileLivenessNeverFails()
    {
        var yaml = RecipeFile.Load("kubernetes.md").Block("deployment.yaml").Text;
        var startupProbe = KubernetesProbe.Parse(yaml, "startupProbe");
        var livenessProbe = KubernetesProbe.Parse(yaml, "livenessProbe");
        var readinessProbe = KubernetesProbe.Parse(yaml, "readinessProbe");
        await using var stack = await RecipeStack.StartAsync();
        using var client = RecipeStack.CreateClient();

        // Container port 8080 is the app's free loopback port here (the pod IP would be probed in a cluster).
        Task<bool> SendAsync(KubernetesProbe probe) => probe.ProbeAsync(client, "127.0.0.1", stack.App.Port);

        Assert.That(await SendAsync(startupProbe), Is.True, "startup probe passes on its first attempt");
        var liveness = new ProbeResult(livenessProbe, initiallyPassed: true);
        var readiness = new ProbeResult(readinessProbe, initiallyPassed: false);
        async Task<string> ObserveAsync()
        {
            liveness.Record(await SendAsync(livenessProbe));
            readiness.Record(await SendAsync(readinessProbe));
            return $"live={liveness.Passed} ready={readiness.Passed}";
        }

        await HealthTransitions.RunAsync(stack, "kubelet probes", ObserveAsync, healthy: "live=True ready=True", unhealthy: "live=True ready=False");

        Assert.That(liveness.TimesFailed, Is.Zero, "no restart while the database was down");
        Assert.That(readiness.TimesFailed, Is.EqualTo(1));
        Assert.That(await SendAsync(startupProbe), Is.True);
    }
}
