namespace Harbour.Analytics.Figures;

/// <summary>Which reports the figures describe: those made between two UK dates (inclusive), optionally of one category and
/// on one campus (a campus name of the institution profile, or a place that stands alone, such as Online).</summary>
public sealed record FigureFilter(DateOnly From, DateOnly To, string? Category = null, string? Campus = null)
{
    /// <summary>The UK academic year (1 August to 31 July) a date falls in, as its first day.</summary>
    public static DateOnly AcademicYearOf(DateOnly day) => new(day.Month >= 8 ? day.Year : day.Year - 1, 8, 1);

    /// <summary>"2025/26": the academic year beginning on <paramref name="start"/>, as UK universities write it.</summary>
    public static string AcademicYearName(DateOnly start) => $"{start.Year}/{(start.Year + 1) % 100:00}";

    /// <summary>The academic year so far: what the figures show until someone chooses.</summary>
    public static FigureFilter YearToDate(DateOnly today) => new(AcademicYearOf(today), today);

    /// <summary>The same dates a year before, to compare with.</summary>
    public FigureFilter YearBefore() => this with { From = From.AddYears(-1), To = To.AddYears(-1) };
}
