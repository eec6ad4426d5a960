using System.Linq;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace HealthEndpoint.Probe;

/// <summary>Why the runtime's own validation rejected the server certificate, in words of our own.</summary>
internal static class ServerCertificate
{
    /// <summary>
    /// <c>the server certificate is not trusted</c> and the like; <see langword="null"/> when
    /// <paramref name="errors"/> is <see cref="SslPolicyErrors.None"/>.
    /// </summary>
    /// <remarks>Several errors at once name the most basic: no certificate, then the chain (dates before trust), then the name.</remarks>
    public static string? Problem(SslPolicyErrors errors, X509Chain? chain, string host)
    {
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return "the server sent no certificate";
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            var statuses = chain?.ChainStatus.Select(status => status.Status).ToArray() ?? [];
            return statuses.Contains(X509ChainStatusFlags.NotTimeValid) ? "the server certificate has expired or is not yet valid"
                : statuses.Contains(X509ChainStatusFlags.Revoked) ? "the server certificate is revoked"
                : "the server certificate is not trusted";
        }

        return errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) ? $"the server certificate is not for {host}" : null;
    }
}
