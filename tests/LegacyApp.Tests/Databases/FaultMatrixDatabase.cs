using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace LegacyApp.Tests.Databases;

/// <summary>
/// One engine the database fault matrix runs LegacyApp on: how the app reaches it (LegacyApp's
/// <c>Database:Provider</c> and connection string), the faults it can have, and how many connection attempts the
/// app has in flight at once while one lasts.
/// </summary>
internal abstract class FaultMatrixDatabase : IAsyncDisposable
{
    /// <summary>The engine's name in test names and in docs/checks.md ("MariaDB").</summary>
    public abstract string Engine { get; }

    /// <summary>LegacyApp's <c>Database:Provider</c> for it.</summary>
    public abstract string Provider { get; }

    /// <summary>What LegacyApp connects with.</summary>
    public abstract string ConnectionString { get; }

    /// <summary>Words no health response may contain: addresses, ports, paths, passwords, driver and server names.</summary>
    public abstract IReadOnlyList<string> Secrets { get; }

    /// <summary>Starts the engine named <paramref name="engine"/>.</summary>
    public static async Task<FaultMatrixDatabase> StartAsync(string engine) => engine switch
    {
        "PostgreSQL" => await PostgresDatabase.StartAsync(),
        "MariaDB" => await MariaDbDatabase.StartAsync(),
        "SQLite" => SqliteDatabase.Create(),
        _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, "No such engine in the fault matrix."),
    };

    /// <summary>Begins <paramref name="fault"/>; returns once it is in place.</summary>
    public abstract Task BeginAsync(DatabaseFault fault);

    /// <summary>Ends <paramref name="fault"/>; returns once the database accepts connections again.</summary>
    public abstract Task EndAsync(DatabaseFault fault);

    /// <summary>Stops and starts a server (pooled connections become stale); returns once it accepts again.</summary>
    public virtual Task RestartAsync() => throw new NotSupportedException($"{Engine} has no server to restart.");

    /// <summary>Closes the provider's pooled connections, so every later check opens a new one.</summary>
    public abstract Task EmptyPoolAsync();

    /// <summary>Starts counting connection attempts afresh.</summary>
    public abstract void ResetAttemptCounts();

    /// <summary>The most connection attempts open at the same time since <see cref="ResetAttemptCounts"/>.</summary>
    public abstract int MaxAttemptsInFlight();

    /// <summary>
    /// The control for <see cref="MaxAttemptsInFlight"/>: opens <paramref name="count"/> connections at once with the
    /// provider alone (no health endpoint in front) while <paramref name="fault"/> lasts; returns how many failed.
    /// </summary>
    public abstract Task<int> OpenManyAsync(int count, DatabaseFault fault);

    /// <summary>Ends any fault a failed test left behind, so the next test starts from a healthy database.</summary>
    public abstract Task RepairAsync();

    public abstract ValueTask DisposeAsync();
}
