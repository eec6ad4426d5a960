using System;
using System.Threading;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Hosting.Core;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Abstractions;
using Microsoft.AspNetCore.Http.Features;

namespace HealthEndpoint.Owin.Host.Kestrel;

/// <summary>Kestrel's application contract over the core: one <see cref="KestrelCall"/> per connection, run by the <see cref="CallRunner"/> for each request.</summary>
/// <remarks>
/// Kestrel keeps a context for each HTTP/1.x connection (<see cref="IHostContextContainer{TContext}"/>), as it does for
/// ASP.NET Core's own: the call's dictionaries, buffers and address texts then serve all the connection's requests,
/// and a request costs only what its app is given.
/// </remarks>
internal sealed class OwinApplication : IHttpApplication<KestrelCall>
{
    private readonly CallRunner _runner;
    private readonly PrefixTable _prefixes;
    private readonly int _bufferSize;
    private readonly object _appDisposing;
    private int _inFlight;

    // appDisposing: the server's host.OnAppDisposing token, boxed once, so the key costs no allocation per request.
    public OwinApplication(CallRunner runner, PrefixTable prefixes, int bufferSize, object appDisposing)
    {
        _runner = runner;
        _prefixes = prefixes;
        _bufferSize = bufferSize;
        _appDisposing = appDisposing;
    }

    /// <summary>Requests between <see cref="CreateContext"/> and <see cref="DisposeContext"/>.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    public KestrelCall CreateContext(IFeatureCollection contextFeatures)
    {
        Interlocked.Increment(ref _inFlight);
        KestrelCall call;
        if (contextFeatures is IHostContextContainer<KestrelCall> container)
        {
            call = container.HostContext ??= new KestrelCall(_prefixes, _bufferSize, _appDisposing);
        }
        else
        {
            call = new KestrelCall(_prefixes, _bufferSize, _appDisposing);
        }

        call.Begin(contextFeatures);
        return call;
    }

    public Task ProcessRequestAsync(KestrelCall context) => _runner.RunAsync(context);

    public void DisposeContext(KestrelCall context, Exception? exception) => Interlocked.Decrement(ref _inFlight);
}
