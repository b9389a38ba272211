using System.Collections.Concurrent;
using Grpc.Core;
using Grpc.Net.Client;
using Verify.Benchmarks.Reference;
using Verify.V1;

namespace Verify.Benchmarks.Load;

/// <summary>
/// One kind of call over a fixed set of HTTP/2 connections, as a production client would make it: a deadline on every
/// call and the caller's API key. Returns the gRPC status instead of throwing, so the loops count every outcome.
/// </summary>
internal sealed class LoadTarget : IDisposable
{
    private static readonly Nothing Nothing = new();

    private readonly Operation _operation;
    private readonly string _purpose;
    private readonly TimeSpan _deadline;
    private readonly Metadata _headers;
    private readonly GrpcChannel[] _channels;
    private readonly VerificationService.VerificationServiceClient[] _verify;
    private readonly Reference.Reference.ReferenceClient[] _reference;
    private readonly CheckVerificationRequest _check;
    private readonly CheckVerificationRequest[] _wrongCodes;
    private readonly ConcurrentQueue<string>? _startedIds;
    private long _next;

    /// <param name="ids">WrongCode: the pending verifications to check, taken in turn.</param>
    /// <param name="startedIds">Start: receives the id of every verification started (for a later WrongCode run).</param>
    public LoadTarget(Uri address, Operation operation, int connections, string purpose, TimeSpan deadline, long firstNumber, string? apiKey,
        IReadOnlyList<string>? ids = null, ConcurrentQueue<string>? startedIds = null)
    {
        _operation = operation;
        _startedIds = startedIds;
        // A 6-digit code the verification's own is with probability 1e-6; such a call counts as OkUnexpected.
        _wrongCodes = [.. (ids ?? []).Select(id => new CheckVerificationRequest { VerificationId = id, Code = "000000" })];
        if (operation == Operation.WrongCode)
        {
            _next = -1;
            if (_wrongCodes.Length == 0)
            {
                throw new ArgumentException("--op wrongcode needs --ids FILE with at least one verification id");
            }
        }

        _purpose = purpose;
        _deadline = deadline;
        _next = firstNumber - 1;
        _headers = apiKey is null ? [] : new Metadata { { "authorization", "Bearer " + apiKey } };
        _channels = [.. Enumerable.Range(0, connections).Select(_ => GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            // One connection per channel; more only if a channel's streams run out, so no call waits in the client.
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
        }))];
        _verify = [.. _channels.Select(c => new VerificationService.VerificationServiceClient(c))];
        _reference = [.. _channels.Select(c => new Reference.Reference.ReferenceClient(c))];
        _check = new CheckVerificationRequest { PhoneNumber = PhoneNumbers.NeverStarted, Purpose = purpose, Code = "000000" };
    }

    public StatusCode Expected => _operation == Operation.Check ? StatusCode.NotFound : StatusCode.OK;

    /// <summary>WrongCode: how many ids the calls are spread over.</summary>
    public int IdCount => _wrongCodes.Length;

    /// <summary>The next start number's index; the last one used tells the script where the next run may begin.</summary>
    public long LastNumber => Interlocked.Read(ref _next);

    public async Task<StatusCode> CallAsync(long lane)
    {
        var connection = (int)(lane % _channels.Length);
        var options = new CallOptions(_headers, DateTime.UtcNow + _deadline);
        try
        {
            switch (_operation)
            {
                case Operation.Check:
                    await _verify[connection].CheckVerificationAsync(_check, options);
                    break;
                case Operation.Start:
                    var index = Interlocked.Increment(ref _next);
                    var started = await _verify[connection].StartVerificationAsync(
                        new StartVerificationRequest { PhoneNumber = PhoneNumbers.Distinct(index), Purpose = _purpose, ClientIp = PhoneNumbers.ClientIp(index) }, options);
                    _startedIds?.Enqueue(started.Verification.Id);
                    break;
                case Operation.WrongCode:
                    // In turn over the ids: the n-th call is the (n / ids)-th attempt on its id (the caller bounds n).
                    var request = _wrongCodes[Interlocked.Increment(ref _next) % _wrongCodes.Length];
                    var checkedResponse = await _verify[connection].CheckVerificationAsync(request, options);
                    if (checkedResponse.Valid || checkedResponse.Status != VerificationStatus.Pending)
                    {
                        return (StatusCode)Measurement.OkUnexpected;
                    }

                    break;
                case Operation.Empty:
                    await _reference[connection].EmptyAsync(Nothing, options);
                    break;
                default:
                    await _reference[connection].FloorAsync(Nothing, options);
                    break;
            }

            return StatusCode.OK;
        }
        catch (RpcException exception)
        {
            return exception.StatusCode;
        }
    }

    /// <summary>One call per connection before any timing, so connecting is not measured.</summary>
    public Task ConnectAsync() => Task.WhenAll(_channels.Select(c => c.ConnectAsync()));

    public void Dispose()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }
    }
}
