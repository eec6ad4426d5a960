using System.Collections.Generic;

namespace HealthEndpoint.Owin;

/// <summary>A finished check run: every check's result, sorted ordinally by name, and its compact status document.</summary>
/// <remarks>
/// The status document is encoded once, when the run is made: the runner hands the same run to every status request
/// while it is fresh, so the runner's current run is the one cache of the answer most probes ask for.
/// </remarks>
internal sealed class CheckRun
{
    private CheckRun(bool healthy, CheckResult[] checks)
    {
        Healthy = healthy;
        Checks = checks;
        StatusAnswer = HealthAnswer.Rendered(healthy, HealthAnswer.Json, StatusJson.Encode(checks, healthy));
    }

    /// <summary>True when no check failed.</summary>
    public bool Healthy { get; }

    /// <summary>Every check's result, sorted ordinally by name (the order every rendering shows).</summary>
    public IReadOnlyList<CheckResult> Checks { get; }

    /// <summary>The answer to a status request for the whole run: the compact document (<see cref="StatusJson"/>), 200 or 503.</summary>
    public HealthAnswer StatusAnswer { get; }

    /// <summary>Sorts <paramref name="results"/> by name and records whether the run is healthy.</summary>
    public static CheckRun Create(IEnumerable<CheckResult> results)
    {
        var sorted = new List<CheckResult>(results);
        sorted.Sort(static (left, right) => string.CompareOrdinal(left.Name, right.Name));
        return new CheckRun(IsHealthy(sorted), sorted.ToArray());
    }

    /// <summary>True when no check in <paramref name="results"/> failed.</summary>
    public static bool IsHealthy(IReadOnlyList<CheckResult> results)
    {
        foreach (var result in results)
        {
            if (result.Outcome == CheckOutcome.Fail)
            {
                return false;
            }
        }

        return true;
    }
}
