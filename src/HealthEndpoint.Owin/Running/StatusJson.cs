using System;
using System.Collections.Generic;
using System.Text;

namespace Owin.HealthEndpoint;

/// <summary>Encodes a check run as the canonical status body.</summary>
/// <remarks>
/// Canonical means: keys sorted ordinally, no whitespace, no trailing newline, for example
/// <c>{"checks":{"database":"ok","redis":"skipped"},"status":"ok"}</c>. Only check names (validated to
/// <c>[a-z0-9_.-]+</c>, so nothing needs escaping) and the fixed tokens ever appear in it.
/// </remarks>
internal static class StatusJson
{
    public const string DatabaseCheckName = "database";
    public const string RedisCheckName = "redis";

    public static StatusReport Encode(IReadOnlyList<KeyValuePair<string, CheckOutcome>> outcomes)
    {
        var sorted = new List<KeyValuePair<string, CheckOutcome>>(outcomes);
        sorted.Sort((left, right) => string.CompareOrdinal(left.Key, right.Key));

        var healthy = true;
        var json = new StringBuilder(64 + (24 * sorted.Count));
        json.Append("{\"checks\":{");
        for (var i = 0; i < sorted.Count; i++)
        {
            if (i > 0)
            {
                json.Append(',');
            }

            json.Append('"').Append(sorted[i].Key).Append("\":\"").Append(Token(sorted[i].Value)).Append('"');
            healthy &= sorted[i].Value != CheckOutcome.Fail;
        }

        json.Append("},\"status\":\"").Append(healthy ? "ok" : "fail").Append("\"}");
        return new StatusReport(healthy, Encoding.UTF8.GetBytes(json.ToString()));
    }

    private static string Token(CheckOutcome outcome) => outcome switch
    {
        CheckOutcome.Ok => "ok",
        CheckOutcome.Fail => "fail",
        CheckOutcome.Skipped => "skipped",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Unknown check outcome."),
    };
}
