using System.Text;
using Microsoft.AspNetCore.Http;

namespace Verify.Server.Tests.Delivery.Providers;

/// <summary>Real <see cref="DefaultHttpContext"/>s as Kestrel would hand a receipt to an endpoint, with a readable response body.</summary>
internal static class ReceiptHttpContexts
{
    public static DefaultHttpContext Create(string method, string queryString, string? contentType = null, string body = "", IDictionary<string, string>? headers = null) =>
        Create(method, queryString, contentType, Encoding.UTF8.GetBytes(body), headers);

    public static DefaultHttpContext Create(string method, string queryString, string? contentType, byte[] body, IDictionary<string, string>? headers = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("verify.example.com");
        context.Request.Path = "/delivery/receipts/test-provider";
        context.Request.QueryString = new QueryString(queryString);
        context.Request.ContentType = contentType;
        context.Request.Body = new MemoryStream(body);
        context.Request.ContentLength = body.Length;
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            context.Request.Headers[name] = value;
        }

        context.Response.Body = new MemoryStream();
        return context;
    }

    public static string ResponseText(HttpContext context)
    {
        context.Response.Body.Position = 0;
        return new StreamReader(context.Response.Body).ReadToEnd();
    }
}
