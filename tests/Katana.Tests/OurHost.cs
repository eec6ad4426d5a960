using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Host.HttpListener;
using HealthEndpoint.Owin.Host.Kestrel;
using HealthEndpoint.Owin.Testing;

namespace HealthEndpoint.Owin.Katana.Tests;

using AppFunc = Func<IDictionary<string, object>, Task>;

/// <summary>Our two OWIN hosts, from the packed packages; every Katana test runs on both.</summary>
public enum OurHost
{
    /// <summary><c>HttpListenerOwinServer</c> (HealthEndpoint.Owin.Host.HttpListener).</summary>
    HttpListener,

    /// <summary><c>KestrelOwinServer</c> (HealthEndpoint.Owin.Host.Kestrel).</summary>
    Kestrel,
}

/// <summary>One of our hosts serving an app on a free loopback port, and an HTTP client addressed to it.</summary>
internal sealed class RunningHost : IAsyncDisposable
{
    private const int StartAttempts = 5;

    private readonly Func<ValueTask> _dispose;

    private RunningHost(Uri baseAddress, Func<ValueTask> dispose)
    {
        BaseAddress = baseAddress;
        _dispose = dispose;
        Client = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = baseAddress };
    }

    /// <summary><c>http://127.0.0.1:{port}{pathBase}</c>, the host's one prefix.</summary>
    public Uri BaseAddress { get; }

    /// <summary>A client that sends no cookie unless a request names one.</summary>
    public HttpClient Client { get; }

    /// <summary>
    /// Serves <paramref name="app"/> on <c>http://127.0.0.1:{free port}{pathBase}</c>; a new port when the one picked was
    /// taken in the meantime.
    /// </summary>
    public static async Task<RunningHost> StartAsync(OurHost host, AppFunc app, string pathBase = "/")
    {
        for (var attempt = 1; ; attempt++)
        {
            var prefix = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{FreeTcpPort.Next()}{pathBase}");
            try
            {
                return host == OurHost.Kestrel ? await StartKestrelAsync(app, prefix) : await StartHttpListenerAsync(app, prefix);
            }
            catch (Exception exception) when (exception is HttpListenerException or IOException && attempt < StartAttempts)
            {
                // Another process took the port between FreeTcpPort.Next() and the bind: try a new one.
            }
        }
    }

    /// <summary>Sends one GET with the given "Name: value" headers; returns its status, body and Set-Cookie headers.</summary>
    public async Task<Answer> GetAsync(string target, params string[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(BaseAddress, target));
        foreach (var header in headers)
        {
            var colon = header.IndexOf(':', StringComparison.Ordinal);
            request.Headers.Add(header[..colon], header[(colon + 1)..].Trim());
        }

        using var response = await Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var setCookies = response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [];
        return new Answer((int)response.StatusCode, body, [.. setCookies]);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _dispose();
    }

    private static Task<RunningHost> StartHttpListenerAsync(AppFunc app, string prefix)
    {
        var options = new HttpListenerOwinServerOptions { DrainDelay = TimeSpan.Zero };
        options.Prefixes.Add(prefix);
        var server = new HttpListenerOwinServer(app, options);
        return StartServerAsync(prefix, () => server.StartAsync(), server.DisposeAsync);
    }

    private static Task<RunningHost> StartKestrelAsync(AppFunc app, string prefix)
    {
        var options = new KestrelOwinServerOptions { DrainDelay = TimeSpan.Zero };
        options.Prefixes.Add(prefix);
        var server = new KestrelOwinServer(app, options);
        return StartServerAsync(prefix, () => server.StartAsync(), server.DisposeAsync);
    }

    // A server that fails to start is disposed before the failure goes on (a port taken meanwhile is tried again).
    private static async Task<RunningHost> StartServerAsync(string prefix, Func<Task> start, Func<ValueTask> dispose)
    {
        try
        {
            await start();
        }
        catch
        {
            await dispose();
            throw;
        }

        return new RunningHost(new Uri(prefix), dispose);
    }
}

/// <summary>A response as it came over the wire.</summary>
internal sealed record Answer(int Status, string Body, IReadOnlyList<string> SetCookies)
{
    public override string ToString() =>
        $"{Status} {Body}" + (SetCookies.Count == 0 ? string.Empty : " Set-Cookie: " + string.Join(" | ", SetCookies));
}
