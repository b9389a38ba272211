using Microsoft.AspNetCore.Routing.Matching;
using Microsoft.AspNetCore.Server.Kestrel;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Verify.Server.Hosting.Listeners;
using Verify.Server.Security;

namespace Verify.Server.Hosting;

/// <summary>
/// Host-level wiring: secrets mounted as files, the three listeners (each connection marked with the Kestrel endpoint
/// it came through, so each route answers on one: <see cref="ListenerMatcherPolicy"/>), and TLS on the Grpc
/// endpoint (certificate reload, client certificates).
/// </summary>
internal static class VerifyWebApplicationBuilderExtensions
{
    public const string SecretsPathKey = "Verify:SecretsPath";
    public const string GrpcEndpointName = VerifyListeners.Grpc;

    public static WebApplicationBuilder AddVerifyHosting(this WebApplicationBuilder builder)
    {
        // A directory of files named like keys (Verify__Hashing__Keys__2026-11), as platforms mount
        // secrets; read again when they change, so a revoked API key hash goes without a restart.
        if (builder.Configuration[SecretsPathKey] is { Length: > 0 } secrets)
        {
            builder.Configuration.AddKeyPerFile(secrets, optional: false, reloadOnChange: true);
        }

        builder.Services.AddSingleton<ServerCertificateReloaders>();
        builder.Services.AddSingleton<ListenerEndPoints>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, ListenerMatcherPolicy>());
        builder.Services.AddHostedService<ListenerReport>();
        // No Kestrel reload: with it, Kestrel watches the certificate files itself and, on renewal,
        // unbinds and rebinds the endpoint, refusing connections meanwhile. ServerCertificateReloader
        // swaps the certificate under the bound socket instead; endpoints change with a restart.
        builder.WebHost.ConfigureKestrel((context, kestrel) => kestrel
            .Configure(context.Configuration.GetSection("Kestrel"), reloadOnChange: false)
            .Endpoint(VerifyListeners.Http, endpoint => MarkListener(kestrel, endpoint, VerifyListeners.Http))
            .Endpoint(VerifyListeners.Management, endpoint => MarkListener(kestrel, endpoint, VerifyListeners.Management))
            .Endpoint(GrpcEndpointName, endpoint =>
            {
                MarkListener(kestrel, endpoint, GrpcEndpointName);
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

    /// <summary>
    /// Every connection through this endpoint carries its name (<see cref="ListenerFeature"/>). The middleware runs
    /// first on the connection, before TLS (which the configuration loader adds after this callback) and HTTP, and
    /// the connection's features are what each request's features fall back to, on HTTP/1.1 and HTTP/2 alike.
    /// </summary>
    private static void MarkListener(Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions kestrel, EndpointConfiguration endpoint, string listener)
    {
        var feature = new ListenerFeature(listener);
        endpoint.ListenOptions.Use(next => connection =>
        {
            connection.Features.Set(feature);
            return next(connection);
        });
        kestrel.ApplicationServices.GetRequiredService<ListenerEndPoints>().Add(listener, endpoint.ListenOptions);
    }
}
