using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using LegacyApp.Data;
using LegacyApp.Sessions;

namespace LegacyApp.Pages;

/// <summary>The legacy app's pages, behind its session middleware: a home page that uses the database, and 404s.</summary>
internal sealed class LegacyWebApp
{
    private readonly TicketDatabase _database;

    public LegacyWebApp(TicketDatabase database)
    {
        _database = database;
    }

    public Task Invoke(IDictionary<string, object> environment)
    {
        var path = (string)environment["owin.RequestPath"];
        return path is "/" or "" ? HomeAsync(environment) : WriteAsync(environment, 404, "<h1>Not found</h1>");
    }

    private async Task HomeAsync(IDictionary<string, object> environment)
    {
        var session = (Session)environment[SessionMiddleware.EnvironmentKey];
        var cancellationToken = environment.TryGetValue("owin.CallCancelled", out var token) ? (CancellationToken)token : default;
        var tickets = await _database.CountTicketsAsync(cancellationToken).ConfigureAwait(false);
        var html = $"<!doctype html><title>LegacyApp</title><h1>LegacyApp</h1>"
            + $"<p>{tickets} ticket(s) in the database.</p>"
            + $"<p>Session {WebUtility.HtmlEncode(session.Id)}: visit {session.Visits}.</p>";
        await WriteAsync(environment, 200, html).ConfigureAwait(false);
    }

    private static Task WriteAsync(IDictionary<string, object> environment, int status, string html)
    {
        var body = Encoding.UTF8.GetBytes(html);
        environment["owin.ResponseStatusCode"] = status;
        var headers = (IDictionary<string, string[]>)environment["owin.ResponseHeaders"];
        headers["Content-Type"] = ["text/html; charset=utf-8"];
        headers["Content-Length"] = [body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        return ((Stream)environment["owin.ResponseBody"]).WriteAsync(body, 0, body.Length);
    }
}
