using System;
using System.Collections.Generic;
using System.Text.Json;

namespace HealthEndpoint.Probe;

/// <summary>
/// A HealthEndpoint status body, read strictly: the compact document
/// <c>{"checks":{"database":"ok","redis":"skipped"},"status":"ok"}</c> (<c>status</c> <c>ok</c> or <c>fail</c>;
/// <c>checks</c>, optional, maps names to <c>ok</c>, <c>fail</c> or <c>skipped</c>), or health+json, where
/// <c>status</c> is <c>pass</c>, <c>warn</c> or <c>fail</c> and each check is an array of draft check objects that
/// may carry its latency (<see cref="HealthJsonCheck"/>).
/// </summary>
/// <remarks>
/// The shape decides, not the Content-Type: a server may label either body either way, and each is unambiguous.
/// </remarks>
internal sealed class StatusDocument
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 8 };

    private StatusDocument(string status, IReadOnlyList<StatusCheck> checks)
    {
        Status = status;
        Checks = checks;
    }

    /// <summary><c>ok</c> or <c>fail</c>; <c>warn</c> only from health+json.</summary>
    public string Status { get; }

    /// <summary>The checks in document order (the middleware sorts them ordinally).</summary>
    public IReadOnlyList<StatusCheck> Checks { get; }

    /// <summary>Reads <paramref name="body"/>; on failure <paramref name="error"/> says what is wrong, in words.</summary>
    public static bool TryParse(string body, out StatusDocument? document, out string error)
    {
        document = null;
        try
        {
            using var json = JsonDocument.Parse(body, Options);
            error = Read(json.RootElement, out document);
            return document is not null;
        }
        catch (JsonException)
        {
            error = "not valid JSON";
            return false;
        }
    }

    private static string Read(JsonElement root, out StatusDocument? document)
    {
        document = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return "not a JSON object";
        }

        if (!root.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.String)
        {
            return "no \"status\" string";
        }

        var statusText = status.GetString() is "ok" ? "ok" : HealthJsonCheck.StateOf(status.GetString());
        if (statusText is null)
        {
            return "\"status\" is neither ok nor fail";
        }

        var checks = new List<StatusCheck>();
        if (root.TryGetProperty("checks", out var checkObject))
        {
            if (checkObject.ValueKind != JsonValueKind.Object)
            {
                return "\"checks\" is not an object";
            }

            foreach (var check in checkObject.EnumerateObject())
            {
                if (check.Value.ValueKind == JsonValueKind.Array)
                {
                    if (!IsPrintable(check.Name) || HealthJsonCheck.Read(check.Name, check.Value) is not { } drafted)
                    {
                        return "a health+json check with a bad name or without a pass, warn or fail status";
                    }

                    checks.Add(drafted);
                    continue;
                }

                var state = check.Value.ValueKind == JsonValueKind.String ? check.Value.GetString() : null;
                if (state is not ("ok" or "fail" or "skipped") || !IsPrintable(check.Name))
                {
                    return "a check name or state other than ok, fail or skipped";
                }

                checks.Add(new StatusCheck(check.Name, state, Latency: null));
            }
        }

        document = new StatusDocument(statusText, checks);
        return string.Empty;
    }

    // Names go into a one-line output and into perfdata labels.
    private static bool IsPrintable(string name)
    {
        if (name.Length is 0 or > 64)
        {
            return false;
        }

        foreach (var character in name)
        {
            if (char.IsControl(character) || character == '|')
            {
                return false;
            }
        }

        return true;
    }
}
