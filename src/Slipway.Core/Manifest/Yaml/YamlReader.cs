using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Slipway.Core.Manifest.Yaml;

/// <summary>
/// Reads one YAML document into <see cref="YamlNode"/>s without recursion, so no input can
/// overflow the stack. Nesting deeper than <see cref="MaxDepth"/>, more than
/// <see cref="MaxNodes"/> nodes, invalid UTF-8, several documents, non-scalar keys and
/// duplicate keys are errors at the place they occur. Aliases share the anchored node;
/// the binder bounds how far they expand. Merge keys (<c>&lt;&lt;: *defaults</c>) are applied.
/// </summary>
internal static class YamlReader
{
    public const int MaxDepth = 64;
    public const int MaxNodes = 200_000;
    public const int MaxBytes = 4 * 1024 * 1024;

    public static YamlReadResult Read(byte[] utf8)
    {
        if (utf8.Length > MaxBytes)
        {
            return Fail(SourceMark.Start, $"the file is {utf8.Length} bytes; a manifest may be at most {MaxBytes} bytes");
        }

        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(utf8);
        }
        catch (DecoderFallbackException e)
        {
            return Fail(MarkOfByte(utf8, e.Index), "the file is not valid UTF-8");
        }

        return Read(text);
    }

    public static YamlReadResult Read(string text)
    {
        if (FindControlCharacter(text) is { } bad)
        {
            return Fail(bad.Mark, $"contains the control character U+{(int)bad.Char:X4}, which YAML does not allow");
        }

        var errors = new List<ManifestError>();
        var parser = new Parser(new StringReader(text));
        try
        {
            var root = Build(parser, errors);
            return new YamlReadResult(errors.Count == 0 ? root : null, errors);
        }
        catch (NestingTooDeepException e)
        {
            errors.Add(new ManifestError(e.Mark, "", e.Message));
            return new YamlReadResult(null, errors);
        }
        catch (YamlException e)
        {
            errors.Add(new ManifestError(ToMark(e.Start), "", "is not valid YAML: " + CleanMessage(e)));
            return new YamlReadResult(null, errors);
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this on some malformed input instead of a YamlException.
            var mark = parser.Current is { } last ? ToMark(last.End) : SourceMark.Start;
            errors.Add(new ManifestError(mark, "", "is not valid YAML: the parser could not read past this point"));
            return new YamlReadResult(null, errors);
        }
    }

    private static (SourceMark Mark, char Char)? FindControlCharacter(string text)
    {
        int line = 1, lineStart = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n')
            {
                line++;
                lineStart = i + 1;
            }
            else if ((c < 0x20 && c is not ('\t' or '\r')) || c == 0x7F)
            {
                return (new SourceMark(line, i - lineStart + 1), c);
            }
        }

        return null;
    }

    private static YamlNode? Build(Parser parser, List<ManifestError> errors)
    {
        var anchors = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        var stack = new Stack<Frame>();
        YamlNode? root = null;
        var documents = 0;
        var nodes = 0;

        while (parser.MoveNext())
        {
            var current = parser.Current!;
            switch (current)
            {
                case DocumentStart:
                    documents++;
                    if (documents > 1)
                    {
                        errors.Add(new ManifestError(ToMark(current.Start), "", "is a second YAML document; a manifest is one document"));
                        return root;
                    }

                    break;
                case Scalar scalar:
                    Count(ref nodes, current);
                    Add(new YamlScalar(ToMark(scalar.Start), scalar.Value, scalar.Style == ScalarStyle.Plain), scalar.Anchor);
                    break;
                case AnchorAlias alias:
                    Count(ref nodes, current);
                    if (anchors.TryGetValue(alias.Value.Value, out var target))
                    {
                        Add(target, AnchorName.Empty);
                    }
                    else
                    {
                        errors.Add(new ManifestError(ToMark(alias.Start), "", $"refers to an unknown anchor *{alias.Value.Value}"));
                        Add(new YamlScalar(ToMark(alias.Start), "", isPlain: true), AnchorName.Empty);
                    }

                    break;
                case SequenceStart start:
                    Count(ref nodes, current);
                    Push(new Frame(ToMark(start.Start), start.Anchor, isMapping: false));
                    break;
                case MappingStart start:
                    Count(ref nodes, current);
                    Push(new Frame(ToMark(start.Start), start.Anchor, isMapping: true));
                    break;
                case SequenceEnd or MappingEnd:
                    var frame = stack.Pop();
                    Add(frame.Complete(errors), frame.Anchor);
                    break;
            }
        }

        return root;

        void Push(Frame frame)
        {
            if (stack.Count >= MaxDepth)
            {
                throw new NestingTooDeepException(frame.Mark);
            }

            stack.Push(frame);
        }

        void Add(YamlNode node, AnchorName anchor)
        {
            if (!anchor.IsEmpty)
            {
                anchors[anchor.Value] = node;
            }

            if (stack.Count == 0)
            {
                root = node;
            }
            else
            {
                stack.Peek().Add(node, errors);
            }
        }
    }

    private static void Count(ref int nodes, ParsingEvent at)
    {
        if (++nodes > MaxNodes)
        {
            throw new YamlException(at.Start, at.End, $"the document has more than {MaxNodes} nodes");
        }
    }

    private static YamlReadResult Fail(SourceMark mark, string message) =>
        new(null, [new ManifestError(mark, "", message)]);

    private static SourceMark ToMark(Mark mark) => new((int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column));

    private static SourceMark MarkOfByte(byte[] bytes, int index)
    {
        int line = 1, lineStart = 0;
        for (var i = 0; i < index && i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return new SourceMark(line, index - lineStart + 1);
    }

    // YamlDotNet prefixes messages with "(Line: 3, Col: 5, Idx: ...) - (...): "; the mark is already ours.
    private static string CleanMessage(YamlException e)
    {
        var message = e.Message;
        var cut = message.LastIndexOf("): ", StringComparison.Ordinal);
        return (cut >= 0 ? message[(cut + 3)..] : message).TrimEnd('.');
    }

    private sealed class NestingTooDeepException(SourceMark mark)
        : YamlException($"nesting is deeper than {MaxDepth} levels")
    {
        public SourceMark Mark { get; } = mark;
    }

    private sealed class Frame(SourceMark mark, AnchorName anchor, bool isMapping)
    {
        private readonly List<YamlNode> _items = [];
        private readonly List<KeyValuePair<YamlScalar, YamlNode>> _entries = [];
        private readonly List<YamlNode> _merges = [];
        private YamlNode? _pendingKey;

        public SourceMark Mark { get; } = mark;

        public AnchorName Anchor { get; } = anchor;

        public void Add(YamlNode node, List<ManifestError> errors)
        {
            if (!isMapping)
            {
                _items.Add(node);
                return;
            }

            if (_pendingKey is null)
            {
                _pendingKey = node;
                return;
            }

            var key = _pendingKey;
            _pendingKey = null;
            if (key is not YamlScalar scalarKey)
            {
                errors.Add(new ManifestError(key.Mark, "", $"is {key.KindName} used as a key; keys must be plain names"));
                return;
            }

            if (scalarKey.IsPlain && scalarKey.Value == "<<")
            {
                _merges.Add(node);
                return;
            }

            foreach (var existing in _entries)
            {
                if (existing.Key.Value == scalarKey.Value)
                {
                    errors.Add(new ManifestError(scalarKey.Mark, "", $"repeats the key `{scalarKey.Value}` (first at {existing.Key.Mark})"));
                    return;
                }
            }

            _entries.Add(new(scalarKey, node));
        }

        public YamlNode Complete(List<ManifestError> errors)
        {
            if (!isMapping)
            {
                return new YamlSequence(Mark, _items);
            }

            foreach (var merge in _merges)
            {
                var sources = merge is YamlSequence list ? list.Items : [merge];
                foreach (var source in sources)
                {
                    if (source is not YamlMapping mapping)
                    {
                        errors.Add(new ManifestError(source.Mark, "", "is merged with `<<` but is not a mapping"));
                        continue;
                    }

                    foreach (var entry in mapping.Entries)
                    {
                        if (!_entries.Exists(e => e.Key.Value == entry.Key.Value))
                        {
                            _entries.Add(entry);
                        }
                    }
                }
            }

            return new YamlMapping(Mark, _entries);
        }
    }
}
