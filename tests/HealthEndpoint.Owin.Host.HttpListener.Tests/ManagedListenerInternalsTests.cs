using System;
using System.Linq;
using System.Text;
using HealthEndpoint.Owin.Host.HttpListener;

namespace HealthEndpoint.Owin.Hosting.Tests;

/// <summary>
/// The private members of the managed HttpListener the host relies on (its socket, raw head and final-chunk flag) are
/// where the host expects them, and the raw head is read back line by line; a runtime that moves them fails here
/// first, not silently in the field (the host would fall back to HttpListener's public behaviour).
/// </summary>
[TestFixture]
public sealed class ManagedListenerInternalsTests
{
    [Test]
    [Platform(Exclude = "Win")]
    public void Members_OnThisRuntime_AllFound()
    {
        TestContext.Progress.WriteLine($"runtime {Environment.Version}: managed HttpListener members found: {ManagedListenerInternals.Available}");
        Assert.That(ManagedListenerInternals.Available, Is.True);
    }

    [Test]
    public void RawHead_RepeatedNames_EveryLineInOrder()
    {
        var head = Bytes("GET /echo HTTP/1.1\r\nHost: a\r\nX-Dup: one\r\nCookie: s=1\r\nx-dup: two\r\nCookie: t=2\r\n\r\n");

        var lines = RawRequestHead.Parse(head, "GET", "/echo");

        Assert.That(lines?.Select(line => $"{line.Key}={line.Value}"), Is.EqualTo(new[] { "Host=a", "X-Dup=one", "Cookie=s=1", "x-dup=two", "Cookie=t=2" }));
    }

    [TestCase("POST /echo HTTP/1.1\r\nHost: a\r\n\r\n", Description = "another request line: not the head HttpListener parsed")]
    [TestCase("GET /echo HTTP/1.1\r\nHost: a\r\n", Description = "no empty line: the head is not whole")]
    [TestCase("GET /echo HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", Description = "an obsolete line fold")]
    [TestCase("o: a\r\n\r\n", Description = "the buffer starts mid-head")]
    public void RawHead_NotTheParsedHead_NullSoTheHostFallsBack(string text)
    {
        Assert.That(RawRequestHead.Parse(Bytes(text), "GET", "/echo"), Is.Null);
    }

    [Test]
    public void RawHead_LeadingEmptyLinesAndLatin1_SkippedAndKeptByteForByte()
    {
        var head = new ArraySegment<byte>([.. Encoding.ASCII.GetBytes("\r\nGET /echo HTTP/1.1\r\nX-Name: caf"), 0xE9, .. Encoding.ASCII.GetBytes("\r\n\r\n")]);

        var lines = RawRequestHead.Parse(head, "GET", "/echo");

        Assert.That(lines?.Single().Value, Is.EqualTo("caf\u00e9"));
    }

    private static ArraySegment<byte> Bytes(string text) => new(Encoding.Latin1.GetBytes(text));
}
