using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;

namespace HealthEndpoint.AspNetCore.Tests.Behaviour;

/// <summary>
/// One response as it came over the socket: status, every header but the two the server adds for itself (<c>Date</c>,
/// <c>Server</c>), and the body's bytes. Two adapters that answer alike produce equal values.
/// </summary>
internal sealed record WireResponse(int Status, string Headers, byte[] Body)
{
    private static readonly string[] ServerHeaders = ["Date", "Server"];

    public string BodyText => Encoding.UTF8.GetString(Body);

    public string? Header(string name) =>
        Headers.Split('\n').Where(line => line.StartsWith(name + ": ", StringComparison.OrdinalIgnoreCase)).Select(line => line[(name.Length + 2)..]).SingleOrDefault();

    public IReadOnlyList<string> HeaderNames => Headers.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line[..line.IndexOf(':', StringComparison.Ordinal)]).ToList();

    public static async Task<WireResponse> SendAsync(HttpClient client, string method, string target, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), target);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        var lines = response.Headers.Concat(response.Content.Headers)
            .Where(header => !ServerHeaders.Contains(header.Key, StringComparer.OrdinalIgnoreCase))
            .Select(header => header.Key + ": " + string.Join(", ", header.Value))
            .OrderBy(line => line, StringComparer.OrdinalIgnoreCase);
        var wire = new WireResponse((int)response.StatusCode, string.Join("\n", lines), body);
        TestContext.Out.WriteLine($"{method} {target} -> {wire.Status}\n{wire.Headers}\n{wire.BodyText}\n");
        return wire;
    }
}
