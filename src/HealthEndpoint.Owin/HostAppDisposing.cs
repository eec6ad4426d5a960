using System.Collections.Generic;
using System.Threading;

namespace HealthEndpoint.Owin;

/// <summary>The <see cref="OwinKeys.HostOnAppDisposing"/> token of a host's startup properties, if they hold one.</summary>
internal readonly struct HostAppDisposing
{
    private HostAppDisposing(CancellationToken token)
    {
        Token = token;
        IsPresent = true;
    }

    public CancellationToken Token { get; }

    public bool IsPresent { get; }

    /// <summary>Reads the token; when there is one, <paramref name="lifecycle"/> begins draining the moment it is cancelled.</summary>
    public static HostAppDisposing Read(IDictionary<string, object>? hostProperties, HealthEndpointLifecycle lifecycle)
    {
        if (hostProperties is null || !hostProperties.TryGetValue(OwinKeys.HostOnAppDisposing, out var value) || value is not CancellationToken token)
        {
            return default;
        }

        // Draining shows at once, not only on the next health request; the registration lives as long as the host.
        token.Register(static state => ((HealthEndpointLifecycle)state!).BeginDraining(), lifecycle);
        return new HostAppDisposing(token);
    }
}
