using System.Collections.Generic;

namespace HealthEndpoint.Owin;

/// <summary>A finished check run: every check's result, sorted ordinally by name. Rendering is not its business.</summary>
internal sealed class CheckRun
{
    private CheckRun(bool healthy, CheckResult[] checks)
    {
        Healthy = healthy;
        Checks = checks;
    }

    /// <summary>True when no check failed.</summary>
    public bool Healthy { get; }

    /// <summary>Every check's result, sorted ordinally by name (the order every rendering shows).</summary>
    public IReadOnlyList<CheckResult> Checks { get; }

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
