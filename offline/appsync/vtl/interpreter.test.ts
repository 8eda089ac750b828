/** Java / Velocity 1.7 semantics the generated templates rely on. */
import { describe, expect, it } from 'vitest';
import { ResolverError, type JsonObject, type ResolverContext } from '../util/context.js';
import { renderVtl, renderVtlJson } from './render.js';
import { parsedTemplateCount } from './parse.js';

function ctx(args: JsonObject = {}, stash: JsonObject = {}): ResolverContext {
  return {
    arguments: args,
    source: null,
    identity: null,
    stash,
    prev: { result: { fromPrevious: true } },
    request: { headers: {}, domainName: null },
    info: { fieldName: 'f', parentTypeName: 'Query', variables: {}, selectionSetList: [], selectionSetGraphQL: '' },
    authType: 'API Key Authorization',
  };
}

const text = (template: string, c: ResolverContext = ctx()): string => renderVtl(template, c).value.trim();

describe('Java collections', () => {
  it('maps: put/get/containsKey/keySet/entrySet/remove/size/isEmpty', () => {
    const t = `#set($m = {})$util.qr($m.put("a", 1))$util.qr($m.put("b", "x"))$m.get("a") $m.containsKey("b") $m.keySet() #foreach($e in $m.entrySet())$e.key=$e.value;#end $m.remove("a") $m.size() $m.isEmpty() $m`;
    expect(text(t)).toBe('1 true [a, b] a=1;b=x; 1 1 false {b=x}');
  });

  it('lists: add/addAll/contains/get/remove/size; put on a List is a no-op returning null', () => {
    const t = `#set($l = ["a"])$util.qr($l.add("b"))$util.qr($l.addAll(["c", "d"]))$l.contains("c") $l.get(1) $l.remove("a") $l.size() $!l.put("x") $l`;
    expect(text(t)).toBe('true b true 3  [b, c, d]');
  });

  it('strings: split/replace/startsWith/contains/toLowerCase/length/trim/substring/equals/replaceAll', () => {
    const t = `#set($s = " Sub::User ")#set($p = $s.trim().split("::"))$p.size() $p[1].toLowerCase() $s.trim().length() $s.trim().substring(0, 3) $s.contains("::") $s.trim().startsWith("Sub") $s.replace("::", "-") $p[0].equals("Sub")#set($e = "a AND b AND ") [$e.replaceAll("AND $", "")]`;
    expect(text(t)).toBe('2 user 9 Sub true true  Sub-User  true [a AND b ]');
  });
});

describe('Velocity semantics', () => {
  it('truthiness: only null and false are false (Velocity 1.7)', () => {
    expect(text(`#if("")e#end#if(0)z#end#if([])l#end#if($nope)n#end#if(false)f#end#if(!$nope)!#end`)).toBe('ezl!');
  });

  it('== compares numbers numerically and mixed classes by toString', () => {
    expect(text(`#if(1 == 1.0)a#end#if("1" == 1)b#end#set($l1 = [1,2])#set($l2 = [1,2])#if($l1 == $l2)c#end#if($nope == $other)d#end`)).toBe('abcd');
  });

  it('integer arithmetic truncates; null references render as their source, $! renders nothing', () => {
    expect(text(`#set($x = 7 / 2)$x $missing.value $!missing x`)).toBe('3 $missing.value  x');
  });

  it('$util.qr / $util.quiet swallow output; void methods render nothing', () => {
    expect(text(`[$util.qr($ctx.stash.put("k", 1))][$util.quiet(1)][$util.appendError("m")]`)).toBe('[][][]');
  });

  it('#foreach exposes $velocityCount and $foreach.hasNext(), #break leaves the loop', () => {
    expect(text(`#foreach($i in [1,2,3])$velocityCount#if($foreach.hasNext()),#end#if($i == 2)#break#end#end`)).toBe('1,2,');
  });

  it('#set of nested paths writes through to the caller objects', () => {
    const c = ctx({ input: { a: 1 } });
    renderVtl(`#set($ctx.args.input.b = 2)#set($ctx.args.filter = {"x": {"eq": 1}})$util.qr($ctx.stash.put("seen", true))`, c);
    expect(c.arguments).toEqual({ input: { a: 1, b: 2 }, filter: { x: { eq: 1 } } });
    expect(c.stash).toEqual({ seen: true });
    expect(text(`$ctx.stash.seen $context.prev.result.fromPrevious`, c)).toBe('true true');
  });

  it('#return and #return($x) stop rendering with an early return', () => {
    expect(renderVtl(`a#if(true)#return#end b`, ctx()).earlyReturn).toEqual({ value: null });
    const outcome = renderVtlJson(`#return({"id": 1})not json`, ctx());
    expect([outcome.earlyReturn, outcome.json]).toEqual([{ value: { id: 1 } }, { id: 1 }]);
  });
});

