namespace Slipway.Control.Notifications;

/// <summary>A notification was not delivered; the message says why in one line.</summary>
internal sealed class ReceiverException(string message, Exception? inner = null) : Exception(message, inner);
