namespace Slipway.Proxy.Tests.Edge.Waf.Detection;

public sealed class SqlInjectionDetectorTests
{
    [Theory]
    [InlineData("' OR '1'='1")]
    [InlineData("admin' or 1=1--")]
    [InlineData("1 AND 1=2")]
    [InlineData("') OR ('a'='a")]
    [InlineData("\" or \"\"=\"")]
    [InlineData("' or 1 -- -")]
    [InlineData("1 or true")]
    [InlineData("x' AND ascii(substring(version(),1,1))>52--")]
    [InlineData("' AND (SELECT 1 FROM users)--")]
    [InlineData("' || '1'='1")]
    [InlineData("1' and username is not null--")]
    public void Detect_BooleanAfterClosedLiteral_IsSqliBoolean(string value) =>
        Assert.Equal("sqli-boolean", WafProbe.Rule(value));

    [Theory]
    [InlineData("1 UNION SELECT username, password FROM users")]
    [InlineData("' union all select null,null--")]
    [InlineData("0 union(select(1),(2))")]
    [InlineData("1' UNION/**/SELECT/**/1,2--")]
    [InlineData("1'/*!50000UNION*/ /*!50000SELECT*/ 1--")]
    public void Detect_UnionSelect_IsSqliUnion(string value) =>
        Assert.Equal("sqli-union", WafProbe.Rule(value));

    [Theory]
    [InlineData("'; DROP TABLE users--")]
    [InlineData("1; delete from sessions")]
    [InlineData("x'; insert into users values ('eve')--")]
    [InlineData("1; update users set role='admin'")]
    [InlineData("1; exec master..xp_cmdshell 'dir'")]
    [InlineData("'; shutdown--")]
    [InlineData("1; declare @q varchar(9)")]
    [InlineData("1; select * from users")]
    [InlineData("x' drop table users--")]
    public void Detect_StackedStatement_IsSqliStacked(string value) =>
        Assert.Equal("sqli-stacked", WafProbe.Rule(value));

    [Theory]
    [InlineData("(SELECT(SLEEP(5)))")]
    [InlineData("if(now()=sysdate(),sleep(5),0)")]
    [InlineData("1 and 1=dbms_pipe.receive_message('a',5)")]
    [InlineData("' || pg_sleep(10) || '")]
    [InlineData("1 waitfor delay '0:0:5'")]
    public void Detect_DelayInExpression_IsSqliTime(string value) =>
        Assert.Equal("sqli-time", WafProbe.Rule(value));

    [Theory]
    [InlineData("(extractvalue(1,concat(0x7e,version())))")]
    [InlineData("' || utl_inaddr.get_host_name((select banner from v$version))||'")]
    [InlineData(",updatexml(1,concat(0x7e,user()),1)")]
    public void Detect_ErrorFunctionInExpression_IsSqliError(string value) =>
        Assert.Equal("sqli-error", WafProbe.Rule(value));

    [Theory]
    [InlineData("1 ORDER BY 10--")]
    [InlineData("' group by 1,2,3--")]
    [InlineData("' having 1=1--")]
    [InlineData("' into outfile '/tmp/x'")]
    public void Detect_ClauseAfterClosedLiteral_IsSqliClause(string value) =>
        Assert.Equal("sqli-clause", WafProbe.Rule(value));

    [Theory]
    [InlineData("admin'--")]
    [InlineData("admin'#")]
    [InlineData("admin'/*")]
    [InlineData("admin');-- -")]
    public void Detect_LiteralCutOffByComment_IsSqliComment(string value) =>
        Assert.Equal("sqli-comment", WafProbe.Rule(value));

    [Theory]
    [InlineData("O'Brien")]
    [InlineData("D'Angelo's Pizza")]
    [InlineData("Robert'); Smith")]
    [InlineData("the boys' and girls' toys")]
    [InlineData("5' 10\" or taller")]
    [InlineData("Please select the size you want and drop me a line.")]
    [InlineData("I'll update the order; delete the old one")]
    [InlineData("SELECT id, name FROM users WHERE active = true ORDER BY name;")]
    [InlineData("what does 1=1 mean in sql")]
    [InlineData("1 or 2")]
    [InlineData("2 or 3 bedroom flat")]
    [InlineData("In Python, `sleep(1)` pauses")]
    [InlineData("time.sleep(5)")]
    [InlineData("https://en.wikipedia.org/wiki/O'Brien#History")]
    [InlineData("union station")]
    [InlineData("Order by Tuesday -- we ship Wednesday")]
    public void Detect_ProseNamesAndCode_PassSqlRules(string value) =>
        Assert.Null(WafProbe.Rule(value));
}
