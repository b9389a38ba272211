namespace Verify.Server.Security;

/// <summary>How callers prove who they are, <c>Verify:Authentication</c>.</summary>
internal sealed class AuthenticationOptions
{
    public const string SectionName = "Verify:Authentication";

    /// <summary>Whether calls must carry credentials. Defaults to true, except in Development.</summary>
    public bool? Enabled { get; set; }

    /// <summary>
    /// PEM file of the certificate authorities whose client certificates name callers (mutual TLS on
    /// the Grpc endpoint). Defaults to none: API keys only.
    /// </summary>
    public string? ClientCertificateAuthorityPath { get; set; }
}
