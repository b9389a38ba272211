# Verify as a container: build with the .NET SDK, run on the ASP.NET runtime as a non-root user.
# Production needs Verify:Hashing keys, Verify:Redis:Configuration, Verify:Delivery:Webhook:Url and Verify:Callers
# (environment variables: Verify__Hashing__ActiveKeyId, Verify__Hashing__Keys__<id>, ...); see README.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props Verify.sln ./
COPY protos/ protos/
COPY src/ src/
RUN dotnet publish src/Verify.Server/Verify.Server.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app ./
# Inside a container the endpoints listen on every interface; the platform decides who reaches them.
ENV Kestrel__Endpoints__Grpc__Url=http://0.0.0.0:50051 \
    Kestrel__Endpoints__Http__Url=http://0.0.0.0:8080 \
    Kestrel__Endpoints__Management__Url=http://0.0.0.0:8081 \
    ASPNETCORE_ENVIRONMENT=Production
EXPOSE 50051 8080 8081
USER $APP_UID
# 8080 (Http) serves only providers' receipts; 8081 (Management) serves GET /healthz (live), /readyz (store
# reachable) and /metrics: publish it to the platform only. grpc.health.v1 answers on the Grpc endpoint.
ENTRYPOINT ["dotnet", "Verify.Server.dll"]
