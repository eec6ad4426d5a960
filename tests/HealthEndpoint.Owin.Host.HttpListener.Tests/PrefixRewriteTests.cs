using System;
using HealthEndpoint.Owin.Host.HttpListener;
using HealthEndpoint.Owin.Hosting.Core;

namespace HealthEndpoint.Owin.Hosting.Tests;

/// <summary>What the HttpListener host makes of the prefixes people write, and its derived request bound.</summary>
[TestFixture]
public sealed class PrefixRewriteTests
{
    [TestCase("http://0.0.0.0:5080/", "http://+:5080/")]
    [TestCase("http://0.0.0.0:5080/rt/", "http://+:5080/rt/")]
    [TestCase("http://0.0.0.0/", "http://+/")]
    [TestCase("http://127.0.0.1:5080/", "http://127.0.0.1:5080/")]
    [TestCase("http://*:5080/", "http://*:5080/")]
    [TestCase("http://0.0.0.01:5080/", "http://0.0.0.01:5080/")]
    public void Map_Prefix_WhatHttpListenerBinds(string prefix, string expected)
    {
        Assert.That(PrefixRewrite.Map(prefix), Is.EqualTo(expected));
    }

    // The managed HttpListener of Linux and macOS rejects IPv6 literals; http.sys on Windows takes them.
    [TestCase("http://[::]:5080/", "http://+:5080/")]
    [TestCase("http://[::1]:5081/rt/", "http://+:5081/")]
    [Platform(Exclude = "Win")]
    public void Map_Ipv6LiteralOnLinux_RefusedSayingWhatToWrite(string prefix, string advice)
    {
        Assert.That(() => PrefixRewrite.Map(prefix), Throws.ArgumentException.With.Message.Contains(advice).And.Message.Contains("Kestrel"));
    }

    [TestCase("http://[::]:5080/")]
    [TestCase("http://[::1]:5081/rt/")]
    [Platform("Win")]
    public void Map_Ipv6LiteralOnWindows_KeptAsWritten(string prefix)
    {
        Assert.That(PrefixRewrite.Map(prefix), Is.EqualTo(prefix));
    }

    // The control: 0.0.0.0 as written is what HttpListener cannot start on.
    [Test]
    public void Start_ZeroAddressAsWritten_HttpListenerRefusesButMappedStarts()
    {
        var port = HealthEndpoint.Owin.Testing.FreeTcpPort.Next();
        using var raw = new System.Net.HttpListener();
        raw.Prefixes.Add($"http://0.0.0.0:{port}/");
        Assert.That(raw.Start, Throws.TypeOf<System.Net.HttpListenerException>());

        using var mapped = new System.Net.HttpListener();
        mapped.Prefixes.Add(PrefixRewrite.Map($"http://0.0.0.0:{port}/"));
        Assert.That(mapped.Start, Throws.Nothing);
        mapped.Stop();
    }

    [TestCase(1024L, 150L, 618)]
    [TestCase(20000L, 150L, 17350)]
    [TestCase(300L, 150L, 16)]
    [TestCase(null, 150L, 1024)]
    public void RequestCap_OpenFileLimit_LeavesReserve(long? limit, long open, int expected)
    {
        Assert.That(OpenFileLimit.RequestCap(limit, open), Is.EqualTo(expected));
    }

    // A 64-bit process on Linux always has a soft RLIMIT_NOFILE (it cannot be unlimited: the kernel caps it at
    // fs.nr_open), so the default is derived from it.
    [Test]
    [Platform("Linux")]
    public void Options_DefaultOnLinux_MaxConcurrentRequestsBelowThisProcessLimit()
    {
        var limit = OpenFileLimit.Read();
        var cap = new HttpListenerOwinServerOptions().MaxConcurrentRequests;

        Assert.That(limit, Is.Not.Null, "Linux has an open-file limit");
        Assert.That(cap, Is.InRange(16, limit!.Value - 256));
    }

    // Windows has no open-file limit to derive the bound from: the default is the fixed fallback.
    [Test]
    [Platform("Win")]
    public void Options_DefaultOnWindows_MaxConcurrentRequestsIsTheFallback()
    {
        Assert.That(OpenFileLimit.Read(), Is.Null, "Windows has no open-file limit");
        Assert.That(new HttpListenerOwinServerOptions().MaxConcurrentRequests, Is.EqualTo(OpenFileLimit.FallbackRequestCap));
    }
}
