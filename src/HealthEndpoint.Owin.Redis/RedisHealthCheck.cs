using System;
using System.Threading;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace HealthEndpoint.Owin.Redis;

/// <summary>
/// The <c>redis</c> check: a <c>PING</c> through one long-lived StackExchange.Redis connection.
/// </summary>
/// <remarks>
/// <para>
/// Give it the app's own <see cref="IConnectionMultiplexer"/> when there is one; it is then never closed
/// here, not even after an error (a multiplexer reconnects by itself). Otherwise give it the full
/// configuration string (endpoints, <c>password</c>, <c>ssl</c>, timeouts): it connects on the first check and
/// keeps that connection until disposed, never one per probe.
/// </para>
/// <para>
/// Compiled against StackExchange.Redis 2.1.30, the lowest strong-named client it needs; any later 2.x or 3.x
/// the app uses binds at run time (README, Checks → redis). <c>PingAsync</c> takes no cancellation token; the
/// client's own <c>asyncTimeout</c> ends it eventually, and the runner's hard deadline bounds the check before that.
/// </para>
/// <para>
/// While the multiplexer is not connected (after a Redis restart it reconnects on its own heartbeat, up to seconds
/// later), the check asks Redis over a short-lived socket instead, when one can speak for the configuration (one
/// endpoint, no TLS; the configured password): ok shows as soon as Redis answers again.
/// </para>
/// </remarks>
public sealed class RedisHealthCheck : IDisposable
{
    private readonly object _gate = new();
    private readonly ConfigurationOptions? _configuration;
    private readonly IConnectionMultiplexer? _sharedConnection;
    private readonly RedisDirectPing? _directPing;
    private Task<ConnectionMultiplexer>? _ownConnection;
    private bool _disposed;

    /// <summary>Creates the check over the app's own connection, which it never disposes.</summary>
    /// <param name="connection">The app's multiplexer.</param>
    public RedisHealthCheck(IConnectionMultiplexer connection)
    {
        _sharedConnection = connection ?? throw new ArgumentNullException(nameof(connection));
        _directPing = DirectPingFor(connection.Configuration);
    }

    /// <summary>Creates the check with a connection of its own, opened on the first check.</summary>
    /// <param name="configuration">A StackExchange.Redis configuration string, for example <c>127.0.0.1:6379,password=...</c>.</param>
    /// <exception cref="ArgumentException">The string is not a valid configuration; the message does not repeat it.</exception>
    public RedisHealthCheck(string configuration)
    {
        if (string.IsNullOrWhiteSpace(configuration))
        {
            throw new ArgumentException("A Redis configuration string is required.", nameof(configuration));
        }

        try
        {
            _configuration = ConfigurationOptions.Parse(configuration);
        }
        catch (ArgumentException)
        {
            // The string may hold a password: never echo it, or the parser's view of it.
            throw new ArgumentException("The Redis configuration string is not valid for StackExchange.Redis.", nameof(configuration));
        }

        if (_configuration.EndPoints.Count == 0)
        {
            throw new ArgumentException("The Redis configuration string names no server.", nameof(configuration));
        }

        // Keep the multiplexer even when Redis is down at the first check: it reconnects in the background,
        // and the next check reports ok as soon as Redis is back.
        _configuration.AbortOnConnectFail = false;
        _directPing = RedisDirectPing.For(_configuration);
    }

    /// <summary>Completes when Redis has answered PING; throws when it has not.</summary>
    /// <param name="cancellationToken">Cancelled at the check deadline; PingAsync cannot observe it.</param>
    /// <returns>The round trip.</returns>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        var connection = _sharedConnection ?? await GetOwnConnectionAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        if (!connection.IsConnected && _directPing is not null)
        {
            // Reconnecting (after a Redis restart it waits for its heartbeat): ask Redis itself, so that ok shows
            // as soon as Redis answers rather than when the multiplexer next tries.
            await _directPing.PingAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        // No Task.Yield() needed after this await: 2.x/3.x do not resume it on their socket reader
        // (RedisClientBehaviourTests.PingAsync_ContinuationBlocks_OtherRepliesStillArrive shows it).
        await connection.GetDatabase().PingAsync().ConfigureAwait(false);
    }

    /// <summary>Closes the connection this check opened itself; a shared one is left alone.</summary>
    public void Dispose()
    {
        Task<ConnectionMultiplexer>? own;
        lock (_gate)
        {
            _disposed = true;
            own = _ownConnection;
            _ownConnection = null;
        }

        if (own is { Status: TaskStatus.RanToCompletion })
        {
            own.Result.Dispose();
        }
        else
        {
            own?.ContinueWith(
                static connecting => connecting.Result.Dispose(),
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    // The app's multiplexer tells its configuration as a string; one that does not parse gets no direct ping.
    private static RedisDirectPing? DirectPingFor(string configuration)
    {
        try
        {
            return RedisDirectPing.For(ConfigurationOptions.Parse(configuration));
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private Task<ConnectionMultiplexer> GetOwnConnectionAsync()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                throw new ObjectDisposedException(nameof(RedisHealthCheck));
            }

            // A failed connect is forgotten so that the next check tries again.
            if (_ownConnection is null || _ownConnection.IsFaulted || _ownConnection.IsCanceled)
            {
                _ownConnection = ConnectionMultiplexer.ConnectAsync(_configuration!.Clone());
            }

            return _ownConnection;
        }
    }
}
