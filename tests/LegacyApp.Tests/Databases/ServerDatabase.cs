using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using HealthEndpoint.Owin.Testing;

namespace LegacyApp.Tests.Databases;

/// <summary>
/// A database server the app reaches through a loopback <see cref="TcpRelay"/>, which counts from outside the app
/// how many connections it opens at once.
/// </summary>
internal abstract class ServerDatabase : FaultMatrixDatabase
{
    // Room for the control's unguarded opens.
    private const int RelayCapacity = 256;

    private readonly IFaultableServer _server;

    protected ServerDatabase(IFaultableServer server)
    {
        _server = server;
        Relay = TcpRelay.Start(server.Port, RelayCapacity);
    }

    protected TcpRelay Relay { get; }

    /// <summary>The provider's factory, for the control's unguarded opens.</summary>
    protected abstract DbProviderFactory Factory { get; }

    /// <summary>The app's connection string without pooling and with a 2 s connect timeout, for the control.</summary>
    protected abstract string UnpooledConnectionString { get; }

    public override IReadOnlyList<string> Secrets =>
        ["127.0.0.1", "localhost", Port(_server.Port), Port(Relay.Port)];

    public override Task BeginAsync(DatabaseFault fault) => fault switch
    {
        DatabaseFault.Stopped => _server.StopAsync(),
        DatabaseFault.Frozen => Run(_server.Freeze),
        _ => throw new ArgumentOutOfRangeException(nameof(fault), fault, $"{Engine} has no such fault."),
    };

    public override Task EndAsync(DatabaseFault fault) => fault switch
    {
        DatabaseFault.Stopped => _server.StartAgainAsync(),
        DatabaseFault.Frozen => Run(_server.Thaw),
        _ => throw new ArgumentOutOfRangeException(nameof(fault), fault, $"{Engine} has no such fault."),
    };

    public override Task RestartAsync() => _server.RestartAsync();

    public override async Task EmptyPoolAsync()
    {
        ClearPools();
        await Poll.UntilAsync(() => Task.FromResult(Relay.Open == 0), TimeSpan.FromSeconds(5), "the pooled connections to close");
    }

    public override void ResetAttemptCounts() => Relay.ResetCounts();

    public override int MaxAttemptsInFlight() => Relay.Counts.MaxOverlapping;

    public override async Task<int> OpenManyAsync(int count, DatabaseFault fault)
    {
        var opens = Enumerable.Range(0, count).Select(async _ =>
        {
            await using var connection = Factory.CreateConnection()!;
            connection.ConnectionString = UnpooledConnectionString;
            await connection.OpenAsync();
        }).ToList();
        var failed = 0;
        foreach (var open in opens)
        {
            try
            {
                await open;
            }
            catch (DbException)
            {
                failed++;
            }
        }

        return failed;
    }

    public override async Task RepairAsync()
    {
        _server.Thaw();
        if (!_server.IsRunning)
        {
            await _server.StartAgainAsync();
        }

        ClearPools();
    }

    public override async ValueTask DisposeAsync()
    {
        _server.Thaw();
        ClearPools();
        await Relay.DisposeAsync();
        await _server.DisposeAsync();
    }

    protected abstract void ClearPools();

    protected static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static Task Run(Action action)
    {
        action();
        return Task.CompletedTask;
    }
}
