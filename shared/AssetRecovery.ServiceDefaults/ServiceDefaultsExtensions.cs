using System.Text.Json.Serialization;
using AssetRecovery.Messaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace AssetRecovery.ServiceDefaults;

public static class ServiceDefaultsExtensions
{
    private const string ReadyTag = "ready";

    /// <summary>The one wiring every service host uses; Program.cs adds only its own endpoints and handlers.</summary>
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder, ServiceDefinition service)
    {
        var services = builder.Services;
        services.AddSingleton(service);
        services.TryAddSingleton(TimeProvider.System);

        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        if (!builder.Environment.IsDevelopment()) builder.Logging.AddJsonConsole();

        services.ConfigureHttpJsonOptions(o =>
        {
            // The first converter that can handle a type wins: ours checks the value; the plain one stays so that
            // Swashbuckle still documents enums as names.
            o.SerializerOptions.Converters.Add(new DefinedEnumConverter());
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            o.SerializerOptions.Converters.Add(new NulCharacters.RefusingStringConverter());
        });
        services.AddHttpHardening(builder.Configuration);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            ctx.ProblemDetails.Instance ??= ctx.HttpContext.Request.Path;
            ctx.ProblemDetails.Extensions["traceId"] = System.Diagnostics.Activity.Current?.TraceId.ToString() ?? ctx.HttpContext.TraceIdentifier;
        });
        services.AddExceptionHandler<ProblemExceptionHandler>();

        services.AddRoleAuthentication(builder.Configuration, builder.Environment);
        services.AddOpenApiDocument(service);

        // The bus first: its hosted service starts before the event daemon that publishes through it.
        services.AddBus(builder.Configuration, service.Name, service.ConfigureBus);
        services.AddEventStore(builder.Configuration, service.Name, service.OwnEventsNamespace, store =>
        {
            store.Schema.For<IdempotencyRecord>();
            store.Schema.For<DataProtectionKey>();
            service.ConfigureMarten?.Invoke(store);
        });

        IdNumberProtection.AddTo(services, service.Name);
        services.Configure<RetentionOptions>(builder.Configuration.GetSection(RetentionOptions.Section));
        services.AddHostedService<RetentionService>();
        services.AddSingleton(provider => provider.GetServices<IHostedService>().OfType<RetentionService>().Single());
        service.ConfigureServices?.Invoke(services, builder.Configuration);

        services.AddHealthChecks()
            .AddCheck<PostgresHealthCheck>("postgresql", tags: [ReadyTag]);

        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService($"assetrecovery-{service.Name}"))
            .WithTracing(t => t
                .AddAspNetCoreInstrumentation(o =>
                {
                    o.Filter = http => !http.Request.Path.StartsWithSegments("/health");
                    // Traces leave the service too: the path is recorded with account numbers masked.
                    o.EnrichWithHttpRequest = (activity, request) => activity.SetTag("url.path", SensitiveData.Mask(request.Path.Value));
                })
                .AddHttpClientInstrumentation()
                .AddSource("MassTransit")
                .AddSource("Marten"))
            .WithMetrics(m => m
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("MassTransit")
                .AddMeter("Marten")
                .AddMeter(AssetRecovery.Messaging.Idempotency.InboxMetrics.MeterName));
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            services.AddOpenTelemetry().UseOtlpExporter();

        return builder;
    }

    /// <summary>Health, OpenAPI, Swagger UI, hardening, auth and error handling, in the order they must run.</summary>
    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.UseSecurityHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRequestBodyLimits();
        app.UseNulRefusal();
        app.UseSwagger();
        app.UseSwaggerUI(o => o.DocumentTitle = app.Services.GetRequiredService<ServiceDefinition>().Title);
        app.UseAuthentication();
        app.UseLiaisonBankCodeRule();
        // After authentication, so that a client is counted by its token's subject.
        app.UseRateLimiter();
        app.UseAuthorization();

        // Live: the process answers. Ready: PostgreSQL and RabbitMQ are reachable.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResultStatusCodes = { [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable },
        }).AllowAnonymous();
        return app;
    }
}
