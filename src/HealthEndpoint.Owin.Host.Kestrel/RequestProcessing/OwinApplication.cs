using System;
using System.Threading;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Hosting.Core;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;

namespace HealthEndpoint.Owin.Host.Kestrel;

/// <summary>Kestrel's application contract over the core: one <see cref="KestrelCall"/> per request, run by the <see cref="CallRunner"/>.</summary>
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
        return KestrelCall.Create(contextFeatures, _prefixes, _bufferSize, _appDisposing);
    }

    public Task ProcessRequestAsync(KestrelCall context) => _runner.RunAsync(context);

    public void DisposeContext(KestrelCall context, Exception? exception) => Interlocked.Decrement(ref _inFlight);
}
