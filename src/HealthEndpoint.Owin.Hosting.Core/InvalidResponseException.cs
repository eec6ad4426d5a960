using System;

namespace HealthEndpoint.Owin.Hosting.Core;

/// <summary>The app set a status, reason phrase or header that cannot go on the wire as set; the host answers 500.</summary>
internal sealed class InvalidResponseException : InvalidOperationException
{
    public InvalidResponseException(string message)
        : base(message)
    {
    }
}
