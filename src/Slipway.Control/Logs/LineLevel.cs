namespace Slipway.Control.Logs;

/// <summary>How serious a log line is; ordered so <c>level &gt;= Warn</c> means "warn or worse".</summary>
internal enum LineLevel
{
    Debug,
    Info,
    Warn,
    Error,
}
