using Google.Protobuf;
using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Verify.Grpc.Internal;

namespace Verify.Grpc;

/// <summary>
/// Maps the methods of one service to handlers. Every method is checked against the service's
/// descriptor when it is bound, so a misspelt name, a wrong message type or a wrong streaming kind
/// fails at start, not at the first call.
/// </summary>
public sealed class GrpcServiceBinder<TService>
    where TService : class
{
    private readonly ServiceDescriptor _service;
    private readonly GrpcServiceActivator<TService> _activator;
    private readonly GrpcServiceOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly List<(string Path, RequestDelegate Handler)> _methods = [];

    internal GrpcServiceBinder(
        ServiceDescriptor service, GrpcServiceActivator<TService> activator, GrpcServiceOptions options, ILogger logger, TimeProvider timeProvider)
    {
        _service = service;
        _activator = activator;
        _options = options;
        _logger = logger;
        _timeProvider = timeProvider;
    }

    internal IReadOnlyList<(string Path, RequestDelegate Handler)> Methods => _methods;

    public GrpcServiceBinder<TService> AddUnaryMethod<TRequest, TResponse>(
        string name, Func<TService, TRequest, ServerCallContext, Task<TResponse>> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        var method = Describe<TRequest, TResponse>(name, clientStreaming: false, serverStreaming: false);
        return Add(method, new UnaryServerCallHandler<TService, TRequest, TResponse>(method, _activator, handler, _options, _logger, _timeProvider));
    }

    public GrpcServiceBinder<TService> AddServerStreamingMethod<TRequest, TResponse>(
        string name, Func<TService, TRequest, IServerStreamWriter<TResponse>, ServerCallContext, Task> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        var method = Describe<TRequest, TResponse>(name, clientStreaming: false, serverStreaming: true);
        return Add(method, new ServerStreamingServerCallHandler<TService, TRequest, TResponse>(method, _activator, handler, _options, _logger, _timeProvider));
    }

    public GrpcServiceBinder<TService> AddClientStreamingMethod<TRequest, TResponse>(
        string name, Func<TService, IAsyncStreamReader<TRequest>, ServerCallContext, Task<TResponse>> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        var method = Describe<TRequest, TResponse>(name, clientStreaming: true, serverStreaming: false);
        return Add(method, new ClientStreamingServerCallHandler<TService, TRequest, TResponse>(method, _activator, handler, _options, _logger, _timeProvider));
    }

    public GrpcServiceBinder<TService> AddDuplexStreamingMethod<TRequest, TResponse>(
        string name, Func<TService, IAsyncStreamReader<TRequest>, IServerStreamWriter<TResponse>, ServerCallContext, Task> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        var method = Describe<TRequest, TResponse>(name, clientStreaming: true, serverStreaming: true);
        return Add(method, new DuplexStreamingServerCallHandler<TService, TRequest, TResponse>(method, _activator, handler, _options, _logger, _timeProvider));
    }

    private GrpcServiceBinder<TService> Add(GrpcMethodDescription method, ServerCallHandler handler)
    {
        if (_methods.Exists(m => m.Path == method.Path))
        {
            throw new InvalidOperationException($"Method {method.Path} is bound twice.");
        }

        _methods.Add((method.Path, handler.HandleCallAsync));
        return this;
    }

    private GrpcMethodDescription Describe<TRequest, TResponse>(string name, bool clientStreaming, bool serverStreaming)
        where TRequest : IMessage<TRequest>, new()
        where TResponse : IMessage<TResponse>, new()
    {
        var descriptor = _service.FindMethodByName(name)
            ?? throw new InvalidOperationException($"Service {_service.FullName} has no method '{name}'.");
        var requestType = new TRequest().Descriptor;
        var responseType = new TResponse().Descriptor;
        if (descriptor.InputType.FullName != requestType.FullName || descriptor.OutputType.FullName != responseType.FullName)
        {
            throw new InvalidOperationException(
                $"{_service.FullName}/{name} takes {descriptor.InputType.FullName} and returns {descriptor.OutputType.FullName}, " +
                $"not {requestType.FullName} and {responseType.FullName}.");
        }

        if (descriptor.IsClientStreaming != clientStreaming || descriptor.IsServerStreaming != serverStreaming)
        {
            throw new InvalidOperationException($"{_service.FullName}/{name} is bound with the wrong streaming kind.");
        }

        return new GrpcMethodDescription(descriptor);
    }
}
