using Microsoft.AspNetCore.Server.Kestrel.Https;
using Verify.Server.Security;

namespace Verify.Server.Hosting;

/// <summary>Host-level wiring: secrets mounted as files, and TLS on the Grpc endpoint (certificate reload, client certificates).</summary>
internal static class VerifyWebApplicationBuilderExtensions
{
    public const string SecretsPathKey = "Verify:SecretsPath";
    public const string GrpcEndpointName = "Grpc";

    public static WebApplicationBuilder AddVerifyHosting(this WebApplicationBuilder builder)
    {
        // A directory of files named like keys (Verify__Hashing__Keys__2026-11), as platforms mount
        // secrets; read again when they change, so a revoked API key hash goes without a restart.
        if (builder.Configuration[SecretsPathKey] is { Length: > 0 } secrets)
        {
            builder.Configuration.AddKeyPerFile(secrets, optional: false, reloadOnChange: true);
        }

        builder.Services.AddSingleton<ServerCertificateReloaders>();
        // No Kestrel reload: with it, Kestrel watches the certificate files itself and, on renewal,
        // unbinds and rebinds the endpoint, refusing connections meanwhile. ServerCertificateReloader
        // swaps the certificate under the bound socket instead; endpoints change with a restart.
        builder.WebHost.ConfigureKestrel((context, kestrel) => kestrel
            .Configure(context.Configuration.GetSection("Kestrel"), reloadOnChange: false)
            .Endpoint(GrpcEndpointName, endpoint =>
            {
                if (!endpoint.IsHttps)
                {
                    return;
                }

                var certificate = endpoint.ConfigSection.GetSection("Certificate");
                if (certificate["Path"] is { Length: > 0 } path)
                {
                    var reloader = kestrel.ApplicationServices.GetRequiredService<ServerCertificateReloaders>()
                        .For(path, certificate["KeyPath"], certificate["Password"]);
                    endpoint.HttpsOptions.ServerCertificateSelector = (_, _) => reloader.Current;
                }

                if (!string.IsNullOrEmpty(context.Configuration[$"{AuthenticationOptions.SectionName}:{nameof(AuthenticationOptions.ClientCertificateAuthorityPath)}"]))
                {
                    // Any certificate passes the handshake; CallerAuthenticator decides per call, and says why.
                    endpoint.HttpsOptions.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
                    endpoint.HttpsOptions.ClientCertificateValidation = (_, _, _) => true;
                }
            }));
        return builder;
    }
}
