using AssetRecovery.VictimClaim;
using AssetRecovery.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(VictimClaimService.Definition);

var app = builder.Build();
app.UseServiceDefaults();
app.MapVictimClaimEndpoints();
app.Run();
