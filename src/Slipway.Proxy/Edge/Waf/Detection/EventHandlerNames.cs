using System.Collections.Frozen;

namespace Slipway.Proxy.Edge.Waf.Detection;

/// <summary>
/// DOM event names (HTML, SVG, legacy IE and WebKit), without the "on". Inside a tag any
/// <c>on…=</c> attribute counts; outside one (an attribute break-out such as
/// <c>" onfocus="…</c>) only a real event name does, so "online=1" in prose stays prose.
/// </summary>
internal static class EventHandlerNames
{
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> Names = new[]
    {
        "abort", "activate", "afterprint", "afterscriptexecute", "afterupdate", "animationcancel", "animationend",
        "animationiteration", "animationstart", "auxclick", "beforeactivate", "beforecopy", "beforecut",
        "beforedeactivate", "beforeeditfocus", "beforeinput", "beforematch", "beforepaste", "beforeprint",
        "beforescriptexecute", "beforetoggle", "beforeunload", "beforeupdate", "begin", "blur", "bounce", "cancel",
        "canplay", "canplaythrough", "cellchange", "change", "click", "close", "command", "contentvisibilityautostatechange",
        "contextlost", "contextmenu", "contextrestored", "controlselect", "copy", "cuechange", "cut", "dataavailable",
        "datasetchanged", "datasetcomplete", "dblclick", "deactivate", "drag", "dragend", "dragenter", "dragexit",
        "dragleave", "dragover", "dragstart", "drop", "durationchange", "emptied", "end", "ended", "error", "errorupdate",
        "filterchange", "finish", "focus", "focusin", "focusout", "formdata", "fullscreenchange", "fullscreenerror",
        "gotpointercapture", "hashchange", "help", "input", "invalid", "keydown", "keypress", "keyup", "languagechange",
        "layoutcomplete", "load", "loadeddata", "loadedmetadata", "loadend", "loadstart", "losecapture",
        "lostpointercapture", "message", "messageerror", "mousedown", "mouseenter", "mouseleave", "mousemove",
        "mouseout", "mouseover", "mouseup", "mousewheel", "move", "moveend", "movestart", "mozfullscreenchange",
        "offline", "online", "orientationchange", "pagehide", "pagereveal", "pageshow", "pageswap", "paste", "pause",
        "play", "playing", "pointercancel", "pointerdown", "pointerenter", "pointerleave", "pointermove", "pointerout",
        "pointerover", "pointerrawupdate", "pointerup", "popstate", "progress", "propertychange", "ratechange",
        "readystatechange", "rejectionhandled", "repeat", "reset", "resize", "rowenter", "rowexit", "rowsdelete",
        "rowsinserted", "scroll", "scrollend", "scrollsnapchange", "scrollsnapchanging", "search",
        "securitypolicyviolation", "seeked", "seeking", "select", "selectionchange", "selectstart", "show",
        "slotchange", "stalled", "start", "storage", "submit", "suspend", "timeupdate", "toggle", "touchcancel",
        "touchend", "touchmove", "touchstart", "transitioncancel", "transitionend", "transitionrun", "transitionstart",
        "unhandledrejection", "unload", "volumechange", "waiting", "webkitanimationend", "webkitanimationiteration",
        "webkitanimationstart", "webkitmouseforcechanged", "webkitmouseforcedown", "webkitplaybacktargetavailabilitychanged",
        "webkittransitionend", "wheel",
    }.ToFrozenSet(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    public static bool Contains(ReadOnlySpan<char> name) => Names.Contains(name);
}
