namespace Owin.HealthEndpoint.Framework.Tests;

[TestFixture]
public sealed class SmokeTests
{
    [Test]
    public void Runtime_IsMono_True()
    {
        Assert.That(System.Type.GetType("Mono.Runtime"), Is.Not.Null);
    }
}
