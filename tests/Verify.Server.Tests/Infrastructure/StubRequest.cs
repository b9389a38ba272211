using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace Verify.Server.Tests.Infrastructure;

/// <summary>A request a <see cref="StubHttpServer"/> took, as it came over the wire: the body's exact bytes, for signatures over them.</summary>
internal sealed record StubRequest(string Method, string Path, string QueryString, IReadOnlyDictionary<string, string> Headers, byte[] BodyBytes)
{
    /// <summary>The body as UTF-8 text.</summary>
    public string Body => Encoding.UTF8.GetString(BodyBytes);

    /// <summary>The query's fields, each values joined as a server would.</summary>
    public Dictionary<string, string> Query => QueryHelpers.ParseQuery(QueryString).ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);

    /// <summary>The body read as application/x-www-form-urlencoded, the way a server would.</summary>
    public Dictionary<string, StringValues> Form => new FormReader(Body).ReadForm();

    /// <summary>The single value of a form field, or null when absent.</summary>
    public string? Field(string name) => Form.TryGetValue(name, out var values) ? values.ToString() : null;
}
