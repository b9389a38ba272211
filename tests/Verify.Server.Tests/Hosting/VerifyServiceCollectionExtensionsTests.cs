using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Verify.Server.Hosting;
using Verify.Server.Tests.Infrastructure;

namespace Verify.Server.Tests.Hosting;

/// <summary>What the service refuses to start with, in each environment.</summary>
public sealed class VerifyServiceCollectionExtensionsTests
{
    private static readonly string Key = Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i + 7)).ToArray());

    [Fact]
    public void AddVerify_DevelopmentWithNothingConfigured_Starts() =>
        new ServiceCollection().AddLogging().AddVerify(Configuration([]), Environment(Environments.Development));

    [Fact]
    public void AddVerify_ProductionWithNothingConfigured_RefusesNamingEveryMissingPiece()
    {
        var exception = Assert.Throws<InvalidOperationException>(() =>
            new ServiceCollection().AddVerify(Configuration([]), Environment(Environments.Production)));

        Assert.Contains("Verify:Hashing:ActiveKeyId", exception.Message);
        Assert.Contains("Verify:Redis:Configuration", exception.Message);
        Assert.Contains("Verify:Delivery:Webhook:Url", exception.Message);
        Assert.Contains("Verify:Callers: no caller is configured", exception.Message);
    }

    [Theory]
    [InlineData("Staging")]
    [InlineData("prod")]
    [InlineData("Production-EU")]
    public void AddVerify_AnyEnvironmentButDevelopment_RefusesTheDevelopmentParts(string name)
    {
        var exception = Assert.Throws<InvalidOperationException>(() =>
            new ServiceCollection().AddVerify(Configuration([]), Environment(name)));

        Assert.Contains("Verify:Redis:Configuration", exception.Message);
        Assert.Contains("the console sender prints codes to standard output and runs in Development only", exception.Message);
        Assert.Contains("Verify:Callers: no caller is configured", exception.Message);
    }

    [Fact]
    public void AddVerify_StagingWithFourDigitCodes_RefusedWithTheOtherMissingPieces()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddVerify(
            Configuration(new() { ["Verify:Policies:login:CodeLength"] = "4" }), Environment("Staging")));

        Assert.Contains("Verify:Policies:login:CodeLength: must be at least 6 for Digits codes outside Development", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Verify:Redis:Configuration", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddVerify_DevelopmentOnASharedRedisWithoutAKey_Refused()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddVerify(
            Configuration(new() { ["Verify:Redis:Configuration"] = "127.0.0.1:1" }), Environment(Environments.Development)));

        Assert.Contains("no HMAC key for a shared Redis (Verify:Redis:Configuration): every replica needs the same key, even in Development", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddVerify_ReceiveLimitEmpty_Stays64KiB()
    {
        using var provider = new ServiceCollection().AddLogging().AddVerify(
            Configuration(new() { ["Verify:Grpc:MaxReceiveMessageSize"] = "" }), Environment(Environments.Development)).BuildServiceProvider();

        Assert.Equal(64 * 1024, provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<Grpc.AspNetCore.Server.GrpcServiceOptions>>().Value.MaxReceiveMessageSize);
    }

    [Theory]
    [InlineData("100")]
    [InlineData("104857600")]
    public void AddVerify_ReceiveLimitEmptyOrOutOfRange_RefusedNamingTheKey(string value)
    {
        var exception = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddVerify(
            Configuration(new() { ["Verify:Grpc:MaxReceiveMessageSize"] = value }), Environment(Environments.Development)));

        Assert.Contains("Verify:Grpc:MaxReceiveMessageSize: must be between 1024 and 4194304 bytes", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddVerify_HealthProbeIntervalUnderASecond_RefusedNamingTheKey()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddVerify(
            Configuration(new() { ["Verify:Health:ProbeInterval"] = "00:00:00.2" }), Environment(Environments.Development)));

        Assert.Contains("Verify:Health:ProbeInterval: must be between 00:00:01 and 00:01:00", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddVerify_AuthenticationOffOutsideDevelopment_Refused()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddVerify(
            Configuration(new() { ["Verify:Authentication:Enabled"] = "false" }),
            Environment(Environments.Staging)));

        Assert.Contains("Verify:Authentication:Enabled: authentication may be off in Development only", exception.Message);
    }

    [Fact]
    public void AddVerify_CallerWithAKeyInsteadOfItsHashAndAMissingAuthority_RefusedNamingBoth()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddVerify(
            Configuration(new()
            {
                ["Verify:Callers:signup-service:ApiKeyHashes:0"] = "vfk_the_key_itself",
                ["Verify:Authentication:ClientCertificateAuthorityPath"] = "/nonexistent/ca.pem",
            }),
            Environment(Environments.Development)));

        Assert.Contains("Verify:Callers:signup-service:ApiKeyHashes:0", exception.Message);
        Assert.Contains("Verify:Authentication:ClientCertificateAuthorityPath", exception.Message);
    }

    [Fact]
    public void AddVerify_BadWebhookSettings_Refused()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddVerify(
            Configuration(new()
            {
                ["Verify:Delivery:Webhook:Url"] = "ftp://example.invalid/sms",
                ["Verify:Delivery:Webhook:SigningSecret"] = "short",
            }),
            Environment(Environments.Development)));

        Assert.Contains("Verify:Delivery:Webhook:Url", exception.Message);
        Assert.Contains("Verify:Delivery:Webhook:SigningSecret", exception.Message);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080", "http://127.0.0.1:8080")]
    [InlineData("http://127.0.0.1:8080/", "http://127.0.0.1:8080")]
    [InlineData("http://0.0.0.0:8080", "http://127.0.0.1:8080")]
    [InlineData("http://localhost:8080", "http://127.0.0.1:8080")]
    public void AddVerify_ManagementOnTheHttpListenersAddress_RefusedNamingBothKeys(string http, string management)
    {
        var exception = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddVerify(
            Configuration(new() { ["Kestrel:Endpoints:Http:Url"] = http, ["Kestrel:Endpoints:Management:Url"] = management }),
            Environment(Environments.Development)));

        Assert.Contains("Kestrel:Endpoints:Management:Url", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Kestrel:Endpoints:Http:Url", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddVerify_ListenersOnPortZeroOrOnOtherAddresses_Start() =>
        new ServiceCollection().AddLogging().AddVerify(
            Configuration(new()
            {
                ["Kestrel:Endpoints:Grpc:Url"] = "http://127.0.0.1:0",
                ["Kestrel:Endpoints:Http:Url"] = "http://127.0.0.1:0",
                ["Kestrel:Endpoints:Management:Url"] = "http://10.0.0.5:8080",
            }),
            Environment(Environments.Development));

    [Fact]
    public void AddVerify_BadHmacKey_Refused()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddVerify(
            Configuration(new() { ["Verify:Hashing:ActiveKeyId"] = "k1", ["Verify:Hashing:Keys:k1"] = "c2hvcnQ=" }),
            Environment(Environments.Development)));

        Assert.Contains("Verify:Hashing:Keys:k1", exception.Message);
    }

    [Fact]
    public void AddVerify_StagingWithKeyAndWebhook_OnlyTheStoreIsMissing()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddVerify(
            Configuration(new()
            {
                ["Verify:Hashing:ActiveKeyId"] = "k1",
                ["Verify:Hashing:Keys:k1"] = Key,
                ["Verify:Delivery:Webhook:Url"] = "https://sms.example.invalid/send",
            }),
            Environment(Environments.Staging)));

        Assert.Contains("Verify:Redis:Configuration", exception.Message);
        Assert.DoesNotContain("Hashing", exception.Message);
        Assert.DoesNotContain("Webhook", exception.Message);
    }

    [Fact]
    public void AddVerify_InvalidRequestLimit_RefusedNamingTheKey()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddVerify(
            Configuration(new() { ["Verify:RequestLimits:PerMethod:StartVerification:TokenLimit"] = "0" }), Environment(Environments.Development)));

        Assert.Contains("Verify:RequestLimits:PerMethod:StartVerification:TokenLimit: must be 1 to 1000000 calls", exception.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Configuration(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

    private static IHostEnvironment Environment(string name) => new TestEnvironment { EnvironmentName = name };
}
