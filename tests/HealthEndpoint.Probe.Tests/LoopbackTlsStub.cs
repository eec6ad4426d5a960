using System;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;

namespace HealthEndpoint.Probe.Tests;

/// <summary>
/// A TLS server on 127.0.0.1 with a self-signed certificate made in-process (subject <c>CN=localhost</c>, valid for
/// the IP address 127.0.0.1 for one hour): the name and dates are right, so the one thing a client can object to is
/// that nobody it trusts issued it. Each connection gets a server handshake, then is closed; nothing is answered.
/// </summary>
internal sealed class LoopbackTlsStub : IAsyncDisposable
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    private readonly X509Certificate2 _certificate = CreateSelfSignedCertificate();
    private readonly LoopbackListener _listener;

    public LoopbackTlsStub() => _listener = new LoopbackListener(HandshakeAsync);

    public int Port => _listener.Port;

    /// <summary>Counts accepted connections, so a test can prove the probe reached the server.</summary>
    public int Accepted => _listener.Accepted;

    public async ValueTask DisposeAsync()
    {
        await _listener.DisposeAsync();
        _certificate.Dispose();
    }

    private static X509Certificate2 CreateSelfSignedCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));

        // OpenSSL (Linux, where these tests run) serves the ephemeral key as it is; only SChannel would need the
        // certificate exported and re-imported as PFX first.
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddHours(1));
    }

    private async Task HandshakeAsync(TcpClient client, CancellationToken cancellationToken)
    {
        using var connection = client;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(HandshakeTimeout);
        var tls = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
        await using (tls)
        {
            try
            {
                // Under TLS 1.3 the server's side completes before the client has judged the certificate; a client
                // that rejects it then sends an alert and closes. Either way this connection is done.
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, deadline.Token);
            }
            catch (AuthenticationException)
            {
            }
            catch (IOException)
            {
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
        }
    }
}
