using AssetRecovery.Restitution;
using AssetRecovery.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(RestitutionService.Definition);

var app = builder.Build();
app.UseServiceDefaults();
app.MapRestitutionEndpoints();
app.Run();
