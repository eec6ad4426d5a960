using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin;

/// <summary>
/// Renders the page served at <see cref="HealthEndpointOptions.MetricsPath"/>, for example Prometheus text from the
/// HealthEndpoint.Owin.Prometheus package.
/// </summary>
/// <remarks>
/// The core only routes to a page: it answers the allowlist, the method check and the headers itself, so an
/// exporter package brings the format and its dependencies, and the core gains none. The page is rendered into a
/// buffer before the first byte is sent, so the response has a <c>Content-Length</c>, and HEAD gets the same
/// headers as GET.
/// </remarks>
public abstract class MetricsPage
{
    /// <summary>The response's <c>Content-Type</c>, for example <c>text/plain; version=0.0.4; charset=utf-8</c>.</summary>
    public abstract string ContentType { get; }

    /// <summary>Writes the current metrics to <paramref name="body"/>.</summary>
    /// <param name="body">Where the page goes; the caller sends it when this task ends.</param>
    /// <param name="cancellationToken">Cancelled when the client goes away.</param>
    /// <returns>A task that ends when the page has been written.</returns>
    public abstract Task WriteAsync(Stream body, CancellationToken cancellationToken);
}