describe('errors', () => {
  it('$util.error aborts with message, type, data and errorInfo, keeping appended errors', () => {
    let caught: unknown;
    try {
      renderVtl(`$util.appendError("first", "T1")$util.error("boom", "Custom", {"a": 1}, {"b": 2})after`, ctx());
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ResolverError);
    const e = caught as ResolverError;
    expect([e.message, e.errorType, e.data, e.errorInfo]).toEqual(['boom', 'Custom', { a: 1 }, { b: 2 }]);
    expect(e.appendedErrors).toEqual([{ message: 'first', errorType: 'T1', data: null, errorInfo: null }]);
  });

  it('$util.unauthorized names the field and parent type', () => {
    expect(() => renderVtl(`$util.unauthorized()`, ctx())).toThrow('Not Authorized to access f on type Query');
  });

  it('non-JSON output of a request template is a MappingTemplate error with an excerpt', () => {
    expect(() => renderVtlJson(`{"a": $ctx.args.missing}`, ctx())).toThrow(/MappingTemplate|Unable to parse the JSON document.*\{"a": \$ctx\.args\.missing\}/);
    try {
      renderVtlJson(`{"a": $ctx.args.missing}`, ctx());
    } catch (e) {
      expect((e as ResolverError).errorType).toBe('MappingTemplate');
    }
  });

  it('invalid template syntax and bad method arguments are MappingTemplate errors', () => {
    for (const t of ['#if(', '$util.parseJson("{")', '#set($s = "abc")$s.substring(5)']) {
      let caught: unknown;
      try {
        renderVtl(t, ctx());
      } catch (e) {
        caught = e;
      }
      expect((caught as ResolverError).errorType).toBe('MappingTemplate');
    }
  });
});

describe('extensions', () => {
  it('setSubscriptionFilter records a validated filterGroup; an invalid one aborts', () => {
    const outcome = renderVtl(`$extensions.setSubscriptionFilter($util.transform.toSubscriptionFilter({"a": {"eq": 1}}))`, ctx());
    expect(outcome.value).toBe('');
    expect(outcome.subscriptionFilter).toEqual({ filterGroup: [{ filters: [{ fieldName: 'a', operator: 'eq', value: 1 }] }] });
    expect(() => renderVtl(`$extensions.setSubscriptionFilter({"filterGroup": [{"filters": [{"fieldName": "a", "operator": "like", "value": 1}]}]})`, ctx())).toThrow(
      /unsupported operator like/,
    );
  });

  it('invalidateSubscriptions is limited to 5 calls', () => {
    const call = `$extensions.invalidateSubscriptions({"subscriptionField": "onX", "payload": {"id": 1}})`;
    expect(renderVtl(call.repeat(5), ctx()).invalidations).toHaveLength(5);
    expect(() => renderVtl(call.repeat(6), ctx())).toThrow(/At most 5/);
  });
});

describe('template cache', () => {
  it('parses each distinct template once', () => {
    const t = `cache-probe-${Math.random()}`;
    const before = parsedTemplateCount();
    renderVtl(t, ctx());
    renderVtl(t, ctx());
    expect(parsedTemplateCount()).toBe(before + 1);
  });
});
