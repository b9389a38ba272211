using System.Net;
using FluentValidation;

namespace Verify.Server.Security;

/// <summary>One caller's settings: hashes that are hashes, networks that parse, operations that exist.</summary>
internal sealed class CallerOptionsValidator : AbstractValidator<CallerOptions>
{
    public static readonly IReadOnlyDictionary<string, CallerOperation> OperationNames =
        Enum.GetValues<CallerOperation>().ToDictionary(o => o.ToString().ToLowerInvariant(), o => o, StringComparer.Ordinal);

    public CallerOptionsValidator()
    {
        RuleForEach(o => o.ApiKeyHashes)
            .Must(hash => hash.Length == 64 && hash.All(char.IsAsciiHexDigit))
            .WithMessage("must be the SHA-256 of the key as 64 hex digits (printf %s \"$KEY\" | sha256sum), never the key itself");
        RuleForEach(o => o.Networks)
            .Must(network => IPNetwork.TryParse(network, out _))
            .WithMessage("must be a network in CIDR form, e.g. 10.1.0.0/16 or 2001:db8::/32");
        RuleForEach(o => o.Operations)
            .Must(operation => operation == "*" || OperationNames.ContainsKey(operation))
            .WithMessage("must be start, check, get, cancel or *");
        RuleForEach(o => o.Purposes)
            .Must(purpose => purpose == Caller.AnyPurpose || (purpose.Length is > 0 and <= 32 && purpose.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '-')))
            .WithMessage("must be a purpose name or *");
    }
}
