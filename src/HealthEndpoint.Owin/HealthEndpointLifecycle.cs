using System.Threading;

namespace HealthEndpoint.Owin;

/// <summary>
/// The two lifecycle facts a host reports to the health endpoint: it has started, and it is draining.
/// </summary>
/// <remarks>
/// <para>
/// A host that puts <c>host.OnAppDisposing</c> in each request, or in the startup properties handed to the
/// middleware, reports both without any code in the app: the first health request it delivers marks the endpoint
/// started, and the cancellation of its token begins draining. Hosts without that key call <see cref="MarkStarted"/> once they are ready to serve (the startup
/// path turns 200) and <see cref="BeginDraining"/> when a graceful stop begins (the status and readiness paths turn
/// 503, so that load balancers stop sending traffic before the listener closes).
/// </para>
/// <para>Both are one-way; draining implies started. Any thread may call them; readers see the change on their next request.</para>
/// </remarks>
public sealed class HealthEndpointLifecycle
{
    private const int Starting = (int)HostState.Starting;
    private const int Draining = (int)HostState.Draining;

    private int _state;

    // Made by the options and the plugin context; an app reaches it through them.
    internal HealthEndpointLifecycle()
    {
    }

    /// <summary>
    /// Reads what a health request says about its host through <c>host.OnAppDisposing</c> (the request's token, else
    /// the startup properties'): a host delivered it, so it has started; a cancelled token means its stop has begun.
    /// </summary>
    /// <param name="appDisposing">The host's token.</param>
    /// <returns>The state after what the request said: what the answer depends on.</returns>
    internal HostState Observe(CancellationToken appDisposing)
    {
        if (appDisposing.IsCancellationRequested)
        {
            BeginDraining();
        }
        else if (Volatile.Read(ref _state) == Starting)
        {
            MarkStarted();
        }

        return State;
    }

    /// <summary>The state as the host last reported it (a host without <c>host.OnAppDisposing</c> reports through the methods below).</summary>
    internal HostState State => (HostState)Volatile.Read(ref _state);

    /// <summary>Begins draining as soon as <paramref name="appDisposing"/> (the startup properties' token) is cancelled, not only on the next health request.</summary>
    internal void Follow(CancellationToken appDisposing) =>
        appDisposing.Register(static state => ((HealthEndpointLifecycle)state!).BeginDraining(), this);

    /// <summary>Reports that the host serves requests; the startup path answers 200 from now on.</summary>
    public void MarkStarted() => Interlocked.CompareExchange(ref _state, (int)HostState.Started, Starting);

    /// <summary>Reports that a graceful stop has begun; status and readiness answer 503 from now on.</summary>
    public void BeginDraining() => Interlocked.Exchange(ref _state, Draining);
}

/// <summary>Where the host is in its life, as the health answers see it.</summary>
internal enum HostState
{
    Starting,
    Started,
    Draining,
}
