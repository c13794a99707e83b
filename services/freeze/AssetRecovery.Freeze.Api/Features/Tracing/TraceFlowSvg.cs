using System.Globalization;
using System.Net;
using System.Text;

namespace AssetRecovery.Freeze.Features.Tracing;

/// <summary>
/// Draws a trace's money flow left to right: victims, then accounts by their distance from the victims, each account's
/// exits (cash, out of reach, spent) in the column after it. Boxes are nodes, arrows carry the amounts; freeze targets
/// (money still there) are drawn bold.
/// </summary>
public static class TraceFlowSvg
{
    private const int BoxWidth = 180, BoxHeight = 44, ColumnGap = 120, RowGap = 28, Margin = 30;

    /// <summary>Draws <paramref name="flow"/> (the trace's, or one victim's) with the trace's title and freeze targets.</summary>
    public static string Render(CaseTrace trace, IReadOnlyList<FlowEdge> flow)
    {
        var nodes = flow.SelectMany(e => new[] { e.From, e.To }).Distinct(StringComparer.Ordinal).ToList();
        var column = nodes.ToDictionary(n => n, n => n.StartsWith("victim:", StringComparison.Ordinal) ? 0 : -1, StringComparer.Ordinal);
        // Longest distance from a victim, bounded so cycles between mules cannot loop forever.
        for (var pass = 0; pass < nodes.Count; pass++)
            foreach (var edge in flow)
                if (column[edge.From] >= 0 && column[edge.To] < column[edge.From] + 1 && column[edge.To] <= nodes.Count && !edge.To.StartsWith("victim:", StringComparison.Ordinal))
                    column[edge.To] = Math.Max(column[edge.To], column[edge.From] + 1);

        var byColumn = nodes.GroupBy(n => Math.Max(column[n], 0)).OrderBy(g => g.Key).ToList();
        var position = new Dictionary<string, (int X, int Y)>(StringComparer.Ordinal);
        foreach (var group in byColumn)
        {
            var row = 0;
            foreach (var node in group.OrderBy(n => n, StringComparer.Ordinal))
                position[node] = (Margin + group.Key * (BoxWidth + ColumnGap), Margin + 30 + row++ * (BoxHeight + RowGap));
        }
        var width = Margin * 2 + (byColumn.Count == 0 ? 1 : byColumn.Max(g => g.Key) + 1) * (BoxWidth + ColumnGap);
        var height = Margin * 2 + 30 + (byColumn.Count == 0 ? 1 : byColumn.Max(g => g.Count())) * (BoxHeight + RowGap);
        var held = trace.FreezeTargets.ToDictionary(t => t.Account, t => t.Freezable, StringComparer.Ordinal);

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">""");
        svg.Append("""<defs><marker id="arrow" markerWidth="10" markerHeight="8" refX="9" refY="4" orient="auto"><path d="M0,0 L10,4 L0,8 z" fill="#555"/></marker></defs>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{Margin}" y="{Margin}" font-size="15" font-weight="bold">{Escape($"Case {trace.CaseNumber}: {trace.Rule} trace, {trace.Currency}")}</text>""");
        foreach (var edge in flow)
        {
            var (x1, y1) = position[edge.From];
            var (x2, y2) = position[edge.To];
            var (sx, sy, ex, ey) = (x1 + BoxWidth, y1 + BoxHeight / 2, x2, y2 + BoxHeight / 2);
            if (x2 <= x1) (sx, ex) = (x1, x2 + BoxWidth); // backwards (a cycle): from left edge to right edge
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{sx}" y1="{sy}" x2="{ex}" y2="{ey}" stroke="#555" stroke-width="1.5" marker-end="url(#arrow)"/>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{(sx + ex) / 2}" y="{(sy + ey) / 2 - 4}" text-anchor="middle" fill="#333">{Escape(Amount(edge.Amount))}</text>""");
        }
        foreach (var (node, (x, y)) in position)
        {
            var (label, fill) = node switch
            {
                _ when node.StartsWith("victim:", StringComparison.Ordinal) => ($"Victim {node[7..]}", "#e8f0fe"),
                _ when node.StartsWith("exit:", StringComparison.Ordinal) => (node[5..node.IndexOf('@')], "#fde8e8"),
                _ => (node, held.ContainsKey(node) ? "#e6f4ea" : "#f5f5f5"),
            };
            var bold = held.TryGetValue(node, out var freezable) && freezable > 0;
            svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{x}" y="{y}" width="{BoxWidth}" height="{BoxHeight}" rx="6" fill="{fill}" stroke="#333" stroke-width="{(bold ? 2.5 : 1)}"/>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{x + 8}" y="{y + 18}" font-weight="bold">{Escape(label)}</text>""");
            if (bold) svg.Append(CultureInfo.InvariantCulture, $"""<text x="{x + 8}" y="{y + 35}">{Escape($"freezable {Amount(freezable)}")}</text>""");
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static string Amount(decimal amount) => amount.ToString("#,0.##", CultureInfo.InvariantCulture);

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}
