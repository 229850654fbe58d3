using System.Collections.Frozen;

namespace Slipway.Proxy.Edge.Waf.Detection;

/// <summary>The SQL vocabulary the rules use, looked up by span without allocating.</summary>
internal static class SqlWords
{
    private static readonly FrozenDictionary<string, SqlWord> Keywords = new Dictionary<string, SqlWord>(StringComparer.Ordinal)
    {
        ["union"] = SqlWord.Union, ["select"] = SqlWord.Select, ["from"] = SqlWord.From,
        ["all"] = SqlWord.All, ["distinct"] = SqlWord.Distinct,
        ["and"] = SqlWord.Logic, ["or"] = SqlWord.Logic, ["xor"] = SqlWord.Logic, ["not"] = SqlWord.Not,
        ["like"] = SqlWord.Comparison, ["ilike"] = SqlWord.Comparison, ["rlike"] = SqlWord.Comparison,
        ["regexp"] = SqlWord.Comparison, ["is"] = SqlWord.Comparison, ["in"] = SqlWord.Comparison,
        ["between"] = SqlWord.Comparison, ["sounds"] = SqlWord.Comparison, ["glob"] = SqlWord.Comparison,
        ["similar"] = SqlWord.Comparison,
        ["null"] = SqlWord.Literal, ["true"] = SqlWord.Literal, ["false"] = SqlWord.Literal,
        ["order"] = SqlWord.Order, ["group"] = SqlWord.Group, ["by"] = SqlWord.By, ["having"] = SqlWord.Having,
        ["into"] = SqlWord.Into, ["outfile"] = SqlWord.DumpTarget, ["dumpfile"] = SqlWord.DumpTarget,
        ["drop"] = SqlWord.Definition, ["create"] = SqlWord.Definition, ["alter"] = SqlWord.Definition,
        ["truncate"] = SqlWord.Definition, ["rename"] = SqlWord.Definition,
        ["table"] = SqlWord.DefinitionObject, ["database"] = SqlWord.DefinitionObject, ["schema"] = SqlWord.DefinitionObject,
        ["user"] = SqlWord.DefinitionObject, ["view"] = SqlWord.DefinitionObject, ["index"] = SqlWord.DefinitionObject,
        ["procedure"] = SqlWord.DefinitionObject, ["function"] = SqlWord.DefinitionObject, ["trigger"] = SqlWord.DefinitionObject,
        ["login"] = SqlWord.DefinitionObject, ["role"] = SqlWord.DefinitionObject, ["column"] = SqlWord.DefinitionObject,
        ["delete"] = SqlWord.Delete, ["insert"] = SqlWord.Insert, ["update"] = SqlWord.Update, ["set"] = SqlWord.Set,
        ["exec"] = SqlWord.Exec, ["execute"] = SqlWord.Exec, ["declare"] = SqlWord.Declare, ["shutdown"] = SqlWord.Shutdown,
        ["waitfor"] = SqlWord.Waitfor, ["delay"] = SqlWord.WaitKind, ["time"] = SqlWord.WaitKind,
        ["grant"] = SqlWord.Grant, ["revoke"] = SqlWord.Grant, ["copy"] = SqlWord.Copy,
        ["case"] = SqlWord.Flow, ["when"] = SqlWord.Flow, ["then"] = SqlWord.Flow, ["else"] = SqlWord.Flow,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, SqlWord>.AlternateLookup<ReadOnlySpan<char>> KeywordsBySpan =
        Keywords.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Functions whose only use in a query string is to make the database wait (time-based blind injection).</summary>
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> DelayFunctions = Lookup(
        "sleep", "pg_sleep", "pg_sleep_for", "benchmark", "randomblob", "dbms_pipe.receive_message",
        "sys.dbms_pipe.receive_message", "dbms_lock.sleep", "sys.dbms_lock.sleep", "dbms_session.sleep");

    /// <summary>Functions used to smuggle data out in an error message (error-based injection).</summary>
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> ErrorFunctions = Lookup(
        "extractvalue", "updatexml", "gtid_subset", "gtid_subtract", "utl_inaddr.get_host_name",
        "utl_inaddr.get_host_address", "utl_http.request", "ctxsys.drithsx.sn", "dbms_xmlgen.getxml", "xmltype",
        "dbms_utility.sqlid_to_sqlhash");

    /// <summary>The meaning of a lower-case word.</summary>
    public static SqlWord Classify(ReadOnlySpan<char> word) =>
        KeywordsBySpan.TryGetValue(word, out var meaning) ? meaning : SqlWord.None;

    public static bool IsDelayFunction(ReadOnlySpan<char> name) => DelayFunctions.Contains(name);

    public static bool IsErrorFunction(ReadOnlySpan<char> name) => ErrorFunctions.Contains(name);

    private static FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> Lookup(params string[] names) =>
        names.ToFrozenSet(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
}
