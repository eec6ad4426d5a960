using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Threading.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using HealthEndpoint.Owin;
using HealthEndpoint.Owin.Host.HttpListener;
using HealthEndpoint.Owin.Host.Kestrel;

namespace LegacyApp.Hosting;

/// <summary>The server LegacyApp runs on, chosen by <c>Host:Server</c>: Kestrel (the default) or the embedded HttpListener host.</summary>
internal sealed class AppServer : IAsyncDisposable
{
    private readonly Func<Task> _start;
    private readonly Func<Task> _stop;
    private readonly Func<ValueTask> _dispose;

    private AppServer(string kind, IReadOnlyCollection<string> prefixes, Func<Task> start, Func<Task> stop, Func<ValueTask> dispose)
    {
        Kind = kind;
        Limits = string.Empty;
        Prefixes = prefixes;
        _start = start;
        _stop = stop;
        _dispose = dispose;
    }

    /// <summary><c>HttpListener</c> or <c>Kestrel</c>.</summary>
    public string Kind { get; }

    /// <summary>The limits an operator should know about, as one line; empty when there is nothing to say.</summary>
    public string Limits { get; private init; }

    /// <summary>The prefixes it listens on.</summary>
    public IReadOnlyCollection<string> Prefixes { get; }

    /// <summary>Creates the configured server for <paramref name="application"/>; nothing listens yet.</summary>
    /// <exception cref="HealthEndpointConfigurationException">A <c>Host:</c> key or <c>Urls</c> is invalid for the chosen server.</exception>
    public static AppServer Create(LegacyApplication application, IConfiguration configuration, IReadOnlyList<string> urls, ILogger logger)
    {
        var kind = LegacySettings.Server(configuration);
        var drainDelay = LegacySettings.DrainDelay(configuration);
        if (kind == LegacySettings.HttpListenerServer)
        {
            KestrelSettings.RejectFor(configuration, kind);
            HttpListenerOwinServer server;
            try
            {
                server = new HttpListenerOwinServer(application.App, LegacyApplication.CreateServerOptions(urls, drainDelay, logger));
            }
            catch (ArgumentException exception)
            {
                // What the HttpListener host refuses is a prefix (an IPv6 literal on Linux); the message says what to write.
                throw new HealthEndpointConfigurationException(LegacySettings.UrlsKey, $"{LegacySettings.UrlsKey}: {exception.Message}");
            }

            return new AppServer(kind, server.Prefixes, () => server.StartAsync(), server.StopAsync, server.DisposeAsync);
        }

        var options = new KestrelOwinServerOptions
        {
            Logger = logger,
            DrainDelay = drainDelay,
        };
        KestrelSettings.Apply(configuration, options);
        foreach (var url in urls)
        {
            options.Prefixes.Add(url);
        }

        KestrelOwinServer kestrel;
        try
        {
            kestrel = new KestrelOwinServer(application.App, options);
        }
        catch (ArgumentException exception)
        {
            // Every other option was range-checked above; what is left is a prefix Kestrel cannot bind.
            throw new HealthEndpointConfigurationException(LegacySettings.UrlsKey, $"{LegacySettings.UrlsKey}: {exception.Message}");
        }

        return new AppServer(kind, kestrel.Prefixes, () => kestrel.StartAsync(), kestrel.StopAsync, kestrel.DisposeAsync)
        {
            Limits = kestrel.MaxConcurrentConnections is long cap
                ? $"Kestrel accepts at most {cap} connections (open-file limit {kestrel.OpenFileLimit?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}; {KestrelSettings.MaxConnectionsKey} sets it); header timeout {options.RequestHeadersTimeout.TotalSeconds} s."
                : $"Kestrel: no connection cap (no open-file limit here); header timeout {options.RequestHeadersTimeout.TotalSeconds} s.",
        };
    }

    /// <summary>True for the exceptions a server throws when it cannot bind its address.</summary>
    public static bool IsBindFailure(Exception exception) => exception is HttpListenerException or IOException;

    /// <summary>Starts listening; then the health endpoint is told the host has started.</summary>
    public Task StartAsync() => _start();

    /// <summary>Graceful stop: drain window, then finish in-flight requests and close.</summary>
    public Task StopAsync() => _stop();

    public ValueTask DisposeAsync() => _dispose();
}
