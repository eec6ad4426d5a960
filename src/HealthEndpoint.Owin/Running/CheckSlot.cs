using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin;

/// <summary>
/// One dependency's check, and the single operation against it that may be outstanding.
/// </summary>
/// <remarks>
/// Drivers do not always honour cancellation (Npgsql against a frozen server; StackExchange.Redis's
/// <c>PingAsync</c> takes no token), so a check that misses its deadline is abandoned, not stopped. While it is still
/// running, every later run waits on that same operation instead of starting another: a flood of probes
/// against a hung database never becomes a flood of connection attempts.
/// </remarks>
internal sealed class CheckSlot
{
    private readonly HealthCheck? _check;
    private readonly DedicatedThreadScheduler _scheduler;
    private readonly object _gate = new();
    private Task? _operation;
    private Task? _abandoned;

    public CheckSlot(string name, HealthCheck? check)
    {
        Name = name;
        _check = check;
        _scheduler = new DedicatedThreadScheduler("HealthEndpoint check: " + name);
    }

    public string Name { get; }

    /// <summary>The slots of <paramref name="options"/>: database and Redis (skipped when not set), then the custom checks in order.</summary>
    public static List<CheckSlot> ForOptions(HealthEndpointOptions options)
    {
        var slots = new List<CheckSlot> { new(CheckNames.Database, options.Database), new(CheckNames.Redis, options.Redis) };
        foreach (var registration in options.Checks)
        {
            slots.Add(new CheckSlot(registration.Name, registration.Check));
        }

        return slots;
    }

    /// <summary>False when nothing is configured for this dependency; it then reports skipped.</summary>
    public bool IsConfigured => _check is not null;

    /// <summary>1 while an operation that missed a run's deadline is still running, else 0 (a metric reads it).</summary>
    public int AbandonedOperations => Volatile.Read(ref _abandoned) is { IsCompleted: false } ? 1 : 0;

    /// <summary>Records that <paramref name="operation"/> missed a run's deadline; it counts until it ends.</summary>
    public void Abandon(Task operation) => Volatile.Write(ref _abandoned, operation);

    /// <summary>Returns the operation still in progress, if any, else starts a new one with this token.</summary>
    public Task JoinOrStart(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_operation is { IsCompleted: false })
            {
                return _operation;
            }

            _operation = Start(cancellationToken);
            return _operation;
        }
    }

    private Task Start(CancellationToken cancellationToken)
    {
        var check = _check ?? throw new InvalidOperationException($"No check is configured for '{Name}'.");

        // Started on the slot's own thread (see DedicatedThreadScheduler); a synchronous throw, or a null task,
        // becomes a faulted task like any other failure.
        var operation = Task.Factory.StartNew(
            () => check(cancellationToken),
            CancellationToken.None,
            TaskCreationOptions.DenyChildAttach,
            _scheduler).Unwrap();

        // An abandoned operation may fault long after anyone waits for it; observe it so that it does not
        // surface as an unobserved task exception. Its details were already logged as a timeout.
        operation.ContinueWith(
            static completed => _ = completed.Exception,
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return operation;
    }
}
