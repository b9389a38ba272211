using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Verify.Delivery.Phones;
using Verify.Engine.Limits;
using Verify.Server.Validation;

namespace Verify.Server.Admin;

/// <summary>What an admin call is about, validated: a number, a client IP, or a counter (prefix or country).</summary>
internal abstract record AdminSubject
{
    private AdminSubject()
    {
    }

    public static AdminSubject Parse(Verify.Admin.V1.Subject? subject)
    {
        switch (subject?.SubjectCase)
        {
            case Verify.Admin.V1.Subject.SubjectOneofCase.PhoneNumber:
                return PhoneNumberParser.TryParse(subject.PhoneNumber, out var phone, out var error)
                    ? new Number(phone)
                    : throw Invalid("subject.phone_number", error);
            case Verify.Admin.V1.Subject.SubjectOneofCase.ClientIp:
                return FieldRules.IsIpAddress(subject.ClientIp)
                    ? new Ip(FieldRules.CanonicalIp(subject.ClientIp))
                    : throw Invalid("subject.client_ip", "must be a literal IPv4 or IPv6 address");
            case Verify.Admin.V1.Subject.SubjectOneofCase.Prefix:
                return new Counter(LimitScope.Prefix, ParseKey(LimitScope.Prefix, subject.Prefix, "subject.prefix"));
            case Verify.Admin.V1.Subject.SubjectOneofCase.Country:
                return new Counter(LimitScope.Country, ParseKey(LimitScope.Country, subject.Country, "subject.country"));
            default:
                throw Invalid("subject", "set one of phone_number, client_ip, prefix, country");
        }
    }

    /// <summary>Whose personal data an erasure is about: a number or a client IP (e-mail and TOTP subjects do not exist yet).</summary>
    public static AdminSubject ParseErasure(Verify.Admin.V1.ErasePersonalDataRequest request) =>
        request.SubjectCase switch
        {
            Verify.Admin.V1.ErasePersonalDataRequest.SubjectOneofCase.PhoneNumber =>
                PhoneNumberParser.TryParse(request.PhoneNumber, out var phone, out var error) ? new Number(phone) : throw Invalid("phone_number", error),
            Verify.Admin.V1.ErasePersonalDataRequest.SubjectOneofCase.ClientIp =>
                FieldRules.IsIpAddress(request.ClientIp) ? new Ip(FieldRules.CanonicalIp(request.ClientIp)) : throw Invalid("client_ip", "must be a literal IPv4 or IPv6 address"),
            _ => throw Invalid("subject", "set one of phone_number, client_ip"),
        };

    /// <summary>What an unblock names: a scope the pumping guard blocks, and a key of it.</summary>
    public static (LimitScope Scope, string Key) ParseBlock(string scope, string key) =>
        LimitScope.TryParse(scope, out var parsed) && parsed.IsPumpingGuarded && parsed.TakesAdminKey
            ? (parsed, ParseKey(parsed, key, "key"))
            : throw Invalid("scope", "must be prefix or country");

    private static string ParseKey(LimitScope scope, string key, string field) =>
        scope.KeyProblem(key) is { } problem ? throw Invalid(field, problem) : key;

    private static RpcException Invalid(string field, string description)
    {
        var status = new Google.Rpc.Status { Code = (int)Code.InvalidArgument, Message = $"Invalid request: {field} {description}" };
        status.Details.Add(Any.Pack(new BadRequest { FieldViolations = { new BadRequest.Types.FieldViolation { Field = field, Description = description } } }));
        return status.ToRpcException();
    }

    public sealed record Number(PhoneNumber Phone) : AdminSubject;

    public sealed record Ip(string Address) : AdminSubject;

    public sealed record Counter(LimitScope Scope, string Key) : AdminSubject;
}
