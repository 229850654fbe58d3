using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Slipway.DemoApp;

/// <summary>
/// Writes one JSON object per line to stdout: <c>{"ts":"…","level":"info","msg":"…",…}</c>.
/// The framework's logging is switched off so that these lines are all there is,
/// in a shape tests and the supervisor's log capture can rely on.
/// </summary>
internal sealed class JsonLog(Stream output, TimeProvider clock)
{
    // Log lines are read by people and parsers, never embedded in HTML: keep ' and + readable.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly Lock _gate = new();

    public void Info(string msg, params ReadOnlySpan<(string Key, object? Value)> fields) => Write("info", msg, fields);

    public void Warn(string msg, params ReadOnlySpan<(string Key, object? Value)> fields) => Write("warn", msg, fields);

    public void Error(string msg, params ReadOnlySpan<(string Key, object? Value)> fields) => Write("error", msg, fields);

    public void Write(string level, string msg, ReadOnlySpan<(string Key, object? Value)> fields)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("ts", clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            json.WriteString("level", level);
            json.WriteString("msg", msg);
            foreach (var (key, value) in fields)
            {
                WriteField(json, key, value);
            }

            json.WriteEndObject();
        }

        lock (_gate)
        {
            try
            {
                output.Write(buffer.WrittenSpan);
                output.Write("\n"u8);
                output.Flush();
            }
            catch (IOException)
            {
                // stdout closed (the reader went away): the app keeps serving; logs are not its job.
            }
        }
    }

    private static void WriteField(Utf8JsonWriter json, string key, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNull(key);
                break;
            case string s:
                json.WriteString(key, s);
                break;
            case bool b:
                json.WriteBoolean(key, b);
                break;
            case int i:
                json.WriteNumber(key, i);
                break;
            case long l:
                json.WriteNumber(key, l);
                break;
            case double d:
                json.WriteNumber(key, Math.Round(d, 3));
                break;
            case TimeSpan t:
                json.WriteNumber(key, Math.Round(t.TotalMilliseconds, 3));
                break;
            default:
                json.WriteString(key, Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}
