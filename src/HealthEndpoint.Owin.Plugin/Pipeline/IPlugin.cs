namespace HealthEndpoint.Owin.Plugin;

/// <summary>
/// A startup plugin: what a <see cref="PluginCatalog"/> factory creates for a name in the <c>Plugins</c> setting.
/// </summary>
/// <remarks>
/// Implement <see cref="IWrapPlugin"/> to wrap the app, and <see cref="System.IDisposable"/> to release what the
/// plugin holds when the host stops. A plugin with neither is created (its constructor may register things) and
/// skipped when the pipeline is built.
/// </remarks>
#pragma warning disable CA1040 // Empty on purpose: it types the catalog's factories; the contracts are the interfaces above.
public interface IPlugin
{
}
#pragma warning restore CA1040
