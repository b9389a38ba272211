using Google.Protobuf;
using Google.Protobuf.Reflection;
using Verify.Grpc.Reflection.V1;

namespace Verify.Grpc.Reflection;

/// <summary>
/// Answers reflection requests from the files of the mapped services, their transitive
/// dependencies, and the extra files in the registry. One resolver per stream: a file already sent
/// on the stream is not sent again, as the protocol allows.
/// </summary>
internal sealed class ReflectionResolver
{
    private readonly GrpcServiceRegistry _registry;
    private readonly Dictionary<string, FileDescriptor> _filesByName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FileDescriptor> _filesBySymbol = new(StringComparer.Ordinal);
    private readonly HashSet<string> _messageTypes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _sentFiles = new(StringComparer.Ordinal);

    public ReflectionResolver(GrpcServiceRegistry registry)
    {
        _registry = registry;
        foreach (var service in registry.Services)
        {
            AddFile(service.File);
        }

        foreach (var file in registry.ExtraFiles)
        {
            AddFile(file);
        }
    }

    public ServerReflectionResponse Resolve(ServerReflectionRequest request)
    {
        var response = new ServerReflectionResponse { ValidHost = request.Host, OriginalRequest = request };
        switch (request.MessageRequestCase)
        {
            case ServerReflectionRequest.MessageRequestOneofCase.ListServices:
                var list = new ListServiceResponse();
                list.Service.AddRange(_registry.Services.Select(s => new ServiceResponse { Name = s.FullName }));
                response.ListServicesResponse = list;
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.FileByFilename:
                SetFileOrError(response, _filesByName.GetValueOrDefault(request.FileByFilename), $"File not found: {request.FileByFilename}");
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.FileContainingSymbol:
                SetFileOrError(response, _filesBySymbol.GetValueOrDefault(request.FileContainingSymbol), $"Symbol not found: {request.FileContainingSymbol}");
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.AllExtensionNumbersOfType:
                if (_messageTypes.Contains(request.AllExtensionNumbersOfType))
                {
                    // proto3 messages declare no extension ranges: the honest answer is an empty list.
                    response.AllExtensionNumbersResponse = new ExtensionNumberResponse { BaseTypeName = request.AllExtensionNumbersOfType };
                }
                else
                {
                    SetError(response, StatusCode.NotFound, $"Type not found: {request.AllExtensionNumbersOfType}");
                }

                break;
            case ServerReflectionRequest.MessageRequestOneofCase.FileContainingExtension:
                SetError(response, StatusCode.NotFound, $"Extension not found: {request.FileContainingExtension.ContainingType}({request.FileContainingExtension.ExtensionNumber})");
                break;
            default:
                SetError(response, StatusCode.Unimplemented, "Unsupported reflection request.");
                break;
        }

        return response;
    }

    private void SetFileOrError(ServerReflectionResponse response, FileDescriptor? file, string notFound)
    {
        if (file is null)
        {
            SetError(response, StatusCode.NotFound, notFound);
            return;
        }

        var files = new FileDescriptorResponse();
        AddWithDependencies(file, files.FileDescriptorProto, isRequested: true);
        response.FileDescriptorResponse = files;
    }

    private void AddWithDependencies(FileDescriptor file, Google.Protobuf.Collections.RepeatedField<ByteString> output, bool isRequested)
    {
        // The requested file always goes out; a dependency only once per stream.
        if (!_sentFiles.Add(file.Name) && !isRequested)
        {
            return;
        }

        output.Add(file.SerializedData);
        foreach (var dependency in file.Dependencies)
        {
            AddWithDependencies(dependency, output, isRequested: false);
        }
    }

    private static void SetError(ServerReflectionResponse response, StatusCode code, string message) =>
        response.ErrorResponse = new ErrorResponse { ErrorCode = (int)code, ErrorMessage = message };

    private void AddFile(FileDescriptor file)
    {
        if (!_filesByName.TryAdd(file.Name, file))
        {
            return;
        }

        foreach (var dependency in file.Dependencies)
        {
            AddFile(dependency);
        }

        foreach (var service in file.Services)
        {
            _filesBySymbol[service.FullName] = file;
            foreach (var method in service.Methods)
            {
                _filesBySymbol[method.FullName] = file;
            }
        }

        foreach (var message in file.MessageTypes)
        {
            AddMessage(file, message);
        }

        foreach (var enumType in file.EnumTypes)
        {
            AddEnum(file, enumType);
        }
    }

    private void AddMessage(FileDescriptor file, MessageDescriptor message)
    {
        _filesBySymbol[message.FullName] = file;
        _messageTypes.Add(message.FullName);
        foreach (var field in message.Fields.InDeclarationOrder())
        {
            _filesBySymbol[field.FullName] = file;
        }

        foreach (var nested in message.NestedTypes)
        {
            AddMessage(file, nested);
        }

        foreach (var enumType in message.EnumTypes)
        {
            AddEnum(file, enumType);
        }
    }

    private void AddEnum(FileDescriptor file, EnumDescriptor enumType)
    {
        _filesBySymbol[enumType.FullName] = file;
        foreach (var value in enumType.Values)
        {
            _filesBySymbol[value.FullName] = file;
        }
    }
}
