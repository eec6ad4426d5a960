using System.Collections.Generic;
using System.Threading;

namespace HealthEndpoint.Owin;

/// <summary>
/// What the host says about itself through <c>host.OnAppDisposing</c>, turned into the lifecycle's two facts:
/// a request it delivered means it has started, and the token's cancellation means its graceful stop has begun.
/// </summary>
/// <remarks>
/// The key can sit in each request (Katana's hosting engine, System.Web, this project's hosts) or only in the startup
/// properties the app hands the middleware (Katana's <c>app.Properties</c>). A host with neither reports through
/// <see cref="HealthEndpointLifecycle"/>'s own methods.
/// </remarks>
internal sealed class HostSignal
{
    private readonly HealthEndpointLifecycle _lifecycle;
    private readonly CancellationToken? _startupToken;

    public HostSignal(IDictionary<string, object>? hostProperties, HealthEndpointLifecycle lifecycle)
    {
        _lifecycle = lifecycle;
        if (hostProperties is not null
            && hostProperties.TryGetValue(OwinKeys.HostOnAppDisposing, out var value)
            && value is CancellationToken token)
        {
            // Draining shows at once, not only on the next health request; the registration lives as long as the host.
            token.Register(static state => ((HealthEndpointLifecycle)state!).BeginDraining(), lifecycle);
            _startupToken = token;
        }
    }

    public HealthEndpointLifecycle Lifecycle => _lifecycle;

    /// <summary>Reads what a health request says about the host: called once by each answer that depends on it.</summary>
    public void Observe(IDictionary<string, object> environment)
    {
        if (environment.TryGetValue(OwinKeys.HostOnAppDisposing, out var value) && value is CancellationToken requestToken)
        {
            Observe(requestToken);
        }
        else if (_startupToken is CancellationToken startupToken)
        {
            Observe(startupToken);
        }
    }

    private void Observe(CancellationToken appDisposing)
    {
        // A host delivered this request, so it has started; a token already cancelled means its stop has begun.
        if (appDisposing.IsCancellationRequested)
        {
            _lifecycle.BeginDraining();
        }
        else
        {
            _lifecycle.MarkStarted();
        }
    }
}
