using System;
using System.Collections.Generic;
using System.Text;

namespace HealthEndpoint.Owin;

/// <summary>Encodes check results as the compact status document: <c>{"checks":{"database":"ok",…},"status":"ok"}</c>, names sorted.</summary>
/// <remarks>
/// Canonical means: keys sorted ordinally, no whitespace, no trailing newline, for example
/// <c>{"checks":{"database":"ok","redis":"skipped"},"status":"ok"}</c>. Only check names (validated to
/// <c>[a-z0-9_.-]+</c>, so nothing needs escaping) and the fixed tokens ever appear in it; timings never do.
/// </remarks>
internal static class StatusJson
{
    /// <summary>The canonical body for results already sorted by name.</summary>
    public static byte[] Encode(IReadOnlyList<CheckResult> sorted, bool healthy)
    {
        var json = new StringBuilder(64 + (24 * sorted.Count));
        json.Append("{\"checks\":{");
        for (var i = 0; i < sorted.Count; i++)
        {
            if (i > 0)
            {
                json.Append(',');
            }

            json.Append('"').Append(sorted[i].Name).Append("\":\"").Append(Token(sorted[i].Outcome)).Append('"');
        }

        json.Append("},\"status\":\"").Append(healthy ? "ok" : "fail").Append("\"}");
        return Encoding.UTF8.GetBytes(json.ToString());
    }

    /// <summary>The fixed token of an outcome: <c>ok</c>, <c>fail</c> or <c>skipped</c>.</summary>
    public static string Token(CheckOutcome outcome) => outcome switch
    {
        CheckOutcome.Ok => "ok",
        CheckOutcome.Fail => "fail",
        CheckOutcome.Skipped => "skipped",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Unknown check outcome."),
    };
}
