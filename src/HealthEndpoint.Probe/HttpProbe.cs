using System;
using System.Diagnostics;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace HealthEndpoint.Probe;

/// <summary>One HTTP GET like a load balancer's: no cookies, no redirects, no proxy, one deadline for everything.</summary>
internal static class HttpProbe
{
    /// <summary>A status document is well under 1 KiB; more than this is read no further.</summary>
    public const int MaximumBodyBytes = 64 * 1024;

    private const string PlainAccept = "application/json, text/plain;q=0.9";

    // HealthEndpoint serves health+json only when no application/json range has a higher quality, hence q=0.9 there.
    private const string DetailAccept = "application/health+json, application/json;q=0.9, text/plain;q=0.8";

    private static readonly ProductInfoHeaderValue UserAgent = new(
        "healthendpoint-probe",
        typeof(HttpProbe).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");

    /// <summary>Sends the GET and reads the body; never throws for network or HTTP failures.</summary>
    /// <param name="url">An absolute http or https URL.</param>
    /// <param name="timeout">Deadline for connect, request and body together.</param>
    /// <param name="detail">
    /// Ask for <c>application/health+json</c> first, whose checks carry their latency; a server without it (or with
    /// <c>HealthJson</c> off) answers the compact status document or <c>pong</c> as it would anyway.
    /// </param>
    /// <param name="cancellationToken">Stops the probe early (e.g. tests); not a timeout.</param>
    public static async Task<ProbeResult> GetAsync(Uri url, TimeSpan timeout, bool detail = false, CancellationToken cancellationToken = default)
    {
        // A probe is a stranger: no cookie jar (so no session), redirects reported as the 3xx they are, and no
        // HTTP(S)_PROXY from the environment between a container and its own loopback.
        using var handler = new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false, UseProxy = false };

        // The runtime's verdict on the certificate, unchanged; only remembered, so a TLS failure can say why.
        var certificateJudged = false;
        string? certificateProblem = null;
        handler.SslOptions.RemoteCertificateValidationCallback = (_, _, chain, errors) =>
        {
            certificateJudged = true;
            certificateProblem = ServerCertificate.Problem(errors, chain, url.Host);
            return errors == SslPolicyErrors.None;
        };

        using var client = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.UserAgent.Add(UserAgent);
        request.Headers.Accept.ParseAdd(detail ? DetailAccept : PlainAccept);
        request.Headers.ConnectionClose = true;

        var clock = Stopwatch.StartNew();
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            var (body, truncated) = await ReadBodyAsync(response.Content, deadline.Token).ConfigureAwait(false);
            clock.Stop();
            return ProbeResult.Response(url, clock.Elapsed, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body, truncated);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return ProbeResult.Failed(url, clock.Elapsed, $"timeout: no response from {Endpoint(url)} within {Duration.Describe(timeout)}");
        }
        catch (HttpRequestException exception)
        {
            return ProbeResult.Failed(url, clock.Elapsed, Describe(exception, url, certificateJudged, certificateProblem));
        }
        catch (IOException)
        {
            return ProbeResult.Failed(url, clock.Elapsed, $"connection to {Endpoint(url)} lost while reading the response");
        }
    }

    private static async Task<(string Body, bool Truncated)> ReadBodyAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaximumBodyBytes + 1];
        var length = 0;
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            int read;
            while (length < buffer.Length
                && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
            {
                length += read;
            }
        }

        var truncated = length > MaximumBodyBytes;
        return (Encoding.UTF8.GetString(buffer, 0, Math.Min(length, MaximumBodyBytes)), truncated);
    }

    // Words of our own, never the exception's type or message: the line must read the same on every runtime.
    private static string Describe(HttpRequestException exception, Uri url, bool certificateJudged, string? certificateProblem)
    {
        var endpoint = Endpoint(url);
        return exception.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => $"cannot resolve host {url.Host}",
            HttpRequestError.ConnectionError => $"cannot connect to {endpoint}: {SocketReason(exception)}",
            HttpRequestError.SecureConnectionError => $"TLS handshake with {endpoint} failed" + TlsReason(exception, certificateJudged, certificateProblem),
            HttpRequestError.ResponseEnded => $"{endpoint} closed the connection before a complete response",
            HttpRequestError.InvalidResponse or HttpRequestError.HttpProtocolError => $"invalid HTTP response from {endpoint}",
            HttpRequestError.ProxyTunnelError or HttpRequestError.UserAuthenticationError => $"request to {endpoint} failed",
            _ => $"request to {endpoint} failed",
        };
    }

    // No certificate judged yet: the server's first bytes were no TLS record (AuthenticationException with no inner
    // one, as from a plain HTTP server answering 400) or it closed or reset (IOException). Anything else,
    // such as no protocol version in common, keeps the bare "failed".
    private static string TlsReason(HttpRequestException exception, bool certificateJudged, string? certificateProblem) =>
        certificateProblem is not null ? ": " + certificateProblem
        : !certificateJudged && exception.InnerException is IOException or AuthenticationException { InnerException: null }
            ? ": the server did not answer with TLS (plain HTTP on an https:// URL?)"
            : string.Empty;

    private static string SocketReason(Exception exception)
    {
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return socket.SocketErrorCode switch
                {
                    SocketError.ConnectionRefused => "connection refused",
                    SocketError.HostUnreachable => "host unreachable",
                    SocketError.NetworkUnreachable => "network unreachable",
                    SocketError.TimedOut => "connect timed out",
                    SocketError.ConnectionReset => "connection reset",
                    SocketError.AddressNotAvailable => "address not available",
                    _ => "socket error " + ((int)socket.SocketErrorCode).ToString(System.Globalization.CultureInfo.InvariantCulture),
                };
            }
        }

        return "connection failed";
    }

    private static string Endpoint(Uri url) => url.Host + ":" + url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
