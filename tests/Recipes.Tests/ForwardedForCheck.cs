using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading.Tasks;

namespace Recipes.Tests;

/// <summary>
/// Whether a proxy recipe lets a client choose the address that <c>HealthEndpoint:AllowedNetworks</c> sees.
/// LegacyApp allows 127.0.0.2 and believes <c>X-Forwarded-For</c> only from the proxy's address, 127.0.0.1
/// (<c>TrustedProxies</c>); clients connect to the proxy from 127.0.0.2 (allowed) and 127.0.0.3 (outside, claiming
/// to be 127.0.0.2 in its own <c>X-Forwarded-For</c>).
/// </summary>
internal static class ForwardedForCheck
{
    /// <summary>The address a proxy on loopback connects to the app from.</summary>
    public static readonly IPAddress Proxy = IPAddress.Parse("127.0.0.1");

    /// <summary>The one client address in the allowlist.</summary>
    public static readonly IPAddress AllowedClient = IPAddress.Parse("127.0.0.2");

    /// <summary>A client outside the allowlist.</summary>
    public static readonly IPAddress Outsider = IPAddress.Parse("127.0.0.3");

    /// <summary>What every recipe must show for each health path.</summary>
    public const string Safe = "outsider claiming 127.0.0.2: 404, allowed client: 200";

    /// <summary>
    /// LegacyApp's settings. <paramref name="allowProxyItself"/> adds the proxy's own address to the allowlist, which
    /// a proxy with active health checks (HAProxy, Caddy) needs for its own probes; a client behind it is still judged
    /// by the address the proxy puts at the right of <c>X-Forwarded-For</c>.
    /// </summary>
    public static Dictionary<string, string> AppSettings(bool allowProxyItself) => new(StringComparer.Ordinal)
    {
        ["HealthEndpoint__AllowedNetworks"] = allowProxyItself ? $"{AllowedClient}/32;{Proxy}/32" : $"{AllowedClient}/32",
        ["HealthEndpoint__TrustedProxies"] = $"{Proxy}/32",
    };

    /// <summary>
    /// For each of <paramref name="paths"/> under <paramref name="proxyBase"/>: the outsider's status with
    /// <c>X-Forwarded-For: 127.0.0.2</c> and the allowed client's status without it, as "path: outsider …, allowed …".
    /// </summary>
    public static async Task<string> ThroughProxyAsync(Uri proxyBase, string hostName, params string[] paths)
    {
        using var outsider = new LoopbackClient(Outsider);
        using var allowed = new LoopbackClient(AllowedClient);
        var lines = new List<string>();
        foreach (var path in paths)
        {
            var url = new Uri(proxyBase, path);
            var spoofed = await outsider.GetStatusAsync(url, hostName, forwardedFor: AllowedClient.ToString());
            var honest = await allowed.GetStatusAsync(url, hostName);
            lines.Add($"{path}: outsider claiming {AllowedClient}: {spoofed}, allowed client: {honest}");
        }

        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>The answer <see cref="ThroughProxyAsync"/> expects when every path shows <paramref name="result"/>.</summary>
    public static string Expected(string result, params string[] paths) =>
        string.Join(Environment.NewLine, paths.Select(path => $"{path}: {result}"));

    /// <summary>
    /// The control, straight to the app's <paramref name="healthUrl"/>: from the proxy's address, the header decides
    /// (claiming 127.0.0.2 gets 200, claiming 127.0.0.3 gets 404), so a proxy that passed the outsider's header on
    /// unchanged would let it in; from the outsider's own address the header is ignored (404).
    /// </summary>
    public static async Task<string> DirectAsync(Uri healthUrl)
    {
        using var fromProxyAddress = new LoopbackClient(Proxy);
        using var outsider = new LoopbackClient(Outsider);
        var claimsAllowed = await fromProxyAddress.GetStatusAsync(healthUrl, forwardedFor: AllowedClient.ToString());
        var claimsOutsider = await fromProxyAddress.GetStatusAsync(healthUrl, forwardedFor: Outsider.ToString());
        var ignored = await outsider.GetStatusAsync(healthUrl, forwardedFor: AllowedClient.ToString());
        return $"{Proxy} claiming {AllowedClient}: {claimsAllowed}, {Proxy} claiming {Outsider}: {claimsOutsider}, {Outsider} claiming {AllowedClient}: {ignored}";
    }

    /// <summary>What <see cref="DirectAsync"/> shows for an app configured by <see cref="AppSettings"/>.</summary>
    public const string DirectControl = "127.0.0.1 claiming 127.0.0.2: 200, 127.0.0.1 claiming 127.0.0.3: 404, 127.0.0.3 claiming 127.0.0.2: 404";
}
