using System.Collections.Generic;
using System.Globalization;

namespace Owin.HealthEndpoint;

/// <summary>
/// A finished check run, encoded once: every status response that reuses it writes these bytes as they are.
/// </summary>
internal sealed class StatusReport
{
    public StatusReport(bool healthy, KeyValuePair<string, CheckOutcome>[] checks, byte[] body)
    {
        Healthy = healthy;
        Checks = checks;
        Body = body;
        ContentLength = body.Length.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>True when every executed check reported ok.</summary>
    public bool Healthy { get; }

    /// <summary>Every check's outcome, sorted ordinally by name.</summary>
    public IReadOnlyList<KeyValuePair<string, CheckOutcome>> Checks { get; }

    /// <summary>200 when healthy, else 503.</summary>
    public int StatusCode => Healthy ? 200 : 503;

    /// <summary>The canonical JSON body.</summary>
    public byte[] Body { get; }

    /// <summary>The body length, formatted for the Content-Length header.</summary>
    public string ContentLength { get; }
}
