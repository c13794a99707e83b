using AssetRecovery.Freeze;
using AssetRecovery.Freeze.Features;
using AssetRecovery.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(FreezeService.Definition);
builder.AddFreezeService();

var app = builder.Build();
app.UseServiceDefaults();
app.MapFreezeEndpoints();
app.Run();
