using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace HealthEndpoint.Owin.LoadBench;

/// <summary>One answered (or failed) request: when it was sent and answered, in Stopwatch ticks, and its status (0: no answer).</summary>
internal readonly record struct Answer(long Sent, long Answered, int Status)
{
    public TimeSpan Latency => Stopwatch.GetElapsedTime(Sent, Answered);
}

/// <summary>The HTTP clients of the peer pairs: a sequential prober, a flood of concurrent clients, a cold-start flood.</summary>
/// <remarks>Cookieless, keep-alive, loopback only; every loop is bounded by a window or a deadline.</remarks>
internal static class StatusClients
{
    /// <summary>A client with room for <paramref name="connections"/> connections and the given per-request timeout.</summary>
    public static HttpClient Create(int connections, TimeSpan timeout) => new(new SocketsHttpHandler
    {
        UseCookies = false,
        AllowAutoRedirect = false,
        MaxConnectionsPerServer = connections,
    })
    {
        Timeout = timeout,
    };

    /// <summary>Sends one GET and returns when and how it was answered; a timeout or a failure is status 0.</summary>
    public static async Task<Answer> GetAsync(HttpClient client, Uri url, CancellationToken cancellationToken)
    {
        var sent = Stopwatch.GetTimestamp();
        try
        {
            using var response = await client.GetAsync(url, HttpCompletionOption.ResponseContentRead, cancellationToken);
            return new Answer(sent, Stopwatch.GetTimestamp(), (int)response.StatusCode);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new Answer(sent, Stopwatch.GetTimestamp(), 0);
        }
    }

    /// <summary>
    /// <paramref name="clients"/> clients each sending GETs back to back for <paramref name="window"/>; then waits for the
    /// requests still in flight (each bounded by the client's timeout) after calling <paramref name="windowEnded"/>.
    /// </summary>
    public static async Task<List<Answer>> FloodAsync(
        Uri url, int clients, TimeSpan window, TimeSpan clientTimeout, Func<Task> windowEnded, CancellationToken cancellationToken)
    {
        using var client = Create(clients, clientTimeout);
        var answers = new List<Answer>();
        var end = Stopwatch.GetTimestamp() + (long)(window.TotalSeconds * Stopwatch.Frequency);
        async Task LoopAsync()
        {
            var own = new List<Answer>();
            while (Stopwatch.GetTimestamp() < end)
            {
                own.Add(await GetAsync(client, url, cancellationToken));
            }

            lock (answers)
            {
                answers.AddRange(own);
            }
        }

        var loops = Enumerable.Range(0, clients).Select(_ => Task.Run(LoopAsync, cancellationToken)).ToList();
        var remaining = end - Stopwatch.GetTimestamp();
        if (remaining > 0)
        {
            await Task.Delay(TimeSpan.FromSeconds(remaining / (double)Stopwatch.Frequency), cancellationToken);
        }

        await windowEnded();
        await Task.WhenAll(loops);
        return answers;
    }

    /// <summary>
    /// <paramref name="clients"/> clients sending GETs back to back until one is answered 200 or the deadline passes;
    /// returns the time from <paramref name="start"/> to that first 200, or null.
    /// </summary>
    public static async Task<TimeSpan?> FirstSuccessAsync(Uri url, int clients, long start, TimeSpan deadline, CancellationToken cancellationToken)
    {
        using var client = Create(clients, deadline);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(deadline);
        long first = 0;
        async Task LoopAsync()
        {
            while (!stop.IsCancellationRequested && Interlocked.Read(ref first) == 0)
            {
                Answer answer;
                try
                {
                    answer = await GetAsync(client, url, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                if (answer.Status == 200)
                {
                    Interlocked.CompareExchange(ref first, answer.Answered, 0);
                    await stop.CancelAsync();
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(LoopAsync, CancellationToken.None)));
        cancellationToken.ThrowIfCancellationRequested();
        var answered = Interlocked.Read(ref first);
        return answered == 0 ? null : Stopwatch.GetElapsedTime(start, answered);
    }
}

/// <summary>
/// A load balancer's view: one client asking for status, waiting for the answer, pausing 10 ms, asking again,
/// until disposed. Every answer is kept with its times.
/// </summary>
internal sealed class StatusProber : IAsyncDisposable
{
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(10);
    private readonly HttpClient _client;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Answer> _answers = [];
    private readonly Task _loop;

    private StatusProber(Uri url, TimeSpan clientTimeout)
    {
        _client = StatusClients.Create(1, clientTimeout);
        _loop = Task.Run(() => LoopAsync(url));
    }

    /// <summary>Starts probing <paramref name="url"/>; each request gives up after <paramref name="clientTimeout"/> (status 0).</summary>
    public static StatusProber Start(Uri url, TimeSpan clientTimeout) => new(url, clientTimeout);

    /// <summary>
    /// Waits until an answer that arrived after <paramref name="since"/> matches <paramref name="condition"/>, and returns
    /// the time from <paramref name="since"/> to its arrival; null when none did within <paramref name="limit"/>.
    /// </summary>
    public async Task<TimeSpan?> WaitForAsync(long since, Func<Answer, bool> condition, TimeSpan limit, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            lock (_answers)
            {
                foreach (var answer in _answers)
                {
                    if (answer.Answered >= since && condition(answer))
                    {
                        return Stopwatch.GetElapsedTime(since, answer.Answered);
                    }
                }
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                return null;
            }

            await Task.Delay(5, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // Stopped mid-request.
        }

        _client.Dispose();
        _stop.Dispose();
    }

    private async Task LoopAsync(Uri url)
    {
        while (!_stop.IsCancellationRequested)
        {
            var answer = await StatusClients.GetAsync(_client, url, _stop.Token);
            lock (_answers)
            {
                _answers.Add(answer);
            }

            await Task.Delay(Pause, _stop.Token);
        }
    }
}
