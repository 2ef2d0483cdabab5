using System.Globalization;

namespace RoleSync.Contract;

/// <summary>
/// The message contract's timestamps: RFC 3339 date-times with an explicit offset, such as
/// <c>2026-11-28T12:00:00Z</c> or <c>2026-11-28T12:00:00.123+01:00</c>.
/// </summary>
public static class Rfc3339
{
    /// <summary>The longest timestamp accepted, in characters.</summary>
    public const int MaxLength = 64;

    /// <summary>
    /// Parses <c>YYYY-MM-DD "T" HH:MM:SS [ "." 1*DIGIT ] ( "Z" / ("+"/"-") HH:MM )</c> (T and Z in either case) into the
    /// instant and offset it states. Fractions keep 100 ns precision; further digits are truncated. No leap seconds,
    /// no year 0, no offset beyond ±14:00, nothing before 0001-01-01T00:00:00Z, at most <see cref="MaxLength"/> characters.
    /// </summary>
    public static bool TryParse(string s, out DateTimeOffset value)
    {
        ArgumentNullException.ThrowIfNull(s);
        value = default;
        if (s.Length < 20 || s.Length > MaxLength)
        {
            return false;
        }
        if (!(Digits(s, 0, 4) && s[4] == '-' && Digits(s, 5, 2) && s[7] == '-' && Digits(s, 8, 2)
              && (s[10] is 'T' or 't') && Digits(s, 11, 2) && s[13] == ':' && Digits(s, 14, 2) && s[16] == ':' && Digits(s, 17, 2)))
        {
            return false;
        }
        int i = 19;
        int fractionStart = -1, fractionEnd = -1;
        if (s[i] == '.')
        {
            fractionStart = ++i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }
            fractionEnd = i;
            if (fractionEnd == fractionStart)
            {
                return false;
            }
        }
        if (i >= s.Length || !TryParseOffset(s, i, out var offset))
        {
            return false;
        }

        int year = Num(s, 0, 4), month = Num(s, 5, 2), day = Num(s, 8, 2);
        int hour = Num(s, 11, 2), minute = Num(s, 14, 2), second = Num(s, 17, 2);
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }
        long ticks = 0;
        if (fractionStart >= 0)
        {
            // Keep 100 ns precision (7 digits); further digits are truncated.
            for (int d = 0; d < 7; d++)
            {
                ticks = ticks * 10 + (fractionStart + d < fractionEnd ? s[fractionStart + d] - '0' : 0);
            }
        }
        try
        {
            value = new DateTimeOffset(year, month, day, hour, minute, second, offset).AddTicks(ticks);
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false; // e.g. 0001-01-01T00:00:00+01:00 is before DateTimeOffset.MinValue in UTC
        }
    }

    /// <summary>The instant in UTC to the second, as RFC 3339: <c>2026-11-28T12:00:00Z</c>.</summary>
    public static string FormatUtcSeconds(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    /// <summary>
    /// The offset from <paramref name="i"/> to the end: <c>Z</c>, or <c>+HH:MM</c> / <c>-HH:MM</c> up to 23:59
    /// (<see cref="DateTimeOffset"/> itself then refuses more than 14:00).
    /// </summary>
    private static bool TryParseOffset(string s, int i, out TimeSpan offset)
    {
        offset = TimeSpan.Zero;
        if (s[i] is 'Z' or 'z' && i == s.Length - 1)
        {
            return true;
        }
        if (!(s[i] is '+' or '-' && i + 6 == s.Length && Digits(s, i + 1, 2) && s[i + 3] == ':' && Digits(s, i + 4, 2)))
        {
            return false;
        }
        int oh = Num(s, i + 1, 2), om = Num(s, i + 4, 2);
        if (oh > 23 || om > 59)
        {
            return false;
        }
        offset = new TimeSpan(oh, om, 0);
        if (s[i] == '-')
        {
            offset = -offset;
        }
        return true;
    }

    private static bool Digits(string s, int start, int count)
    {
        for (int i = start; i < start + count; i++)
        {
            if (!char.IsAsciiDigit(s[i]))
            {
                return false;
            }
        }
        return true;
    }

    private static int Num(string s, int start, int count) => int.Parse(s.AsSpan(start, count), NumberStyles.None, CultureInfo.InvariantCulture);
}
