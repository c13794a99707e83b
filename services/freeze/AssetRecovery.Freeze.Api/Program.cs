using AssetRecovery.Freeze;
using AssetRecovery.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(FreezeService.Definition);

var app = builder.Build();
app.UseServiceDefaults();
app.MapFreezeEndpoints();
app.Run();
