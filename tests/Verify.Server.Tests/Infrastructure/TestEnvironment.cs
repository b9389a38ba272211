using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace Verify.Server.Tests.Infrastructure;

/// <summary>A host environment by name, for code that behaves differently outside Development.</summary>
internal sealed class TestEnvironment : IHostEnvironment
{
    public static readonly TestEnvironment Development = new();

    public string EnvironmentName { get; set; } = Environments.Development;

    public string ApplicationName { get; set; } = "Verify.Server";

    public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

    public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
}
