using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Recipes.Tests;

/// <summary>
/// Clients requesting one URL in a loop, each waiting for its answer before the next request, counting every
/// request that is lost: any status but 200, a failed connection, a reset, a timeout.
/// </summary>
internal sealed class RequestLoad : IAsyncDisposable
{
    private readonly HttpClient _client;
    private readonly Uri _url;
    private readonly ConcurrentDictionary<string, long> _failures = new(StringComparer.Ordinal);
    private volatile bool _stopping;
    private long _total;
    private long _lost;
    private Task _clients = Task.CompletedTask;

    private RequestLoad(Uri url)
    {
        _url = url;
        // No cookies, like the anonymous users whose sessions the app creates; connections kept alive to HAProxy.
        _client = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>Requests so far.</summary>
    public long Total => Interlocked.Read(ref _total);

    /// <summary>Lost requests so far.</summary>
    public long Lost => Interlocked.Read(ref _lost);

    /// <summary>Starts <paramref name="clients"/> loops requesting <paramref name="url"/>.</summary>
    public static RequestLoad Start(Uri url, int clients)
    {
        var load = new RequestLoad(url);
        load._clients = Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(load.RunClientAsync)));
        return load;
    }

    /// <summary>Lets every client finish its current request, stops them and returns the counts.</summary>
    public async Task<LoadResult> StopAsync()
    {
        _stopping = true;
        await _clients;
        return new LoadResult(Total, Lost, string.Join(", ", _failures.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key} ×{pair.Value}")));
    }

    public async ValueTask DisposeAsync()
    {
        _stopping = true;
        await _clients;
        _client.Dispose();
    }

    private async Task RunClientAsync()
    {
        while (!_stopping)
        {
            var failure = await RequestOnceAsync();
            Interlocked.Increment(ref _total);
            if (failure is not null)
            {
                Interlocked.Increment(ref _lost);
                _failures.AddOrUpdate(failure, 1, (_, count) => count + 1);
            }
        }
    }

    // Null when the app answered 200; otherwise what the client saw instead.
    private async Task<string?> RequestOnceAsync()
    {
        try
        {
            using var response = await _client.GetAsync(_url);
            return response.StatusCode == HttpStatusCode.OK ? null : $"status {(int)response.StatusCode}";
        }
        catch (HttpRequestException exception)
        {
            return $"{exception.HttpRequestError}";
        }
        catch (TaskCanceledException)
        {
            return "timeout";
        }
    }
}

/// <summary>How many requests a <see cref="RequestLoad"/> sent and lost, and how they were lost.</summary>
internal sealed record LoadResult(long Total, long Lost, string Failures)
{
    public override string ToString() => $"{Lost:N0} of {Total:N0} requests lost{(Lost > 0 ? $" ({Failures})" : string.Empty)}";
}
