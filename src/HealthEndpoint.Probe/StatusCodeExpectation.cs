using System;
using System.Collections.Generic;
using System.Globalization;

namespace HealthEndpoint.Probe;

/// <summary>The HTTP status codes that count as healthy: <c>--expect 2xx</c>, <c>200</c>, <c>200,204</c>, <c>2xx,301</c>.</summary>
internal sealed class StatusCodeExpectation
{
    private readonly (int Lowest, int Highest)[] _ranges;
    private readonly string _text;

    private StatusCodeExpectation((int Lowest, int Highest)[] ranges, string text)
    {
        _ranges = ranges;
        _text = text;
    }

    /// <summary>The default: any 2xx status.</summary>
    public static StatusCodeExpectation Success { get; } = new([(200, 299)], "2xx");

    /// <summary>Parses a comma-separated list of status codes (100–599) and classes (<c>1xx</c>–<c>5xx</c>).</summary>
    /// <exception cref="ProbeUsageException">The text is not such a list.</exception>
    public static StatusCodeExpectation Parse(string text)
    {
        var ranges = new List<(int Lowest, int Highest)>();
        var items = new List<string>();
        foreach (var item in text.Split(','))
        {
            var token = item.Trim().ToLowerInvariant();
            if (token.Length == 3 && token[0] is >= '1' and <= '5' && token.EndsWith("xx", StringComparison.Ordinal))
            {
                var hundreds = (token[0] - '0') * 100;
                ranges.Add((hundreds, hundreds + 99));
            }
            else if (token.Length == 3
                && int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var code)
                && code is >= 100 and <= 599)
            {
                ranges.Add((code, code));
            }
            else
            {
                throw new ProbeUsageException(
                    $"invalid --expect {ProbeUsageException.Quote(text)}: use status codes and classes like 2xx or 200,204");
            }

            items.Add(token);
        }

        return new StatusCodeExpectation(ranges.ToArray(), string.Join(",", items));
    }

    /// <summary>Whether <paramref name="statusCode"/> is one of the expected codes.</summary>
    public bool Matches(int statusCode)
    {
        foreach (var (lowest, highest) in _ranges)
        {
            if (statusCode >= lowest && statusCode <= highest)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The normalized list, e.g. <c>2xx</c> or <c>200,204</c>.</summary>
    public override string ToString() => _text;
}
