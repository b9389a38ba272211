using Verify.Admin.V1;
using Grpc.Core;
using Verify.Server.Admin;

namespace Verify.Server.Tests.Admin;

public sealed class AdminSubjectTests
{
    [Fact]
    public void Parse_PhoneNumber_IsTheParsedNumber()
    {
        var subject = Assert.IsType<AdminSubject.Number>(AdminSubject.Parse(new Subject { PhoneNumber = "+8613812345678" }));

        Assert.Equal("+8613812345678", subject.Phone.E164);
    }

    [Fact]
    public void Parse_Ip_IsCanonical()
    {
        Assert.Equal("1.2.3.4", Assert.IsType<AdminSubject.Ip>(AdminSubject.Parse(new Subject { ClientIp = "::ffff:1.2.3.4" })).Address);
    }

    [Theory]
    [InlineData("prefix", "+861381234")]
    [InlineData("country", "CN")]
    public void ParseBlock_PrefixOrCountry_Accepted(string scope, string key)
    {
        var parsed = AdminSubject.ParseBlock(scope, key);

        Assert.Equal((scope, key), (parsed.Scope.Name, parsed.Key));
    }

    [Theory]
    [InlineData("subject.phone_number", "not a number", null, null, null)]
    [InlineData("subject.client_ip", null, "example.com", null, null)]
    [InlineData("subject.prefix", null, null, "861381234", null)]
    [InlineData("subject.country", null, null, null, "china")]
    public void Parse_BadSubject_InvalidArgumentNamingTheField(string field, string? phone, string? ip, string? prefix, string? country)
    {
        var subject = new Subject();
        if (phone is not null) subject.PhoneNumber = phone;
        if (ip is not null) subject.ClientIp = ip;
        if (prefix is not null) subject.Prefix = prefix;
        if (country is not null) subject.Country = country;

        var exception = Assert.Throws<RpcException>(() => AdminSubject.Parse(subject));

        Assert.Equal(StatusCode.InvalidArgument, exception.StatusCode);
        Assert.Contains(field, exception.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NoSubject_InvalidArgument() =>
        Assert.Equal(StatusCode.InvalidArgument, Assert.Throws<RpcException>(() => AdminSubject.Parse(null)).StatusCode);

    [Fact]
    public void ParseBlock_OtherScope_InvalidArgument() =>
        Assert.Equal(StatusCode.InvalidArgument, Assert.Throws<RpcException>(() => AdminSubject.ParseBlock("caller", "svc")).StatusCode);
}
