using System;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;

namespace Recipes.Tests;

/// <summary>
/// docs/recipes/rolling-restart.md: three LegacyApp instances behind HAProxy, each restarted in turn while 32
/// clients request the app's page through HAProxy, on both hosts. Without a drain window (the control) requests
/// are lost; with the recipe's drain window none is. The control restarts one instance only: each restart without a
/// drain loses about 30 requests (measured: 90-105 over three), and the test stays within the Test target's budget.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class RollingRestartTests
{
    private const int Clients = 32;

    // Stands for the upgrade between stop and start. It is longer than HAProxy's retries of a refused connection
    // (retries 3, one second apart), so without a drain the instance is away longer than they last — as it is
    // for any upgrade slower than a plain restart — and the control does not depend on how fast the app starts.
    private static readonly TimeSpan Upgrade = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan WarmUpTimeout = TimeSpan.FromSeconds(20);

    [TestCase("HttpListener")]
    [TestCase("Kestrel")]
    public async Task HaproxyCfg_EachInstanceRestartedInTurn_SomeLostWithoutDrainNoneLostWithDrain(string server)
    {
        var drainDelay = RollingRestartStack.RecipeDrainDelay();
        // The first instance starts without a drain window, the others with the recipe's.
        await using var stack = await RollingRestartStack.StartAsync(server, drainDelay, undrained: 1);

        // The control: the first instance restarted without the drain; it comes back with the recipe's drain window.
        var withoutDrain = await RestartAsync(stack, 1, drainDelay);
        TestContext.Progress.WriteLine($"{server}, no drain, one instance: {withoutDrain}");

        // The recipe: the first instance again, then the others, each draining for the recipe's window.
        var withDrain = await RestartAsync(stack, RollingRestartStack.InstanceCount, drainDelay);
        TestContext.Progress.WriteLine($"{server}, {drainDelay} drain, one round: {withDrain}");

        Assert.That(withoutDrain.Lost, Is.GreaterThan(0), $"the control, without a drain window: {withoutDrain}{Environment.NewLine}{stack.Output}");
        Assert.That(withDrain.Lost, Is.Zero, $"with the drain window: {withDrain}{Environment.NewLine}{stack.Output}");
    }

    // Starts the clients, checks that every request so far was answered, restarts the first `instances` instances in
    // turn, stops the clients.
    private static async Task<LoadResult> RestartAsync(RollingRestartStack stack, int instances, string drainDelayAfterRestart)
    {
        await using var load = RequestLoad.Start(stack.FrontendUri, Clients);
        await Poll.UntilAsync(() => Task.FromResult(load.Total >= 1000 || load.Lost > 0), WarmUpTimeout, "1,000 requests through HAProxy");
        Assert.That(load.Lost, Is.Zero, $"before any restart{Environment.NewLine}{stack.Output}");
        for (var i = 0; i < instances; i++)
        {
            TestContext.Progress.WriteLine(await stack.RestartAsync(i, Upgrade, drainDelayAfterRestart));
        }

        return await load.StopAsync();
    }
}
