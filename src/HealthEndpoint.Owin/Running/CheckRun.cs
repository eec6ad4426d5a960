using System.Collections.Generic;
using System.Globalization;

namespace HealthEndpoint.Owin;

/// <summary>A finished check run: every check's result, sorted ordinally by name, and its compact status document.</summary>
/// <remarks>
/// The document is encoded once, when the run is made: the runner hands the same run to every status request while
/// it is fresh, so the runner's current run is the one cache of the answer most probes ask for.
/// </remarks>
internal sealed class CheckRun
{
    private CheckRun(bool healthy, CheckResult[] checks)
    {
        Healthy = healthy;
        Checks = checks;
        StatusDocument = StatusJson.Encode(checks, healthy);
        StatusDocumentLength = StatusDocument.Length.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>True when no check failed.</summary>
    public bool Healthy { get; }

    /// <summary>Every check's result, sorted ordinally by name (the order every rendering shows).</summary>
    public IReadOnlyList<CheckResult> Checks { get; }

    /// <summary>The compact status document of the whole run (<see cref="StatusJson"/>).</summary>
    public byte[] StatusDocument { get; }

    /// <summary>The document's length, formatted for the Content-Length header.</summary>
    public string StatusDocumentLength { get; }

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
