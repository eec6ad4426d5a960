using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Hosting.Core;
using Microsoft.AspNetCore.Connections;

namespace HealthEndpoint.Owin.Host.Kestrel.Connections;

/// <summary>
/// Binds Kestrel's transport so that at most a fixed number of accepted connections are open at once, over every
/// address the server listens on: past it the next accept waits, and new connections queue in the kernel's backlog,
/// holding no descriptor of this process.
/// </summary>
/// <remarks>
/// Kestrel's <c>MaxConcurrentConnections</c> is checked on the thread pool after the accept, so under a flood its
/// accept loop runs ahead of its own rejections, and a flood of held connections can take the process to its
/// open-file limit (and out of memory). This bound sits at the accept itself; Kestrel's cap still rejects (and reports) the
/// connections past it, and <see cref="RejectionHeadroom"/> of them may wait for that at once.
/// </remarks>
[SuppressMessage("Reliability", "CA1001:Types that own disposable fields should be disposable", Justification = "A SemaphoreSlim needs disposing only once its wait handle was used, and connections Kestrel disposes after the server must still release their slot.")]
internal sealed class BoundedListenerFactory : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    /// <summary>How many accepted connections past Kestrel's cap may be open while Kestrel rejects them.</summary>
    public const int RejectionHeadroom = 32;

    private readonly IConnectionListenerFactory _inner;
    private readonly SemaphoreSlim _slots;

    /// <summary>Wraps <paramref name="inner"/>; <paramref name="connectionCap"/> is Kestrel's own cap.</summary>
    public BoundedListenerFactory(IConnectionListenerFactory inner, long connectionCap)
    {
        _inner = inner;
        MaxOpen = (int)System.Math.Min(connectionCap + RejectionHeadroom, int.MaxValue);
        _slots = new SemaphoreSlim(MaxOpen, MaxOpen);
    }

    /// <summary>The most accepted connections open at once.</summary>
    public int MaxOpen { get; }

    public async ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default) =>
        new BoundedListener(await _inner.BindAsync(endpoint, cancellationToken).ConfigureAwait(false), _slots);

    public bool CanBind(EndPoint endpoint) => _inner is not IConnectionListenerFactorySelector selector || selector.CanBind(endpoint);
}
