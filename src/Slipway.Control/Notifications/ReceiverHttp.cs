using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Slipway.Control.Notifications;

/// <summary>The POST every receiver makes: JSON body, 2xx or a <see cref="ReceiverException"/> naming the status.</summary>
internal static class ReceiverHttp
{
    public static async Task PostAsync(HttpClient http, Func<string?> url, JsonNode body, CancellationToken cancellationToken)
    {
        var target = url() ?? throw new ReceiverException("its URL is not set (the env: variable or secret: it names is missing)") { Unresolved = true };
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        try
        {
            using var response = await http.PostAsync(new Uri(target), content, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new ReceiverException($"answered {(int)response.StatusCode} {response.ReasonPhrase}");
            }
        }
        catch (HttpRequestException e)
        {
            throw new ReceiverException(e.Message, e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ReceiverException("timed out", e);
        }
        catch (UriFormatException e)
        {
            throw new ReceiverException($"its URL is not valid: {e.Message}", e);
        }
    }

    /// <summary>RFC 3339 in UTC, as Alertmanager writes and reads times.</summary>
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffK", System.Globalization.CultureInfo.InvariantCulture);

    public static JsonObject Object(IReadOnlyDictionary<string, string> values)
    {
        var result = new JsonObject();
        foreach (var (k, v) in values.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            result[k] = v;
        }

        return result;
    }
}
