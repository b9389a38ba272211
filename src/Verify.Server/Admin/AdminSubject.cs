using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Verify.Server.Configuration;
using Verify.Delivery.Phones;
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
                return new Counter("prefix", ParsePrefix(subject.Prefix, "subject.prefix"));
            case Verify.Admin.V1.Subject.SubjectOneofCase.Country:
                return new Counter("country", ParseCountry(subject.Country, "subject.country"));
            default:
                throw Invalid("subject", "set one of phone_number, client_ip, prefix, country");
        }
    }

    public static (string Scope, string Key) ParseBlock(string scope, string key) => scope switch
    {
        "prefix" => (scope, ParsePrefix(key, "key")),
        "country" => (scope, ParseCountry(key, "key")),
        _ => throw Invalid("scope", "must be prefix or country"),
    };

    private static string ParsePrefix(string prefix, string field) =>
        prefix.Length is >= 4 and <= 15 && prefix[0] == '+' && prefix.Skip(1).All(char.IsAsciiDigit)
            ? prefix
            : throw Invalid(field, "must be a number in E.164 form less its last 4 digits, e.g. +861381234");

    private static string ParseCountry(string country, string field) =>
        PolicyOptionsValidator.IsCountryCode(country) ? country : throw Invalid(field, PolicyOptionsValidator.CountryCodeMessage);

    private static RpcException Invalid(string field, string description)
    {
        var status = new Google.Rpc.Status { Code = (int)Code.InvalidArgument, Message = $"Invalid request: {field} {description}" };
        status.Details.Add(Any.Pack(new BadRequest { FieldViolations = { new BadRequest.Types.FieldViolation { Field = field, Description = description } } }));
        return status.ToRpcException();
    }

    public sealed record Number(PhoneNumber Phone) : AdminSubject;

    public sealed record Ip(string Address) : AdminSubject;

    public sealed record Counter(string Scope, string Key) : AdminSubject;
}
