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
        var healthy = IsHealthy(sorted);
        return new StatusReport(healthy, sorted.ToArray(), EncodeBody(sorted, healthy));
    }

    /// <summary>True when no check in <paramref name="outcomes"/> failed.</summary>
    public static bool IsHealthy(IReadOnlyList<KeyValuePair<string, CheckOutcome>> outcomes)
    {
        foreach (var outcome in outcomes)
        {
            if (outcome.Value == CheckOutcome.Fail)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The canonical body for outcomes already sorted by name.</summary>
    public static byte[] EncodeBody(IReadOnlyList<KeyValuePair<string, CheckOutcome>> sorted, bool healthy)
    {
        var json = new StringBuilder(64 + (24 * sorted.Count));
        json.Append("{\"checks\":{");
        for (var i = 0; i < sorted.Count; i++)
        {
            if (i > 0)
            {
                json.Append(',');
            }

            json.Append('"').Append(sorted[i].Key).Append("\":\"").Append(Token(sorted[i].Value)).Append('"');
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
