using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace HealthEndpoint.Owin;

/// <summary>Answers a GET or HEAD on the metrics path with the page the options named.</summary>
/// <remarks>
/// A page that throws is answered 500 with an empty body: the scraper sees a failed scrape, and the exception,
/// which may name internals, goes to the log only.
/// </remarks>
internal sealed class MetricsResponder
{
    private static readonly Action<ILogger, Exception?> PageFailed =
        LoggerMessage.Define(LogLevel.Error, new EventId(20, "MetricsPageFailed"), "The metrics page failed to render; answered 500.");

    private readonly MetricsPage _page;
    private readonly ILogger _logger;

    public MetricsResponder(MetricsPage page, ILogger logger)
    {
        _page = page;
        _logger = logger;
    }

    public async Task<HealthAnswer> AnswerAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var buffer = new MemoryStream();
            await _page.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            return HealthAnswer.Rendered(healthy: true, _page.ContentType, buffer.ToArray());
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            PageFailed(_logger, exception);
            return HealthAnswer.ServerError;
        }
    }
}
