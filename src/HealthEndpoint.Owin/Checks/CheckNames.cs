namespace HealthEndpoint.Owin;

/// <summary>
/// The check names this library gives meaning to, in one place: the middleware's built-in slots, the renderers,
/// the responder's pseudo-checks and <see cref="OptionsValidator"/> all read them here.
/// </summary>
internal static class CheckNames
{
    /// <summary>The built-in ADO.NET check (<see cref="HealthEndpointOptions.Database"/>); reserved, a datastore.</summary>
    public const string Database = "database";

    /// <summary>The built-in Redis check (<see cref="HealthEndpointOptions.Redis"/>); reserved, a datastore.</summary>
    public const string Redis = "redis";

    /// <summary>The pseudo-check reported as <c>fail</c> while the host drains; reserved.</summary>
    public const string Shutdown = "shutdown";

    /// <summary>The pseudo-check of the liveness path. Not reserved: livez never lists registered checks.</summary>
    public const string Ping = "ping";

    /// <summary>The pseudo-check of the startup path. Not reserved: startupz never lists registered checks.</summary>
    public const string Started = "started";

    /// <summary>True for the built-in dependencies, which health+json reports as <c>componentType</c> datastore.</summary>
    public static bool IsDatastore(string name) => name is Database or Redis;
}
