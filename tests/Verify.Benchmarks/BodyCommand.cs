using System.Buffers.Binary;
using Google.Protobuf;
using Verify.Benchmarks.Load;
using Verify.Benchmarks.Reference;
using Verify.V1;

namespace Verify.Benchmarks;

/// <summary>Writes one gRPC length-prefixed message (not compressed) for h2load to send on every call.</summary>
internal static class BodyCommand
{
    public static int Run(Arguments arguments)
    {
        var op = Enum.Parse<Operation>(arguments.String("op"), ignoreCase: true);
        var path = arguments.String("out");
        var purpose = arguments.String("purpose", "login");
        arguments.EnsureAllRead();

        IMessage message = op switch
        {
            Operation.Check => new CheckVerificationRequest { PhoneNumber = PhoneNumbers.NeverStarted, Purpose = purpose, Code = "000000" },
            Operation.Empty or Operation.Floor => new Nothing(),
            _ => throw new ArgumentException("h2load repeats one body: --op is check, empty or floor (a start needs distinct numbers: use load)"),
        };

        var payload = message.ToByteArray();
        var frame = new byte[5 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(frame, 5);
        File.WriteAllBytes(path, frame);
        return 0;
    }
}
