using FluentValidation;

namespace Verify.Delivery.Providers;

/// <summary>The rules a provider's <c>BaseUrl</c> follows: credentials and codes only travel over TLS.</summary>
internal static class BaseUrlRules
{
    /// <summary>An absolute https URL; http only to a loopback address, where tests stand in a local server.</summary>
    public static IRuleBuilderOptions<T, TUrl> HttpsOrLoopbackHttp<T, TUrl>(this IRuleBuilder<T, TUrl> rule)
        where TUrl : Uri? =>
        rule.Must(url => IsHttpsOrLoopbackHttp(url));

    /// <summary>As <see cref="HttpsOrLoopbackHttp{T, TUrl}"/>, and scheme and host only: the sender appends the API's own path.</summary>
    public static IRuleBuilderOptions<T, TUrl> HttpsOrLoopbackHttpRoot<T, TUrl>(this IRuleBuilder<T, TUrl> rule)
        where TUrl : Uri? =>
        rule.Must(url => IsHttpsOrLoopbackHttp(url) && string.IsNullOrEmpty(url!.Query) && url.AbsolutePath == "/");

    /// <summary>An absolute https URL without a query, for providers whose hosts differ per account or region.</summary>
    public static IRuleBuilderOptions<T, TUrl> HttpsWithoutQuery<T, TUrl>(this IRuleBuilder<T, TUrl> rule)
        where TUrl : Uri? =>
        rule.Must(url => url is { IsAbsoluteUri: true } && url.Scheme == Uri.UriSchemeHttps && string.IsNullOrEmpty(url.Query));

    private static bool IsHttpsOrLoopbackHttp(Uri? url) =>
        url is { IsAbsoluteUri: true } && (url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback));
}
