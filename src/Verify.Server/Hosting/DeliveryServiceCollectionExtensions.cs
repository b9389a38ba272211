using Microsoft.AspNetCore.Http.Features;
using Verify.Delivery;
using Verify.Delivery.Providers;
using Verify.Server.Verification;
using Verify.Engine.Verification;

namespace Verify.Server.Hosting;

/// <summary>Delivery's registrations: the providers of <c>Verify:Delivery</c>, the router the engine sends through, and receipts.</summary>
internal static class DeliveryServiceCollectionExtensions
{
    public static IServiceCollection AddVerifyDelivery(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment, List<string> problems)
    {
        problems.AddRange(DeliveryCatalog.Build(configuration, !environment.IsDevelopment(), DeliveryProviderTypes.All).Errors);

        foreach (var kind in DeliveryProviderTypes.All.Values)
        {
            services.AddSingleton(kind);
        }

        services.AddSingleton<DeliveryCatalog>();
        services.AddSingleton<DeliveryReceiptProcessor>();
        services.AddSingleton<IDeliveryReceiptSink>(serviceProvider => serviceProvider.GetRequiredService<DeliveryReceiptProcessor>());
        // Delivery logs each attempt itself, with the number masked. The factory's own handlers would log each
        // request's URI (where some providers carry the destination number or a credential) and open a log
        // scope per request even when nothing is logged.
        services.AddHttpClient(DeliveryHttp.ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan).RemoveAllLoggers();
        services.AddSingleton<DeliveryProviders>();
        services.AddHostedService(serviceProvider => serviceProvider.GetRequiredService<DeliveryProviders>());
        services.AddSingleton<DeliveryRouter>();
        services.AddSingleton<ISmsSender>(serviceProvider => serviceProvider.GetRequiredService<DeliveryRouter>());
        return services;
    }

    /// <summary>
    /// The most a receipt request may carry: providers post a few reports at a time (Aliyun and Tencent
    /// batch up to a few hundred, well under this), and the path is open to the internet.
    /// </summary>
    public const long MaxReceiptBodyBytes = 256 * 1024;

    /// <summary>
    /// <c>/delivery/receipts/{provider}</c>: each provider's receipts, GET or POST as it sends them. An
    /// unknown provider, or one without receipts, is 404; a body over <see cref="MaxReceiptBodyBytes"/> is 413.
    /// </summary>
    public static IEndpointRouteBuilder MapDeliveryReceipts(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/delivery/receipts/{provider}", [HttpMethods.Get, HttpMethods.Post], async (HttpContext context, string provider, DeliveryProviders providers) =>
        {
            if (providers.ReceiptEndpoint(provider) is not { } endpoint)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            if (context.Request.ContentLength > MaxReceiptBodyBytes)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                return;
            }

            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = MaxReceiptBodyBytes;
            }

            try
            {
                await endpoint.HandleAsync(context);
            }
            catch (BadHttpRequestException exception) when (!context.Response.HasStarted)
            {
                // A chunked body over the limit, or one cut short: the endpoint read nothing it applied.
                context.Response.StatusCode = exception.StatusCode;
            }
        });
        return app;
    }
}
