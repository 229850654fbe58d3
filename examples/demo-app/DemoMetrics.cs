using System.Globalization;
using System.Text;

namespace Slipway.DemoApp;

/// <summary>
/// The app's own Prometheus metrics on <c>/metrics</c>, so Slipway's application-metrics scraping has
/// something real to read: requests by status, payments (every app request is one) and failed payments as
/// business counters, in-flight requests and a small latency histogram. Probes and <c>/metrics</c> itself are
/// not counted.
/// </summary>
internal sealed class DemoMetrics(AppState state)
{
    private static readonly double[] Bounds = [0.005, 0.05, 0.5, 5];

    private readonly long[] _byClass = new long[6];
    private readonly long[] _buckets = new long[Bounds.Length + 1];
    private long _payments;
    private long _paymentsFailed;
    private long _durationMicros;

    /// <param name="paymentFailed">An injected 500, or a 200 that DEMO_PAYMENT_FAIL_RATE picked.</param>
    public void Observe(int status, TimeSpan elapsed, bool paymentFailed)
    {
        Interlocked.Increment(ref _payments);
        Interlocked.Increment(ref _byClass[status is >= 100 and <= 599 ? status / 100 : 0]);
        var bucket = Array.FindIndex(Bounds, b => elapsed.TotalSeconds <= b);
        Interlocked.Increment(ref _buckets[bucket < 0 ? Bounds.Length : bucket]);
        Interlocked.Add(ref _durationMicros, (long)elapsed.TotalMicroseconds);
        if (paymentFailed)
        {
            Interlocked.Increment(ref _paymentsFailed);
        }
    }

    public string Text()
    {
        var text = new StringBuilder();
        text.Append("# HELP demo_requests_total Requests answered, by status class.\n# TYPE demo_requests_total counter\n");
        for (var c = 1; c <= 5; c++)
        {
            text.Append(CultureInfo.InvariantCulture, $"demo_requests_total{{code=\"{c}xx\"}} {Volatile.Read(ref _byClass[c])}\n");
        }

        text.Append("# HELP demo_payments_total Payments attempted (every app request is one).\n# TYPE demo_payments_total counter\n");
        text.Append(CultureInfo.InvariantCulture, $"demo_payments_total {Volatile.Read(ref _payments)}\n");
        text.Append("# HELP demo_payments_failed_total Payments that failed (each injected 500 and each DEMO_PAYMENT_FAIL_RATE pick).\n# TYPE demo_payments_failed_total counter\n");
        text.Append(CultureInfo.InvariantCulture, $"demo_payments_failed_total {Volatile.Read(ref _paymentsFailed)}\n");
        text.Append("# HELP demo_in_flight_requests Requests being handled now.\n# TYPE demo_in_flight_requests gauge\n");
        text.Append(CultureInfo.InvariantCulture, $"demo_in_flight_requests {state.InFlight}\n");
        text.Append("# HELP demo_request_duration_seconds Time to answer a request.\n# TYPE demo_request_duration_seconds histogram\n");
        long cumulative = 0;
        for (var i = 0; i < _buckets.Length; i++)
        {
            cumulative += Volatile.Read(ref _buckets[i]);
            var le = i < Bounds.Length ? Bounds[i].ToString(CultureInfo.InvariantCulture) : "+Inf";
            text.Append(CultureInfo.InvariantCulture, $"demo_request_duration_seconds_bucket{{le=\"{le}\"}} {cumulative}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"demo_request_duration_seconds_sum {Volatile.Read(ref _durationMicros) / 1e6}\n");
        text.Append(CultureInfo.InvariantCulture, $"demo_request_duration_seconds_count {cumulative}\n");
        return text.ToString();
    }
}
