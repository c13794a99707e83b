using AssetRecovery.Seizure;
using AssetRecovery.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(SeizureService.Definition);

var app = builder.Build();
app.UseServiceDefaults();
app.MapSeizureEndpoints();
app.Run();
