# One multi-stage Dockerfile for every AssetRecovery service. The services are built the same way and differ only in
# their project, assembly and port, so docker-compose.yml builds each service from this file with its own build args
# (the "Dockerfile per service" is this file parameterised per service, rather than four copies of it):
#
#   docker build -f deploy/docker/Service.Dockerfile \
#     --build-arg SERVICE_PROJECT=services/freeze/AssetRecovery.Freeze.Api/AssetRecovery.Freeze.Api.csproj \
#     --build-arg SERVICE_DLL=AssetRecovery.Freeze.Api.dll --build-arg PORT=5101 -t assetrecovery/freeze .
#
# The build context is the repository root (see .dockerignore).

# --- Restore inputs: only the files that restore reads (solution, project files, props/targets, NuGet and SDK
# configuration, build/ with restore.sh and the DistributedLock stand-in). This stage reruns on every source change,
# but its output only changes when one of those files changes, so the restore layer below stays cached otherwise.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS restore-inputs
WORKDIR /src
COPY . .
RUN mkdir -p /inputs \
 && find . -path ./build -prune -o -type f \( -name '*.sln' -o -name '*.slnx' -o -name '*.csproj' -o -name '*.props' \
      -o -name '*.targets' -o -iname 'nuget.config' -o -name 'global.json' -o -name 'packages.lock.json' \) \
      -exec cp --parents {} /inputs/ \; \
 && cp -r build /inputs/build

# --- Build: restore the whole solution (build/restore.sh falls back to the DistributedLock stand-in where the
# registry lacks Patched.DistributedLock.Core), then publish the one service.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    DOTNET_NOLOGO=1
WORKDIR /src
COPY --from=restore-inputs /inputs/ ./
RUN bash build/restore.sh
COPY . .
# Declared after the restore so that all services share one cached restore layer.
ARG SERVICE_PROJECT
RUN test -n "$SERVICE_PROJECT" || { echo "build arg SERVICE_PROJECT (path of the service's .csproj) is required" >&2; exit 1; } \
 && dotnet publish "$SERVICE_PROJECT" -c Release --no-restore -o /app -p:UseAppHost=false

# --- Runtime
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
ARG SERVICE_DLL
ARG PORT=8080
WORKDIR /app
COPY --from=build /app ./
RUN test -n "$SERVICE_DLL" && test -f "/app/$SERVICE_DLL" \
    || { echo "build arg SERVICE_DLL must name the published assembly (got '$SERVICE_DLL')" >&2; exit 1; }
# ASPNETCORE_URLS decides the binding; the image's default ASPNETCORE_HTTP_PORTS=8080 is cleared so that Kestrel does
# not warn about overriding it. DOTNET_GCgen0size: a 32 MB gen0 budget whatever L3 cache the host reports (deploy/run.sh
# says why; a runtimeconfig setting does not reach it).
ENV SERVICE_DLL=${SERVICE_DLL} \
    ASPNETCORE_URLS=http://+:${PORT} \
    ASPNETCORE_HTTP_PORTS="" \
    DOTNET_GCgen0size=0x2000000
EXPOSE ${PORT}
# Non-root user that the aspnet image provides. No HEALTHCHECK here (the image has no curl); probe /health/live and
# /health/ready from the orchestrator.
USER app
ENTRYPOINT ["/bin/sh", "-c", "exec dotnet \"/app/$SERVICE_DLL\" \"$@\"", "--"]
