using Verify.Server.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddVerifyHosting();
builder.Services.AddVerify(builder.Configuration, builder.Environment);

var app = builder.Build();
app.MapVerify();
app.Run();
