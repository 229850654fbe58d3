namespace Slipway.Control.Notifications;

/// <summary>Where notifications go; one implementation per kind (webhook, slack, alertmanager), named in the manifest.</summary>
internal interface IAlertReceiver
{
    string Name { get; }

    /// <summary>Also told when alerts resolve.</summary>
    bool SendResolved { get; }

    /// <summary>
    /// Alertmanager forgets an alert whose <c>endsAt</c> passes, so it is sent every group interval while firing,
    /// not only when the group changes; the other receivers are people and hear about a group once, then on repeat.
    /// </summary>
    bool ResendsEveryFlush { get; }

    /// <summary>Takes deploy events (rollout started, promoted, rolled back) as well as alerts.</summary>
    bool TakesEvents { get; }

    /// <exception cref="ReceiverException">The receiver did not take the notification (unreachable, non-2xx, URL unresolved).</exception>
    Task SendAsync(Notification notification, CancellationToken cancellationToken);
}
