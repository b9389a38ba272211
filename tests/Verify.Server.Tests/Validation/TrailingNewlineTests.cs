using Verify.Server.Tests.Infrastructure;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Verify.Engine.Configuration;
using Verify.Server.Validation;
using Verify.V1;

namespace Verify.Server.Tests.Validation;

/// <summary>
/// A regular expression's <c>$</c> also matches before a final newline: every string field of every request, with a
/// valid value and a newline after it, is refused and named (issue 12, point 10). The fields come from the
/// messages' descriptors, so a field added later is covered without touching this test.
/// </summary>
public sealed class TrailingNewlineTests : IDisposable
{
    private const string Id = "VE0123456789abcdef0123456789abcdef";
    private static readonly Transaction Payment = new() { Amount = "25.00", Currency = "EUR", Payee = "Shop" };
    private readonly PolicyCatalog _policies = new(new ConfigurationBuilder().Build(), NullLogger<PolicyCatalog>.Instance, TestEnvironment.Development);

    public void Dispose() => _policies.Dispose();

    public static TheoryData<string, string> Fields()
    {
        var data = new TheoryData<string, string>();
        foreach (var (name, request) in ValidRequests())
        {
            foreach (var path in StringFieldPaths(request.Descriptor, prefix: ""))
            {
                if (Read(request, path).Length > 0)
                {
                    data.Add(name, path);
                }
            }
        }

        return data;
    }

    [Fact]
    public void ValidRequests_AreValid_AndSetEveryStringFieldOfTheirMessageBetweenThem()
    {
        foreach (var group in ValidRequests().GroupBy(r => r.Request.Descriptor))
        {
            foreach (var (name, request) in group)
            {
                Assert.Empty(Validate(name, request));
            }

            foreach (var path in StringFieldPaths(group.Key, prefix: ""))
            {
                Assert.True(group.Any(r => Read(r.Request, path).Length > 0), $"{group.Key.Name}.{path} is never tried");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Fields))]
    public void Validate_ValidValueWithATrailingNewline_IsRefusedOnThatField(string request, string field)
    {
        var message = ValidRequests().Single(r => r.Name == request).Request;
        Write(message, field, Read(message, field) + "\n");

        var violations = Validate(request, message);

        Assert.Contains(violations, v => v == field || (field.StartsWith(v + ".", StringComparison.Ordinal) && v.Length > 0));
    }

    private static IEnumerable<(string Name, IMessage Request)> ValidRequests()
    {
        yield return ("StartVerificationRequest login", new StartVerificationRequest
        {
            PhoneNumber = "+8613812345678", Purpose = "login", Locale = "zh-CN", ClientIp = "2001:db8::1", IdempotencyKey = "order-42",
        });
        yield return ("StartVerificationRequest payment", new StartVerificationRequest { PhoneNumber = "+8613812345678", Purpose = "payment", Transaction = Payment.Clone() });
        yield return ("CheckVerificationRequest by-id", new CheckVerificationRequest { VerificationId = Id, Code = "123456", ClientIp = "192.0.2.1", Transaction = Payment.Clone() });
        yield return ("CheckVerificationRequest by-phone", new CheckVerificationRequest { PhoneNumber = "+8613812345678", Purpose = "login", Code = "123456" });
        yield return ("GetVerificationRequest", new GetVerificationRequest { VerificationId = Id });
        yield return ("CancelVerificationRequest", new CancelVerificationRequest { VerificationId = Id });
    }

    private static IEnumerable<string> StringFieldPaths(MessageDescriptor descriptor, string prefix)
    {
        foreach (var field in descriptor.Fields.InFieldNumberOrder())
        {
            if (field.FieldType == FieldType.String && !field.IsRepeated)
            {
                yield return prefix + field.Name;
            }
            else if (field.FieldType == FieldType.Message && !field.IsRepeated)
            {
                foreach (var nested in StringFieldPaths(field.MessageType, prefix + field.Name + "."))
                {
                    yield return nested;
                }
            }
        }
    }

    private static string Read(IMessage message, string path)
    {
        var (owner, field) = Resolve(message, path);
        return owner is null ? "" : (string)field.Accessor.GetValue(owner);
    }

    private static void Write(IMessage message, string path, string value)
    {
        var (owner, field) = Resolve(message, path);
        field.Accessor.SetValue(owner!, value);
    }

    private static (IMessage? Owner, FieldDescriptor Field) Resolve(IMessage message, string path)
    {
        var parts = path.Split('.');
        IMessage? owner = message;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            owner = (IMessage?)owner!.Descriptor.FindFieldByName(parts[i]).Accessor.GetValue(owner);
            if (owner is null)
            {
                return (null, message.Descriptor.FindFieldByName(parts[0]));
            }
        }

        return (owner, owner!.Descriptor.FindFieldByName(parts[^1]));
    }

    private string[] Validate(string name, IMessage request)
    {
        var result = request switch
        {
            StartVerificationRequest start => new StartVerificationRequestValidator(_policies).Validate(start),
            CheckVerificationRequest check => new CheckVerificationRequestValidator(_policies).Validate(check),
            GetVerificationRequest get => new GetVerificationRequestValidator().Validate(get),
            CancelVerificationRequest cancel => new CancelVerificationRequestValidator().Validate(cancel),
            _ => throw new ArgumentException($"no validator for {name}"),
        };
        return result.Errors.Select(e => e.PropertyName).ToArray();
    }
}
