using System.Globalization;
using System.Net;
using System.Text;
using AssetRecovery.BuildingBlocks;
using AssetRecovery.Clients.Restitution;
using AssetRecovery.Restitution.Features;
using AssetRecovery.Restitution.Ledger;
using AssetRecovery.Restitution.PreTrialReturns;
using AssetRecovery.ServiceDefaults;
using Marten;

namespace AssetRecovery.Restitution;

public static class RestitutionEndpoints
{
    public static IEndpointRouteBuilder MapRestitutionEndpoints(this IEndpointRouteBuilder app)
    {
        var ledger = app.MapGroup("/api/cases/{caseNumber}").WithTags("Case ledger").RequireRoles(Roles.Court, Roles.Investigator);
        ledger.MapGet("/ledger", GetLedgerAsync)
            .WithName("GetCaseLedger")
            .WithSummary("The case's money from interception to return, per currency and per victim (as far as the ledger has caught up).")
            .Produces<CaseLedgerView>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        ledger.MapGet("/reconciliation", ReconcileAsync)
            .WithName("ReconcileCase")
            .WithSummary("The conservation checks: paid never above what was available, nobody beyond their loss, pool never negative, " +
                         "rounds add up. Lists every violation.")
            .Produces<ReconciliationView>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        ledger.MapGet("/recovery-report.csv", ReportCsvAsync)
            .WithName("RecoveryReportCsv")
            .WithSummary("The per-case recovery report for courts, as CSV: one row per victim, then the case totals.")
            .Produces<string>(contentType: "text/csv");
        ledger.MapGet("/recovery-report", ReportHtmlAsync)
            .WithName("RecoveryReportHtml")
            .WithSummary("The per-case recovery report for courts, as a printable page.")
            .Produces<string>(contentType: "text/html");
        app.MapRestitutionWorkEndpoints();
        app.MapPreTrialReturnEndpoints();
        return app;
    }

    /// <summary>The case's ledger and its victims, read in one snapshot (the projection writes both in one transaction).</summary>
    private static async Task<(CaseLedger Ledger, IReadOnlyList<LedgerVictim> Victims)> LoadAsync(IDocumentStore store, string caseNumber,
        CancellationToken ct)
    {
        new Validator().Required("caseNumber", caseNumber, 64).ThrowIfInvalid();
        await using var session = await store.QuerySerializableSessionAsync(ct);
        var ledger = await session.LoadAsync<CaseLedger>(caseNumber, ct) ?? throw new ResourceNotFoundException("Case ledger", caseNumber);
        return (ledger, await session.Query<LedgerVictim>().Where(v => v.CaseNumber == caseNumber).ToListAsync(ct));
    }

    private static async Task<IResult> GetLedgerAsync(string caseNumber, IDocumentStore store, CancellationToken ct)
    {
        var (ledger, victims) = await LoadAsync(store, caseNumber, ct);
        return Results.Ok(ToView(ledger, victims));
    }

    private static async Task<IResult> ReconcileAsync(string caseNumber, IDocumentStore store, CancellationToken ct)
    {
        var (ledger, victims) = await LoadAsync(store, caseNumber, ct);
        var checks = Reconciliation.Check(ledger, victims);
        return Results.Ok(new ReconciliationView(ledger.Id, checks.All(c => c.Holds), ledger.LastSequence,
            checks.Select(c => new ReconciliationCheckView(c.Name, c.Holds, c.Violations)).ToList()));
    }

    private static async Task<IResult> ReportCsvAsync(string caseNumber, IDocumentStore store, CancellationToken ct)
    {
        var (ledger, victims) = await LoadAsync(store, caseNumber, ct);
        var view = ToView(ledger, victims);
        var csv = new StringBuilder("claim_id,victim,currency,reported,verified,traced,ordered,paid,outstanding\n");
        foreach (var v in view.Victims)
            csv.AppendLine(string.Join(',', v.ClaimId, Csv(v.Name), v.Currency, Amount(v.Reported), v.Verified is { } verified ? Amount(verified) : "",
                Amount(v.Traced), Amount(v.Ordered), Amount(v.Paid), Amount(v.Outstanding)));
        // Then the case totals, as a second table.
        csv.AppendLine().AppendLine("figure,currency,amount");
        foreach (var (label, totals) in Totals(view))
            foreach (var money in totals)
                csv.AppendLine($"{label},{money.Currency},{Amount(money.Amount)}");
        return Results.Text(csv.ToString(), "text/csv; charset=utf-8");
    }

