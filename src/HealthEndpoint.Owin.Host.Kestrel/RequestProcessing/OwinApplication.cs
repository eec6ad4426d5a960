using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Owin.HealthEndpoint.Hosting.Kestrel;

using AppFunc = Func<IDictionary<string, object>, Task>;

/// <summary>Kestrel's application contract over an OWIN <c>AppFunc</c>: one <see cref="KestrelOwinCall"/> per request.</summary>
internal sealed class OwinApplication : IHttpApplication<KestrelOwinCall>
{
    private readonly AppFunc _app;
    private readonly PathBaseResolver _pathBases;
    private readonly int _bufferSize;
    private readonly ILogger _logger;
    private readonly object _appDisposing;
    private int _inFlight;

    // appDisposing: the server's host.OnAppDisposing token, boxed once, so the key costs no allocation per request.
    public OwinApplication(AppFunc app, PathBaseResolver pathBases, int bufferSize, object appDisposing, ILogger logger)
    {
        _app = app;
        _appDisposing = appDisposing;
        _pathBases = pathBases;
        _bufferSize = bufferSize;
        _logger = logger;
    }

    /// <summary>Requests between <see cref="CreateContext"/> and <see cref="DisposeContext"/>.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    public KestrelOwinCall CreateContext(IFeatureCollection contextFeatures)
    {
        Interlocked.Increment(ref _inFlight);
        return new KestrelOwinCall(contextFeatures, _pathBases, _bufferSize, _appDisposing);
    }

    public async Task ProcessRequestAsync(KestrelOwinCall context)
    {
        try
        {
            await _app(context.Environment).ConfigureAwait(false);
            await context.ResponseBody.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // Handled here rather than by Kestrel so that the log entry and the 500 are the HttpListener host's.
            KestrelHostLog.AppFailed(_logger, context.Method, context.Path, context.Started, exception);
            context.Fail();
        }
    }

    public void DisposeContext(KestrelOwinCall context, Exception? exception) => Interlocked.Decrement(ref _inFlight);
}
