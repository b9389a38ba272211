using Google.Protobuf;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Verify.Grpc.Health;
using Verify.Grpc.InteropHost.V1;
using ServingStatus = Verify.Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Verify.Grpc.InteropHost;

/// <summary>The test service: each method exercises one part of the protocol.</summary>
public sealed class InteropService(GrpcHealthStatus health, TimeProvider timeProvider) : IGrpcService<InteropService>
{
    /// <summary>Put in the exception of <c>Fail</c> with throw_unexpected, so tests can show it never reaches a client.</summary>
    public const string InternalSecret = "internal-secret-do-not-leak";

    private long _cancellationsObserved;
    private long _sleepsCompleted;

    public static ServiceDescriptor Descriptor => InteropReflection.Descriptor.Services[0];

    public static void BindService(GrpcServiceBinder<InteropService> binder) => binder
        .AddUnaryMethod<EchoRequest, EchoResponse>("Echo", (s, r, c) => s.EchoAsync(r, c))
        .AddUnaryMethod<FailRequest, Empty>("Fail", (s, r, c) => Fail(r))
        .AddUnaryMethod<SleepRequest, Empty>("Sleep", (s, r, c) => s.SleepAsync(r, c))
        .AddServerStreamingMethod<StreamRequest, EchoResponse>("ServerStream", (s, r, w, c) => s.ServerStreamAsync(r, w, c))
        .AddDuplexStreamingMethod<EchoRequest, EchoResponse>("Bidi", (s, r, w, c) => BidiAsync(r, w, c))
        .AddClientStreamingMethod<EchoRequest, EchoResponse>("ClientStream", (s, r, c) => ClientStreamAsync(r, c))
        .AddUnaryMethod<Empty, Stats>("GetStats", (s, r, c) => Task.FromResult(s.GetStats()))
        .AddUnaryMethod<SetHealthRequest, Empty>("SetHealth", (s, r, c) => Task.FromResult(s.SetHealth(r)))
        .AddUnaryMethod<Empty, Empty>("Empty", (s, r, c) => Task.FromResult(r));

    private async Task<EchoResponse> EchoAsync(EchoRequest request, ServerCallContext context)
    {
        var headers = new Metadata();
        foreach (var entry in context.RequestHeaders)
        {
            if (!entry.Key.StartsWith("x-echo-", StringComparison.Ordinal))
            {
                continue;
            }

            headers.Add(entry);
            context.ResponseTrailers.Add(entry.IsBinary
                ? new MetadataEntry("x-echo-trailer-bin", entry.ValueBytes)
                : new MetadataEntry(entry.Key + "-trailer", entry.Value));
        }

        if (headers.Count > 0)
        {
            await context.WriteResponseHeadersAsync(headers);
        }

        return new EchoResponse
        {
            Message = request.Message,
            Payload = request.ResponsePayloadSize > 0
                ? ByteString.CopyFrom(Enumerable.Repeat((byte)'a', request.ResponsePayloadSize).ToArray())
                : request.Payload,
        };
    }

    private static Task<Empty> Fail(FailRequest request)
    {
        if (request.ThrowUnexpected)
        {
            throw new InvalidOperationException(InternalSecret);
        }

        var status = new Google.Rpc.Status { Code = request.Code, Message = request.Message };
        foreach (var kind in request.Details)
        {
            status.Details.Add(kind switch
            {
                "bad_request" => Any.Pack(new BadRequest
                {
                    FieldViolations = { new BadRequest.Types.FieldViolation { Field = "phone_number", Description = "must be E.164" } },
                }),
                "retry_info" => Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromSeconds(42)) }),
                "quota_failure" => Any.Pack(new QuotaFailure
                {
                    Violations = { new QuotaFailure.Types.Violation { Subject = "phone:hour", Description = "5 per hour" } },
                }),
                // CommonProtos 2.0.0 calls field 1 of ErrorInfo "type"; newer googleapis call it "reason" (same number).
                "error_info" => Any.Pack(new ErrorInfo { Type = "TEST_REASON", Domain = "verify.test", Metadata = { ["k"] = "v" } }),
                "precondition_failure" => Any.Pack(new PreconditionFailure
                {
                    Violations = { new PreconditionFailure.Types.Violation { Type = "TOS", Subject = "verify.test", Description = "locked" } },
                }),
                _ => throw new RpcException(new Status(StatusCode.InvalidArgument, $"Unknown detail kind '{kind}'.")),
            });
        }

        throw status.ToRpcException();
    }

    private async Task<Empty> SleepAsync(SleepRequest request, ServerCallContext context)
    {
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(request.Milliseconds), timeProvider, context.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            Interlocked.Increment(ref _cancellationsObserved);
            throw;
        }

        Interlocked.Increment(ref _sleepsCompleted);
        return new Empty();
    }

    private async Task ServerStreamAsync(StreamRequest request, IServerStreamWriter<EchoResponse> writer, ServerCallContext context)
    {
        for (var i = 0; i < request.Count; i++)
        {
            if (i > 0 && request.IntervalMs > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(request.IntervalMs), timeProvider, context.CancellationToken);
            }

            await writer.WriteAsync(new EchoResponse { Message = i.ToString(System.Globalization.CultureInfo.InvariantCulture) }, context.CancellationToken);
        }
    }

    private static async Task BidiAsync(IAsyncStreamReader<EchoRequest> requests, IServerStreamWriter<EchoResponse> responses, ServerCallContext context)
    {
        while (await requests.MoveNext(context.CancellationToken))
        {
            await responses.WriteAsync(new EchoResponse { Message = requests.Current.Message, Payload = requests.Current.Payload }, context.CancellationToken);
        }
    }

    private static async Task<EchoResponse> ClientStreamAsync(IAsyncStreamReader<EchoRequest> requests, ServerCallContext context)
    {
        var parts = new List<string>();
        while (await requests.MoveNext(context.CancellationToken))
        {
            parts.Add(requests.Current.Message);
        }

        return new EchoResponse { Message = string.Join(",", parts) };
    }

    private Stats GetStats() => new()
    {
        CancellationsObserved = Interlocked.Read(ref _cancellationsObserved),
        SleepsCompleted = Interlocked.Read(ref _sleepsCompleted),
    };

    private Empty SetHealth(SetHealthRequest request)
    {
        if (request.Status == 0)
        {
            health.ClearStatus(request.Service);
        }
        else
        {
            health.SetStatus(request.Service, (ServingStatus)request.Status);
        }

        return new Empty();
    }
}
