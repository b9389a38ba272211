using Verify.Server.Delivery;
using Verify.Server.Delivery.Providers;

namespace Verify.Server.Hosting;

/// <summary>Delivery's registrations: the providers of <c>Verify:Delivery</c>, the router the engine sends through, and receipts.</summary>
internal static class DeliveryServiceCollectionExtensions
{
    public static IServiceCollection AddVerifyDelivery(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment, List<string> problems)
    {
        problems.AddRange(DeliveryCatalog.Build(configuration, environment.IsProduction(), DeliveryProviderTypes.All).Errors);

        foreach (var kind in DeliveryProviderTypes.All.Values)
        {
            services.AddSingleton(kind);
        }

        services.AddSingleton<DeliveryCatalog>();
        services.AddSingleton<DeliveryReceiptProcessor>();
        services.AddSingleton<IDeliveryReceiptSink>(serviceProvider => serviceProvider.GetRequiredService<DeliveryReceiptProcessor>());
        services.AddHttpClient(DeliveryHttp.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton<DeliveryProviders>();
        services.AddHostedService(serviceProvider => serviceProvider.GetRequiredService<DeliveryProviders>());
        services.AddSingleton<DeliveryRouter>();
        services.AddSingleton<ISmsSender>(serviceProvider => serviceProvider.GetRequiredService<DeliveryRouter>());
        return services;
    }

    /// <summary>
    /// <c>/delivery/receipts/{provider}</c>: each provider's receipts, GET or POST as it sends them. An
    /// unknown provider, or one without receipts, is 404.
    /// </summary>
    public static WebApplication MapDeliveryReceipts(this WebApplication app)
    {
        app.MapMethods("/delivery/receipts/{provider}", [HttpMethods.Get, HttpMethods.Post], async (HttpContext context, string provider, DeliveryProviders providers) =>
        {
            if (providers.ReceiptEndpoint(provider) is not { } endpoint)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            await endpoint.HandleAsync(context);
        });
        return app;
    }
}
