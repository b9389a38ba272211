using System.Net;
using System.Security.Cryptography.X509Certificates;
using Verify.Grpc.InteropHost;
using Verify.Grpc.InteropHost.V1;
using Verify.Grpc.Tests.Infrastructure;

namespace Verify.Grpc.Tests.Functional;

public sealed class TlsFunctionalTests
{
    [Fact]
    public async Task Echo_OverTls_NegotiatesHttp2AndSucceeds()
    {
        using var certificate = SelfSignedCertificate.Create();
        await using var app = InteropHostApp.Build(port: 0, certificatePath: certificate.PfxPath, certificatePassword: certificate.Password);
        await app.StartAsync();
        try
        {
            var baseAddress = InteropHostFixture.GetBaseAddress(app);
            Assert.Equal(Uri.UriSchemeHttps, baseAddress.Scheme);
            var handler = GrpcTestClient.CreateHandler();
            var presented = new List<string>();

            // Trust exactly the certificate made above, whatever the chain says of it.
            handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, _) =>
            {
                var thumbprint = cert is null ? null : new X509Certificate2(cert).Thumbprint;
                presented.Add(thumbprint ?? "none");
                return thumbprint == certificate.Certificate.Thumbprint;
            };
            using var client = new GrpcTestClient(baseAddress, handler);
            using var timeout = new CancellationTokenSource(GrpcTestClient.CallTimeout);

            using var result = await client.CallAsync(InteropPaths.Echo, new EchoRequest { Message = "over tls" }, EchoResponse.Parser, cancellationToken: timeout.Token);

            Assert.Equal(HttpVersion.Version20, result.Response.Version);
            Assert.Equal(StatusCode.OK, result.Status.Code);
            Assert.Equal("over tls", result.Single.Message);
            Assert.Equal([certificate.Certificate.Thumbprint], presented);
        }
        finally
        {
            await app.StopAsync();
        }
    }

    [Fact]
    public async Task Echo_OverTlsWithAnUntrustedCertificate_FailsTheHandshake()
    {
        using var certificate = SelfSignedCertificate.Create();
        await using var app = InteropHostApp.Build(port: 0, certificatePath: certificate.PfxPath, certificatePassword: certificate.Password);
        await app.StartAsync();
        try
        {
            // Default validation: a self-signed certificate nobody trusts.
            using var client = new GrpcTestClient(InteropHostFixture.GetBaseAddress(app));
            using var timeout = new CancellationTokenSource(GrpcTestClient.CallTimeout);

            await Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync(InteropPaths.Echo, new EchoRequest(), cancellationToken: timeout.Token));
        }
        finally
        {
            await app.StopAsync();
        }
    }
}
