// sqlite3, jq and bc natively and under jitexec.
using Xunit;
using static Jitexec.Tests.RealPrograms.RealProgram;

namespace Jitexec.Tests.RealPrograms;

public sealed class DataToolsTests
{
    [Fact]
    public void Sqlite3Shell() => Same("sqlite3", [":memory:"], stdin: """
        .headers on
        .mode column
        create table t (id integer primary key, name text, score real, tag blob);
        with recursive n(i) as (select 1 union all select i + 1 from n where i < 200)
          insert into t (name, score, tag) select 'n' || i, i * 1.25 - 40, randomblob(0) from n;
        select count(*), sum(score), avg(score), min(name), max(score) from t;
        select name, score, typeof(score), round(score / 3, 4) from t where id % 37 = 0 order by score desc;
        .mode list
        select printf('%.3f|%5d|%e|%s', 1.0 / 3, 42, 12345.678, 'x'), 7 / 2, 7.0 / 2, 1e308 * 10, hex('abc');
        select group_concat(name, ',') from (select name from t order by id limit 5);
        create index i on t(score);
        explain query plan select * from t where score > 10;
        select json_object('a', 1, 'b', json_array(1.5, 'x', null));
        select * from nonexistent;
        """, expectExit: 1);

    [Theory]
    [InlineData("-S", ".")]
    [InlineData("-c", "[.items[] | select(.price > 2) | {name, total: (.price * .qty)}]")]
    [InlineData("-r", ".items | map(.name) | join(\",\")")]
    [InlineData("[.items[].price] | add, (add / length), min, max, (map(. * 1e10) | .[0]), (1 / 3), pow(2; 0.5)")]
    [InlineData("-c", "paths(type == \"number\")")]
    [InlineData(".items | group_by(.qty) | map({qty: .[0].qty, n: length}) | tostream | tojson")]
    [InlineData("-e", ".missing")]
    public void Jq(params string[] args) => Same("jq", args, stdin: """
        {"items": [{"name": "apple", "price": 1.25, "qty": 3}, {"name": "pear", "price": 2.5, "qty": 1},
                   {"name": "fig", "price": 3.75, "qty": 3}, {"name": "kiwi", "price": 0.1, "qty": 10}],
         "meta": {"created": "2024-01-01", "version": 2}}
        """, expectExit: args.Contains("-e") ? 1 : 0);

    [Fact]
    public void JqSyntaxErrorStatus() => Same("jq", [".items[] |"], stdin: "{}", expectExit: 3);

    [Fact]
    public void Bc() => Same("bc", ["-l", "-q"], stdin: """
        scale = 40
        4 * a(1)
        sqrt(2)
        e(1)
        l(10)
        s(1) + c(1)
        2 ^ 256
        obase = 16; 255 * 255; obase = 10
        define f(n) { if (n < 2) return n; return f(n - 1) + f(n - 2); }
        f(20)
        x = 7 / 3; x * 3
        1 / 0
        quit
        """);
}
