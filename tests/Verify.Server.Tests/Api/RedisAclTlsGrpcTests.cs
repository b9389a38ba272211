using System.Net;
using System.Text.RegularExpressions;
using Grpc.Core;
using Verify.Server.Tests.Infrastructure;
using Verify.Server.Tests.Infrastructure.Redis;
using Verify.V1;

namespace Verify.Server.Tests.Api;

/// <summary>
/// The whole application (as Program.cs wires it) on a Redis run as README says: TLS, default user off, Verify's ACL
/// user, its password read from a secret file (<c>Verify:SecretsPath</c>). A start and a check over gRPC work; with
/// a wrong password /readyz says 503 and a start answers UNAVAILABLE; no log line carries the password.
/// </summary>
public sealed partial class RedisAclTlsGrpcTests : IAsyncLifetime
{
    private WebhookCaptureServer _sms = null!;

    public async Task InitializeAsync() => _sms = await WebhookCaptureServer.StartAsync();

    public async Task DisposeAsync() => await _sms.DisposeAsync();

    [Fact]
    public async Task StartThenCheck_OverTlsAsTheAclUser_PasswordFromASecretFile_Approved()
    {
        using var redis = SecuredRedisServer.Start();
        await using var host = await StartAsync(redis, redis.VerifyPassword);
        var client = new VerificationService.VerificationServiceClient(host.Channel);

        var started = await client.StartVerificationAsync(new StartVerificationRequest { PhoneNumber = "+8613812345678", Purpose = "login" });
        var checkedCode = await client.CheckVerificationAsync(new CheckVerificationRequest { VerificationId = started.Verification.Id, Code = SentCode() });

        Assert.True(checkedCode.Valid);
        Assert.Equal(HttpStatusCode.OK, await ReadyAsync(host));
        Assert.Contains(host.Logs, l => l.Message.Contains($"store redis at {redis.Server.EndPoint} as user verify with a password, over TLS (server checked against the CA file)", StringComparison.Ordinal));
        Assert.DoesNotContain(host.Logs, l => l.Message.Contains(redis.VerifyPassword, StringComparison.Ordinal));
    }

    [Fact]
    public async Task WrongPassword_NotReady_StartAnsweredUnavailable_NothingSent_PasswordNeverLogged()
    {
        using var redis = SecuredRedisServer.Start();
        const string wrong = "wrong-password-7d2b1a";
        await using var host = await StartAsync(redis, wrong);
        var client = new VerificationService.VerificationServiceClient(host.Channel);

        var error = await Assert.ThrowsAsync<RpcException>(() => client.StartVerificationAsync(new StartVerificationRequest { PhoneNumber = "+8613812345678", Purpose = "login" }).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await ReadyAsync(host));
        Assert.Empty(_sms.Requests);
        Assert.True(
            host.Logs.Any(l => l.Message.Contains("refused Verify's credentials or TLS handshake (", StringComparison.Ordinal) && Regex.IsMatch(l.Message, "WRONGPASS|NOAUTH")),
            string.Join(Environment.NewLine, host.Logs.Select(l => l.Message)));
        Assert.DoesNotContain(host.Logs, l => l.Message.Contains(wrong, StringComparison.Ordinal) || l.Message.Contains(redis.VerifyPassword, StringComparison.Ordinal));
    }

    private async Task<VerifyGrpcHost> StartAsync(SecuredRedisServer redis, string password)
    {
        // As a platform mounts secrets: a file per key, named like the key.
        var secrets = Directory.CreateDirectory(Path.Combine(redis.Directory, "secrets")).FullName;
        await File.WriteAllTextAsync(Path.Combine(secrets, "Verify__Redis__Password"), password);
        var settings = redis.Settings();
        settings.Remove("Verify:Redis:Password");
        settings["Verify:SecretsPath"] = secrets;
        settings["Verify:Hashing:ActiveKeyId"] = "k1";
        settings["Verify:Hashing:Keys:k1"] = Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i + 3)).ToArray());
        settings["Verify:Delivery:Webhook:Url"] = _sms.Url.ToString();
        return await VerifyGrpcHost.StartAsync(settings);
    }

    /// <summary>/readyz on the Management listener, where probes answer.</summary>
    private static async Task<HttpStatusCode> ReadyAsync(VerifyGrpcHost host)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(host.ManagementAddress, "/readyz"));
        return response.StatusCode;
    }

    private string SentCode()
    {
        var text = Assert.Single(_sms.Requests).Json.GetProperty("text").GetString()!;
        return CodePattern().Match(text).Value;
    }

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex CodePattern();
}
