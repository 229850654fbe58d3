namespace Slipway.Control.Notifications;

/// <summary>A notification was not delivered; the message says why in one line.</summary>
internal sealed class ReceiverException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The receiver has no URL (its <c>env:</c> variable or <c>secret:</c> is not set): trying again at once cannot help.</summary>
    public bool Unresolved { get; init; }
}