    private static async Task<IResult> ReportHtmlAsync(string caseNumber, HttpContext http, IDocumentStore store, CancellationToken ct)
    {
        var (ledger, victims) = await LoadAsync(store, caseNumber, ct);
        var view = ToView(ledger, victims);
        var checks = Reconciliation.Check(ledger, victims);
        string H(string? text) => WebUtility.HtmlEncode(text ?? "");
        var html = new StringBuilder();
        html.Append($"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Recovery report {H(view.CaseNumber)}</title>")
            .Append("<style>body{font-family:serif;margin:2rem}table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2rem .5rem}" +
                    "td.n{text-align:right}@media print{a{display:none}}</style></head><body>")
            .Append($"<h1>Recovery report, case {H(view.CaseNumber)}</h1><p>As of {view.UpdatedAt:u} (ledger event {view.LastSequence}).</p>")
            .Append("<h2>Victims</h2><table><tr><th>Victim</th><th>Claim</th><th>Currency</th><th>Reported</th><th>Verified</th><th>Traced</th>" +
                    "<th>Ordered</th><th>Paid</th><th>Outstanding</th></tr>");
        foreach (var v in view.Victims)
            html.Append($"<tr><td>{H(v.Name)}</td><td>{v.ClaimId}</td><td>{v.Currency}</td><td class=n>{Amount(v.Reported)}</td>" +
                        $"<td class=n>{(v.Verified is { } verified ? Amount(verified) : "")}</td><td class=n>{Amount(v.Traced)}</td>" +
                        $"<td class=n>{Amount(v.Ordered)}</td><td class=n>{Amount(v.Paid)}</td><td class=n>{Amount(v.Outstanding)}</td></tr>");
        html.Append("</table><h2>Case totals</h2><table><tr><th>Figure</th><th>Amount</th></tr>");
        foreach (var (label, totals) in Totals(view))
            foreach (var money in totals)
                html.Append($"<tr><td>{H(label)}</td><td class=n>{Amount(money.Amount)} {money.Currency}</td></tr>");
        html.Append("</table><h2>Conservation checks</h2><ul>");
        foreach (var check in checks)
            html.Append($"<li>{(check.Holds ? "Holds" : "BROKEN")}: {H(check.Name)}{string.Concat(check.Violations.Select(x => $"<br>{H(x)}"))}</li>");
        html.Append("</ul></body></html>");
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";
        return Results.Content(html.ToString(), "text/html; charset=utf-8");
    }

    private static IEnumerable<(string Label, IReadOnlyList<AssetRecovery.Contracts.Money> Totals)> Totals(CaseLedgerView v) =>
    [
        ("frozen", v.Frozen), ("released", v.Released), ("seized", v.Seized), ("proceeds", v.Proceeds), ("pool debited", v.PoolDebited),
        ("pool balance", v.PoolBalance), ("returned before trial", v.ReturnedBeforeTrial), ("paid", v.Paid), ("confiscated", v.Confiscated),
    ];

    private static string Amount(decimal amount) => amount.ToString("0.00##", CultureInfo.InvariantCulture);

    /// <summary>A CSV cell, quoted when needed; a leading formula character is neutralised for spreadsheets.</summary>
    private static string Csv(string? value)
    {
        var text = value ?? "";
        if (text.Length > 0 && "=+-@".Contains(text[0])) text = "'" + text;
        return text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{text.Replace("\"", "\"\"")}\"" : text;
    }

    private static CaseLedgerView ToView(CaseLedger ledger, IReadOnlyList<LedgerVictim> victims) => new(
        ledger.Id, ledger.FreezesRequested, ledger.FreezesRejected, ledger.AcknowledgementsOverdue, ledger.Frozen.ToMoney(), ledger.LastSequence,
        ledger.UpdatedAt, ledger.Released.ToMoney(), ledger.Seized.ToMoney(), ledger.Proceeds.ToMoney(), ledger.PoolDebited.ToMoney(),
        ledger.PoolBalance.ToMoney(), ledger.Paid.ToMoney(), ledger.Confiscated.ToMoney(), ledger.ReturnedBeforeTrial.ToMoney(),
        victims.OrderBy(v => v.Name, StringComparer.Ordinal).ThenBy(v => v.ClaimId).Select(v =>
        {
            var traced = v.TraceVictimId is { } id && ledger.TracedByVictimId.TryGetValue(v.Currency, out var byVictim)
                ? byVictim.GetValueOrDefault(id) : 0m;
            return new LedgerVictimView(v.ClaimId, v.Name, v.Currency, v.Reported, v.Verified, traced, ledger.Ordered(v), ledger.Allocated(v), v.Paid,
                Math.Max(0m, Reconciliation.Loss(ledger, v) - v.Paid));
        }).ToList());
}
