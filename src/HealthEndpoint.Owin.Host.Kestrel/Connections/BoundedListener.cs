using System;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Hosting.Core;
using Microsoft.AspNetCore.Connections;

namespace HealthEndpoint.Owin.Host.Kestrel.Connections;

/// <summary>
/// A listener that takes a slot before each accept and hands it to the connection, which gives it back when Kestrel
/// disposes it (<see cref="SlotConnection"/>). While no slot is free, accepting waits; unbinding ends the wait.
/// </summary>
internal sealed class BoundedListener : IConnectionListener
{
    private readonly IConnectionListener _inner;
    private readonly SemaphoreSlim _slots;
    private readonly CancellationTokenSource _unbound = new();

    public BoundedListener(IConnectionListener inner, SemaphoreSlim slots)
    {
        _inner = inner;
        _slots = slots;
    }

    public EndPoint EndPoint => _inner.EndPoint;

    /// <returns>The next connection, or <see langword="null"/> once the listener is unbound (Kestrel's contract).</returns>
    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        if (!_slots.Wait(0, CancellationToken.None) && !await WaitForSlotAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        ConnectionContext? connection;
        try
        {
            connection = await _inner.AcceptAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _slots.Release();
            throw;
        }

        if (connection is null)
        {
            _slots.Release();
            return null;
        }

        return new SlotConnection(connection, _slots);
    }

    public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        _unbound.Cancel();
        return _inner.UnbindAsync(cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        _unbound.Cancel();
        _unbound.Dispose();
        return _inner.DisposeAsync();
    }

    // False when the listener was unbound while waiting; the caller's own cancellation propagates.
    private async Task<bool> WaitForSlotAsync(CancellationToken cancellationToken)
    {
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _unbound.Token);
        try
        {
            await _slots.WaitAsync(waiting.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (_unbound.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
