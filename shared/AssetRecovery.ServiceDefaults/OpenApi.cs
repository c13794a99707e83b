using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace AssetRecovery.ServiceDefaults;

internal static class OpenApi
{
    public static void AddOpenApiDocument(this IServiceCollection services, ServiceDefinition service)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new OpenApiInfo { Title = service.Title, Version = "v1" });
            o.AddSecurityDefinition("Bearer", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A bearer token with a role claim (BankLiaison, Investigator, Court, Victim). Development: deploy/token.sh ROLE.",
            });
            o.AddSecurityRequirement(document => new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference("Bearer", document)] = [],
            });
            o.CustomSchemaIds(type => type.FullName!.Replace('+', '.'));
        });
    }
}
