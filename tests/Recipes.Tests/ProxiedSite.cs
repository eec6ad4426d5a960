using System.Net.Http;
using System.Threading.Tasks;

namespace Recipes.Tests;

/// <summary>Requests through a reverse proxy under a public host name, as a browser or probe would send them.</summary>
internal sealed class ProxiedSite(HttpClient client, string proxyAddress, string hostName)
{
    /// <summary>GETs <paramref name="path"/> and returns "status body", e.g. <c>200 pong</c>.</summary>
    public async Task<string> GetAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, proxyAddress + path);
        request.Headers.Host = hostName;
        using var response = await client.SendAsync(request);
        return $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
    }
}
