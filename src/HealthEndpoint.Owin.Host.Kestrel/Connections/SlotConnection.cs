using System.Collections.Generic;
using System.IO.Pipelines;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Hosting.Core;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace HealthEndpoint.Owin.Host.Kestrel.Connections;

/// <summary>
/// An accepted connection, unchanged, that gives its <see cref="BoundedListener"/> slot back once Kestrel has
/// disposed it: the transport's socket is closed by then, so a slot stands for a descriptor. Kestrel disposes every
/// connection it accepted when its processing ends, rejected ones included (and those twice).
/// </summary>
internal sealed class SlotConnection : ConnectionContext
{
    private readonly ConnectionContext _inner;
    private readonly SemaphoreSlim _slots;
    private int _released;

    public SlotConnection(ConnectionContext inner, SemaphoreSlim slots)
    {
        _inner = inner;
        _slots = slots;
    }

    public override string ConnectionId { get => _inner.ConnectionId; set => _inner.ConnectionId = value; }

    public override IFeatureCollection Features => _inner.Features;

    public override IDictionary<object, object?> Items { get => _inner.Items; set => _inner.Items = value; }

    public override IDuplexPipe Transport { get => _inner.Transport; set => _inner.Transport = value; }

    public override CancellationToken ConnectionClosed { get => _inner.ConnectionClosed; set => _inner.ConnectionClosed = value; }

    public override EndPoint? LocalEndPoint { get => _inner.LocalEndPoint; set => _inner.LocalEndPoint = value; }

    public override EndPoint? RemoteEndPoint { get => _inner.RemoteEndPoint; set => _inner.RemoteEndPoint = value; }

    public override void Abort() => _inner.Abort();

    public override void Abort(ConnectionAbortedException abortReason) => _inner.Abort(abortReason);

    public override async ValueTask DisposeAsync()
    {
        try
        {
            await _inner.DisposeAsync().ConfigureAwait(false);
            await base.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                _slots.Release();
            }
        }
    }
}
