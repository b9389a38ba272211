using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace Verify.Server.Tests.Delivery.Providers;

/// <summary>A request a <see cref="RecordingHttpServer"/> took, as it came over the wire.</summary>
internal sealed record RecordedRequest(string Method, string Path, string QueryString, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>The body read as application/x-www-form-urlencoded, the way a server would.</summary>
    public Dictionary<string, StringValues> Form => new FormReader(Body).ReadForm();

    /// <summary>The single value of a form field, or null when absent.</summary>
    public string? Field(string name) => Form.TryGetValue(name, out var values) ? values.ToString() : null;
}
