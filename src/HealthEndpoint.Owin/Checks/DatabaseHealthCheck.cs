using System;
using System.Data.Common;
using System.Threading;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin;

/// <summary>
/// The <c>database</c> check: opens a connection from any ADO.NET provider and runs a command, <c>SELECT 1</c>
/// unless the app names its own, such as <c>SELECT NOT pg_is_in_recovery()</c>.
/// </summary>
/// <remarks>
/// The check fails when the command throws or its first value is null, <see cref="DBNull"/> (or there is no row),
/// <see langword="false"/> or a numeric zero; any other value passes (see <see cref="DatabaseCommandResult"/>).
/// Connections come from the provider's own pool, so a healthy probe costs one round trip. Use
/// <see cref="CheckAsync"/> as <see cref="HealthEndpointOptions.Database"/>.
/// </remarks>
public sealed partial class DatabaseHealthCheck
{
    /// <summary>The command run when none is given.</summary>
    internal const string DefaultCommandText = "SELECT 1";

    private readonly Func<DbConnection> _connectionFactory;
    private readonly string _commandText;

    /// <summary>Creates the check from a factory that returns a new, unopened connection each time.</summary>
    /// <param name="connectionFactory">For example <c>() => new NpgsqlConnection(connectionString)</c>.</param>
    /// <param name="commandText">The command whose first value must be truthy; <see langword="null"/> = <c>SELECT 1</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="commandText"/> is empty or white space.</exception>
    public DatabaseHealthCheck(Func<DbConnection> connectionFactory, string? commandText = null)
    {
        _connectionFactory = connectionFactory ?? throw new ArgumentNullException(nameof(connectionFactory));
        _commandText = CommandTextOrDefault(commandText);
    }

    /// <summary>Completes when the command's first value is truthy; throws when it is not or the command failed.</summary>
    /// <param name="cancellationToken">Cancelled at the check deadline.</param>
    /// <returns>The round trip.</returns>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        object? value;
        try
        {
            value = await RoundTripAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // After a database restart the pool still holds connections to the old server, and the first use
            // of one fails (Npgsql: 57P01, "terminating connection due to administrator command"). The failed connection is discarded, so one immediate retry tells a restart from an outage.
            value = await RoundTripAsync(cancellationToken).ConfigureAwait(false);
        }

        // Outside the retry: a falsy answer (a standby after failover) is the server's answer, not a stale connection.
        DatabaseCommandResult.EnsureTruthy(value);
    }

    /// <summary>Returns the command text, <c>SELECT 1</c> for <see langword="null"/>.</summary>
    /// <exception cref="ArgumentException">The text is empty or white space.</exception>
    private static string CommandTextOrDefault(string? commandText) => commandText switch
    {
        null => DefaultCommandText,
        _ when string.IsNullOrWhiteSpace(commandText) => throw new ArgumentException("The health command must not be empty; pass null for SELECT 1.", nameof(commandText)),
        _ => commandText,
    };

    private async Task<object?> RoundTripAsync(CancellationToken cancellationToken)
    {
        using var connection = _connectionFactory()
            ?? throw new InvalidOperationException("The connection factory returned null.");
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = _commandText;
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }
}
