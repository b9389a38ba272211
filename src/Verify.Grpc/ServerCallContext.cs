using Microsoft.AspNetCore.Http;

namespace Verify.Grpc;

/// <summary>
/// What a handler knows of its call, shaped like grpc-dotnet's <c>Grpc.Core.ServerCallContext</c> so
/// that handlers move to Grpc.AspNetCore with a change of namespace.
/// </summary>
public abstract class ServerCallContext
{
    /// <summary>The full method name, e.g. <c>/verify.v1.VerificationService/StartVerification</c>.</summary>
    public abstract string Method { get; }

    public abstract string Host { get; }

    /// <summary>The peer, as <c>ipv4:1.2.3.4:5678</c> or <c>ipv6:[::1]:5678</c>.</summary>
    public abstract string Peer { get; }

    /// <summary>When the client gives up (UTC); <see cref="DateTime.MaxValue"/> when it sent no deadline.</summary>
    public abstract DateTime Deadline { get; }

    /// <summary>The client's metadata, less the headers that belong to the protocol.</summary>
    public abstract Metadata RequestHeaders { get; }

    /// <summary>Fires when the deadline passes or the client cancels.</summary>
    public abstract CancellationToken CancellationToken { get; }

    /// <summary>Trailers sent with the status at the end of the call.</summary>
    public abstract Metadata ResponseTrailers { get; }

    /// <summary>The status sent when the handler returns normally (OK unless set).</summary>
    public abstract Status Status { get; set; }

    /// <summary>The underlying ASP.NET Core request (connection, TLS certificate, services).</summary>
    public abstract HttpContext HttpContext { get; }

    /// <summary>Sends response headers now, before the first message; at most once.</summary>
    public abstract Task WriteResponseHeadersAsync(Metadata responseHeaders);
}
