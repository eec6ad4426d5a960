using System;
using System.Diagnostics;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;

namespace Recipes.Tests;

/// <summary>
/// Drives a recipe through healthy → unhealthy → healthy by stopping and starting PostgreSQL, waiting each time
/// (by polling, with a deadline) until the program's own view shows the expected state, and logging how long it took.
/// </summary>
internal static class HealthTransitions
{
    private static readonly TimeSpan StateTimeout = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Waits for <paramref name="healthy"/>, stops PostgreSQL, waits for <paramref name="unhealthy"/>, starts it
    /// again and waits for <paramref name="healthy"/>; <paramref name="observe"/> reads the program's state.
    /// </summary>
    public static async Task RunAsync(RecipeStack stack, string program, Func<Task<string>> observe, string healthy, string unhealthy)
    {
        await ExpectAsync(program, observe, healthy, "at start");
        await stack.Database.StopAsync();
        await ExpectAsync(program, observe, unhealthy, "after PostgreSQL stopped");
        await stack.Database.StartAgainAsync();
        await ExpectAsync(program, observe, healthy, "after PostgreSQL started again");
    }

    /// <summary>Polls <paramref name="observe"/> until it returns <paramref name="expected"/>; the timeout names the last value seen.</summary>
    public static async Task ExpectAsync(string program, Func<Task<string>> observe, string expected, string when)
    {
        var clock = Stopwatch.StartNew();
        var last = "(nothing yet)";
        try
        {
            await Poll.UntilAsync(
                async () =>
                {
                    last = await observe();
                    return last == expected;
                },
                StateTimeout,
                $"{program} to show '{expected}' {when}");
        }
        catch (TimeoutException exception)
        {
            throw new AssertionException($"{exception.Message} Last observed: '{last}'.", exception);
        }

        TestContext.Progress.WriteLine($"{program}: '{expected}' {when}, observed after {clock.Elapsed.TotalSeconds:0.00} s");
    }
}
