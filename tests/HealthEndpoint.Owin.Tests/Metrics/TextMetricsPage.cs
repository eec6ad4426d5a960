using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.Tests.Metrics;

/// <summary>A metrics page that writes fixed text (or throws), and counts how often it was rendered.</summary>
internal sealed class TextMetricsPage : MetricsPage
{
    public const string Text = "# TYPE up gauge\nup 1\n";

    private readonly Exception? _failure;
    private int _renders;

    public TextMetricsPage(Exception? failure = null) => _failure = failure;

    public int Renders => Volatile.Read(ref _renders);

    public override string ContentType => "text/plain; version=0.0.4; charset=utf-8";

    public override async Task WriteAsync(Stream body, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _renders);
        await Task.Yield();
        if (_failure is not null)
        {
            throw _failure;
        }

        var bytes = Encoding.UTF8.GetBytes(Text);
        await body.WriteAsync(bytes.AsMemory(), cancellationToken);
    }
}
