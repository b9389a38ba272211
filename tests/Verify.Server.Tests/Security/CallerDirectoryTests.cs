using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Verify.Server.Security;

namespace Verify.Server.Tests.Security;

public sealed class CallerDirectoryTests
{
    private static readonly string KeyHash = CallerAuthenticator.HashApiKey("vfk_signup_key");

    [Fact]
    public void Build_ConfiguredCaller_FoundByKeyHashAndByNameWithItsRights()
    {
        var (snapshot, errors) = CallerDirectory.Build(Configuration(new()
        {
            ["Verify:Callers:signup-service:ApiKeyHashes:0"] = KeyHash.ToUpperInvariant(),
            ["Verify:Callers:signup-service:Purposes:0"] = "signup",
            ["Verify:Callers:signup-service:Operations:0"] = "start",
            ["Verify:Callers:signup-service:Operations:1"] = "check",
            ["Verify:Callers:signup-service:Networks:0"] = "10.1.0.0/16",
        }));

        Assert.Empty(errors);
        var caller = snapshot!.ByKeyHash[KeyHash];
        Assert.Same(caller, snapshot.ByName["signup-service"]);
        Assert.True(caller.MayUse("signup", CallerOperation.Start));
        Assert.True(caller.MayUse("signup", CallerOperation.Check));
        Assert.False(caller.MayUse("signup", CallerOperation.Cancel));
        Assert.False(caller.MayUse("payment", CallerOperation.Start));
        Assert.True(caller.MayCallFrom(IPAddress.Parse("10.1.2.3")));
        Assert.True(caller.MayCallFrom(IPAddress.Parse("::ffff:10.1.2.3")));
        Assert.False(caller.MayCallFrom(IPAddress.Parse("10.2.0.1")));
    }

    [Fact]
    public void Build_WildcardPurposeAndOperations_AllowEverything()
    {
        var (snapshot, _) = CallerDirectory.Build(Configuration(new()
        {
            ["Verify:Callers:ops:Purposes:0"] = "*",
            ["Verify:Callers:ops:Operations:0"] = "*",
        }));

        var caller = snapshot!.ByName["ops"];
        Assert.All(Enum.GetValues<CallerOperation>(), operation => Assert.True(caller.MayUse("anything", operation)));
        Assert.True(caller.MayCallFrom(null));
    }

    [Theory]
    [InlineData("Verify:Callers:a:ApiKeyHashes:0", "not-a-hash", "ApiKeyHashes")]
    [InlineData("Verify:Callers:a:Networks:0", "10.0.0.0/33", "Networks")]
    [InlineData("Verify:Callers:a:Operations:0", "delete", "Operations")]
    [InlineData("Verify:Callers:a:Purposes:0", "Log In", "Purposes")]
    [InlineData("Verify:Callers:bad name:Purposes:0", "login", "a caller name")]
    public void Build_InvalidValue_RefusedNamingTheKey(string key, string value, string named)
    {
        var (snapshot, errors) = CallerDirectory.Build(Configuration(new() { [key] = value }));

        Assert.Null(snapshot);
        Assert.Contains(errors, e => e.Contains(named, StringComparison.Ordinal) && e.StartsWith("Verify:Callers:", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_OneKeyForTwoCallers_Refused()
    {
        var (_, errors) = CallerDirectory.Build(Configuration(new()
        {
            ["Verify:Callers:a:ApiKeyHashes:0"] = KeyHash,
            ["Verify:Callers:b:ApiKeyHashes:0"] = KeyHash,
        }));

        Assert.Contains(errors, e => e.Contains("the same key is configured for", StringComparison.Ordinal));
    }

    [Fact]
    public void Reload_KeyRemoved_StopsFindingItAndAnInvalidReloadKeepsTheLastGoodSet()
    {
        var source = new Dictionary<string, string?> { ["Verify:Callers:a:ApiKeyHashes:0"] = KeyHash, ["Verify:Callers:a:Purposes:0"] = "login" };
        var provider = new ReloadableProvider(source);
        var configuration = new ConfigurationBuilder().Add(new ReloadableSource(provider)).Build();
        using var directory = new CallerDirectory(configuration, NullLogger<CallerDirectory>.Instance);
        Assert.True(directory.TryFindByKeyHash(KeyHash, out _));

        provider.Replace(new() { ["Verify:Callers:a:Networks:0"] = "not a network" });
        Assert.True(directory.TryFindByKeyHash(KeyHash, out _));

        provider.Replace(new() { ["Verify:Callers:a:Purposes:0"] = "login" });
        Assert.False(directory.TryFindByKeyHash(KeyHash, out _));
        Assert.True(directory.TryFindByName("a", out _));
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    private sealed class ReloadableSource(ReloadableProvider provider) : IConfigurationSource
    {
        public IConfigurationProvider Build(IConfigurationBuilder builder) => provider;
    }

    private sealed class ReloadableProvider(Dictionary<string, string?> values) : ConfigurationProvider
    {
        public override void Load() => Data = new Dictionary<string, string?>(values, StringComparer.OrdinalIgnoreCase);

        public void Replace(Dictionary<string, string?> replacement)
        {
            Data = new Dictionary<string, string?>(replacement, StringComparer.OrdinalIgnoreCase);
            OnReload();
        }
    }
}
