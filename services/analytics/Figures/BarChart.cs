using Harbour.Analytics.Disclosure;
using ScottPlot;

namespace Harbour.Analytics.Figures;

// A table's counts as a horizontal bar chart in SVG, drawn on the server by ScottPlot: black bars on white, readable in
// print and in black and white, no script, nothing fetched. The table beside it is the accessible version; the chart draws
// the published (rounded) counts only, never more than the table shows.
public static class BarChart
{
    const int MostBars = 24, Width = 640, BarHeight = 26;

    // Tables of counts (with or without shares), not those of several measures a row.
    public static bool Suits(PublishedTable table) =>
        table.Rows.Count is >= 2 and <= MostBars && table.Headings.Count <= 3 && table.Rows.Any(r => r.Value > 0);

    public static string Svg(PublishedTable table)
    {
        var plot = new Plot();
        var bars = table.Rows.Select((row, i) => new Bar
        {
            Position = table.Rows.Count - 1 - i,
            Value = row.Value,
            FillColor = Colors.Black,
            LineWidth = 0,
            Orientation = Orientation.Horizontal,
        }).ToList();
        plot.Add.Bars(bars);
        plot.Axes.Left.SetTicks([.. bars.Select(b => b.Position)], [.. table.Rows.Select(r => r.Label)]);
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.Margins(left: 0);
        var most = Math.Max(5, table.Rows.Max(r => r.Value));
        plot.Axes.SetLimitsX(0, most * 1.05);
        // Published counts are multiples of 5 (true counts for an Admin are whole numbers): ticks at a multiple of 5, about six.
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(5 * Math.Ceiling(most / 30.0));
        plot.Font.Set("sans-serif");
        plot.XLabel(table.Headings[1]);
        plot.Grid.MajorLineColor = Colors.Black.WithOpacity(0.15);
        var height = 70 + BarHeight * table.Rows.Count;
        var svg = plot.GetSvgXml(Width, height);
        // Inside an HTML page: without the document's prologue, and with a view box, so that it shrinks to a phone's width.
        return svg[svg.IndexOf("<svg", StringComparison.Ordinal)..].Replace("<svg ", $"<svg viewBox=\"0 0 {Width} {height}\" ", StringComparison.Ordinal);
    }
}
