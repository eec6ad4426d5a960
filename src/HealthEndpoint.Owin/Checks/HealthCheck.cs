using System.Threading;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin;

/// <summary>
/// One probe of one dependency. The check is <c>ok</c> when the returned task completes, and <c>fail</c> when
/// it throws, faults, is cancelled, or has not completed when the check deadline passes.
/// </summary>
/// <param name="cancellationToken">
/// Cancelled when the deadline (<see cref="HealthEndpointOptions.CheckTimeout"/>) passes. Honouring it is polite,
/// not required: the runner stops waiting at the deadline whether or not the check does.
/// </param>
/// <returns>A task that completes when the dependency has answered.</returns>
public delegate Task HealthCheck(CancellationToken cancellationToken);
