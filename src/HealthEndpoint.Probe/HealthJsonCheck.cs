using System;
using System.Text.Json;

namespace HealthEndpoint.Probe;

/// <summary>
/// Reads one check of an <c>application/health+json</c> body (IETF draft-inadarei-api-health-check): the array of
/// check objects under a <c>checks</c> key, <c>[{"observedUnit":"ms","observedValue":3.214,"status":"pass",…}]</c>.
/// </summary>
/// <remarks>
/// The draft allows several objects per key (one per instance): the state is the worst of them and the latency
/// the longest. An <c>observedValue</c> in a unit that is not a time (<c>MiB</c>, <c>percent</c>) is not a latency
/// and is left out, as is a negative or absurd one; a missing or unknown <c>status</c> makes the body unreadable.
/// </remarks>
internal static class HealthJsonCheck
{
    // A latency above a day is no latency a health check reports; it would only produce odd perfdata.
    private static readonly TimeSpan Longest = TimeSpan.FromDays(1);

    /// <summary>Reads the array; <see langword="null"/> when it is not a list of draft check objects.</summary>
    public static StatusCheck? Read(string name, JsonElement objects)
    {
        string? state = null;
        TimeSpan? latency = null;
        foreach (var check in objects.EnumerateArray())
        {
            if (check.ValueKind != JsonValueKind.Object || State(check) is not { } objectState)
            {
                return null;
            }

            state = Worse(state, objectState);
            if (Latency(check) is { } objectLatency && (latency is null || objectLatency > latency))
            {
                latency = objectLatency;
            }
        }

        return state is null ? null : new StatusCheck(name, state, latency);
    }

    /// <summary>The draft's top-level or per-check status in the compact document's words: pass is ok; fail and warn stay.</summary>
    public static string? StateOf(string? draftStatus) => draftStatus switch
    {
        "pass" => "ok",
        "fail" => "fail",
        "warn" => "warn",
        _ => null,
    };

    private static string? State(JsonElement check) =>
        check.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.String
            ? StateOf(status.GetString())
            : null;

    private static string Worse(string? current, string next) =>
        current == "fail" || next == "fail" ? "fail"
        : current == "warn" || next == "warn" ? "warn"
        : next;

    private static TimeSpan? Latency(JsonElement check)
    {
        if (!check.TryGetProperty("observedValue", out var value) || value.ValueKind != JsonValueKind.Number
            || !check.TryGetProperty("observedUnit", out var unit) || unit.ValueKind != JsonValueKind.String
            || !value.TryGetDouble(out var number) || number < 0 || double.IsInfinity(number))
        {
            return null;
        }

        double? milliseconds = unit.GetString() switch
        {
            "ms" => number,
            "s" => number * 1000,
            "us" or "µs" => number / 1000,
            "ns" => number / 1_000_000,
            _ => null,
        };
        return milliseconds is { } ms && ms <= Longest.TotalMilliseconds
            ? TimeSpan.FromTicks((long)Math.Round(ms * TimeSpan.TicksPerMillisecond, MidpointRounding.AwayFromZero))
            : null;
    }
}
