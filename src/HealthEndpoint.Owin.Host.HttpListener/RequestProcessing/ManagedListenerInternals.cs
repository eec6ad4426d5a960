using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace HealthEndpoint.Owin.Host.HttpListener;

/// <summary>
/// What the managed HttpListener (Linux, macOS) knows of a request's connection and does not expose, reached by
/// reflection: the socket (to see the client leave, and to reset the connection under a broken response), the raw
/// request head (every header line, where the listener keeps only the last value of a repeated name), and the
/// response stream's "final chunk sent" flag (so that an abort does not end a broken chunked body cleanly).
/// </summary>
/// <remarks>
/// Private members of System.Net.HttpListener 8.0-10.0: HttpListenerContext.Connection, HttpConnection._socket,
/// _memoryStream and _position, HttpResponseStream._trailer_sent. Where any is missing (http.sys on Windows, a
/// future runtime) every member here answers null or false and the host falls back to what HttpListener offers
/// publicly: the last value of a repeated header, a token that fires on stop and failed writes only, an abort that
/// writes the final chunk. ManagedListenerInternalsTests pins each member, so a runtime that moves one fails a test.
/// </remarks>
internal static class ManagedListenerInternals
{
    private const BindingFlags Private = BindingFlags.Instance | BindingFlags.NonPublic;

    private static readonly PropertyInfo? Connection = typeof(HttpListenerContext).GetProperty("Connection", Private);
    private static readonly FieldInfo? SocketField = Connection?.PropertyType.GetField("_socket", Private);
    private static readonly FieldInfo? HeadBytesField = Connection?.PropertyType.GetField("_memoryStream", Private);
    private static readonly FieldInfo? HeadEndField = Connection?.PropertyType.GetField("_position", Private);
    private static readonly FieldInfo? TrailerSentField =
        typeof(System.Net.HttpListener).Assembly.GetType("System.Net.HttpResponseStream")?.GetField("_trailer_sent", Private);

    /// <summary>Whether every member was found: the host runs on the managed HttpListener it was written against.</summary>
    public static bool Available => SocketField is not null && HeadBytesField is not null && HeadEndField is not null && TrailerSentField is not null;

    /// <summary>The connection's socket, or null.</summary>
    public static Socket? SocketOf(HttpListenerContext context) => SocketField?.GetValue(ConnectionOf(context)) as Socket;

    /// <summary>
    /// The request line and header lines as they came, up to and including the empty line; null once the request
    /// body stream was created (the listener hands the buffer on) or when the members are missing.
    /// </summary>
    public static ArraySegment<byte>? RawHead(HttpListenerContext context)
    {
        var connection = ConnectionOf(context);
        if (connection is null || HeadBytesField?.GetValue(connection) is not MemoryStream bytes || HeadEndField?.GetValue(connection) is not int end)
        {
            return null;
        }

        if (end <= 0 || end > bytes.Length)
        {
            return null;
        }

        return new ArraySegment<byte>(bytes.GetBuffer(), 0, end);
    }

    /// <summary>
    /// Makes the response stream believe its final chunk went out, so that closing it sends nothing more: a chunked
    /// body cut short then ends without its terminator, as a broken body must.
    /// </summary>
    /// <returns>False when the member is missing.</returns>
    public static bool SuppressFinalChunk(Stream responseStream)
    {
        if (TrailerSentField is null || TrailerSentField.DeclaringType?.IsInstanceOfType(responseStream) != true)
        {
            return false;
        }

        TrailerSentField.SetValue(responseStream, true);
        return true;
    }

    private static object? ConnectionOf(HttpListenerContext context) => Connection?.GetValue(context);
}
