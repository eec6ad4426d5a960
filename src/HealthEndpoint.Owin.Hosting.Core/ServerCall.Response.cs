using System;
using System.Collections.Generic;
using System.IO;

namespace HealthEndpoint.Owin.Hosting.Core;

/// <summary>The response half of a call: OnSendingHeaders, the decided head, and the ways to end without the app.</summary>
internal abstract partial class ServerCall
{
    /// <summary>
    /// Runs the OnSendingHeaders callbacks (last registered first, as Katana does), checks what the app set, and
    /// hands the transport the status, the headers and the framing.
    /// </summary>
    /// <param name="knownLength">The whole body's length when the app has finished writing, else null (streamed).</param>
    /// <returns>The stream the body goes to.</returns>
    /// <exception cref="InvalidResponseException">The app's status, phrase or headers cannot go out as set.</exception>
    public Stream SendHeaders(long? knownLength)
    {
        HeadersSent = true;
        if (_onSendingHeaders is not null)
        {
            for (var i = _onSendingHeaders.Count - 1; i >= 0; i--)
            {
                _onSendingHeaders[i].Key(_onSendingHeaders[i].Value);
            }
        }

        try
        {
            Head = ResponseHead.Decide(
                Values.GetKnown(RequestEnvironment.ResponseStatusCode), Values.GetKnown(RequestEnvironment.ResponseReasonPhrase), ResponseHeaders, IsHead, knownLength);
        }
        catch (InvalidResponseException rejection)
        {
            _rejection = rejection;
            throw;
        }

        // An unread request body is not drained for the next request: the connection closes instead.
        ApplyHead(Head, ResponseHeaders, keepAlive: Head.KeepAlive && RequestBodyAtEnd);
        return TransportOutput;
    }

    /// <summary>Throws the rejection of the app's head, if there was one, once the app's task is over.</summary>
    public void ThrowIfRejected()
    {
        if (_rejection is not null)
        {
            throw _rejection;
        }
    }

    /// <summary>
    /// Ends the response without the app's part: before anything went out, an empty response with
    /// <paramref name="statusCode"/> and none of the app's headers; after, the connection is aborted so that the
    /// client cannot take a truncated body for a whole one.
    /// </summary>
    /// <param name="statusCode">500 when the app failed; the client error's status when the client did.</param>
    /// <param name="close">Close the connection after the response (the request body is in an unknown state).</param>
    public void EndWithout(int statusCode, bool close)
    {
        if (ResponseBody.Started)
        {
            Abort();
            return;
        }

        SendEmpty(statusCode, close || !RequestBodyAtEnd);
    }

    /// <summary>
    /// Whether <paramref name="exception"/> is a client's bad request body, and its status: the core's
    /// <see cref="BadRequestException"/> here; a transport adds its own reports.
    /// </summary>
    public virtual bool IsClientError(Exception exception, out int statusCode)
    {
        statusCode = BadRequestException.Find(exception)?.StatusCode ?? 0;
        return statusCode != 0;
    }

    /// <summary>Adds a callback of the app's for <c>server.OnSendingHeaders</c>, through the facade of the request it belongs to.</summary>
    /// <exception cref="ObjectDisposedException">That request is over.</exception>
    /// <exception cref="InvalidOperationException">The headers have already been sent.</exception>
    public void RegisterOnSendingHeaders(RequestFacade caller, Action<object> callback, object state)
    {
        lock (Gate)
        {
            caller.ThrowIfSealed();
            if (HeadersSent)
            {
                throw new InvalidOperationException("The response headers have already been sent.");
            }

            (_onSendingHeaders ??= []).Add(new KeyValuePair<Action<object>, object>(callback, state));
        }
    }

    /// <summary>Puts the decided status, the app's headers (all but the framing ones) and the framing on the transport.</summary>
    protected abstract void ApplyHead(in ResponseHead head, Dictionary<string, string[]> headers, bool keepAlive);

    /// <summary>Replaces an unsent response with an empty one: the status, Content-Length 0, nothing of the app's.</summary>
    protected abstract void SendEmpty(int statusCode, bool close);

    /// <summary>Cuts the connection: the response had started and cannot be ended honestly.</summary>
    protected abstract void Abort();
}
