/**
 * The policy file's checks: its text parsed with positions (jsonPositions.ts) and validated
 * against the format media/policy.schema.json describes, every problem with where it is.
 */
import { globProblem, maxGlobPatterns, maxGlobTotalLength } from './globMatch';
import type { JsonNode } from './jsonPositions';
import { JsonParser, JsonSyntaxError, positionAt } from './jsonPositions';
import type { CriticalRule, Friction, OverBudget, PolicyDefaults, PolicyParse, PolicyProblem, ReviewSpec, Unattested } from './policy';
import { builtinDefaultFriction, codeownersSource, frictions, policyFileName, reviewerSyntax, unattestedModes } from './policy';

function problem(text: string, severity: PolicyProblem['severity'], message: string, at: string, offset: number, length: number): PolicyProblem {
  const start = positionAt(text, offset);
  const end = positionAt(text, offset + length);
  return { severity, message, at, offset, length, line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
}

/**
 * A problem as one terminal line, in the compiler form editors and CI logs link:
 * `.ai-provenance.json:3:17: error: …`.
 */
export function formatProblem(p: PolicyProblem, file = policyFileName): string {
  return `${file}:${p.line}:${p.column}: ${p.severity}: ${p.message}${p.at ? ` (at ${p.at})` : ''}`;
}

const topKeys = ['$schema', 'version', 'defaultFriction', 'defaults', 'groups', 'bots', 'critical'];
/** The governance keys a rule and the policy's `defaults` share. */
const governanceKeys = ['reviews', 'maxAiLines', 'overBudget', 'unattested', 'tier', 'allowOverride'];
const ruleKeys = ['paths', 'reason', 'friction', 'reviewers', ...governanceKeys];

/** A group's name: letters, digits, `.`, `_`, `-` (never `@…`, an email or `CODEOWNERS`). */
export const groupNameSyntax = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** The largest budget or review count a policy may name (beyond it a typo is likelier than intent). */
const maxCount = 1_000_000;

type ErrFn = (message: string, at: string, offset: number, length: number) => void;

/** Reads the governance keys of a rule or of `defaults` (see {@link governanceKeys}). */
function readGovernance(props: Map<string, JsonNode>, at: string, err: ErrFn, isSource: (s: string) => boolean): PolicyDefaults {
  const out: { -readonly [K in keyof PolicyDefaults]: PolicyDefaults[K] } = {};
  const where = (k: string): string => (at ? `${at}.${k}` : k);
  const reviews = props.get('reviews');
  if (reviews) {
    const r = readReviews(reviews, where('reviews'), err, isSource);
    if (r) out.reviews = r;
  }
  const max = props.get('maxAiLines');
  if (max) {
    if (max.type === 'number' && Number.isSafeInteger(max.value) && max.value >= 0 && max.value <= maxCount) out.maxAiLines = max.value;
    else err(`"maxAiLines" must be a whole number from 0 to ${maxCount.toLocaleString('en-US')} (the most AI-written lines one commit may add here)`, where('maxAiLines'), max.offset, max.length);
  }
  const ob = props.get('overBudget');
  if (ob) {
    if (ob.type === 'string' && (ob.value === 'review' || ob.value === 'block')) out.overBudget = ob.value;
    else if (ob.type === 'object' && ob.props.length === 1 && ob.props[0]!.key === 'reviews') {
      const r = readReviews(ob.props[0]!.value, where('overBudget.reviews'), err, isSource);
      if (r) out.overBudget = { reviews: r } satisfies OverBudget;
    } else err('"overBudget" must be "review" (the rule\'s reviews), "block", or { "reviews": { "count": N, "from": [...] } }', where('overBudget'), ob.offset, ob.length);
  }
  const un = props.get('unattested');
  if (un) {
    if (un.type === 'string' && (unattestedModes as readonly string[]).includes(un.value)) out.unattested = un.value as Unattested;
    else err(`"unattested" must be one of ${unattestedModes.map((x) => `"${x}"`).join(', ')}`, where('unattested'), un.offset, un.length);
  }
  const tier = props.get('tier');
  if (tier) {
    // One line of plain text: it goes into an AI-Tier: trailer and CI annotations.
    if (tier.type === 'string' && /^[A-Za-z0-9][A-Za-z0-9._ -]{0,63}$/.test(tier.value) && !/\s$/.test(tier.value)) out.tier = tier.value;
    else err('"tier" must be a short name of letters, digits, ".", "_", "-" or blanks (for example "tier-1")', where('tier'), tier.offset, tier.length);
  }
  const ao = props.get('allowOverride');
  if (ao) {
    if (ao.type === 'boolean') out.allowOverride = ao.value;
    else err('"allowOverride" must be true or false', where('allowOverride'), ao.offset, ao.length);
  }
  return out;
}

/** Reads `{ "count": N, "from": [...] }`. */
function readReviews(node: JsonNode, at: string, err: ErrFn, isSource: (s: string) => boolean): ReviewSpec | undefined {
  if (node.type !== 'object') {
    err(`"reviews" must be an object { "count": N, "from": [...] }, not ${typeName(node)}`, at, node.offset, node.length);
    return undefined;
  }
  let ok = true;
  let count = 1;
  const from: string[] = [];
  for (const p of node.props) {
    if (p.key === 'count') {
      const v = p.value;
      if (v.type === 'number' && Number.isSafeInteger(v.value) && v.value >= 1 && v.value <= 100) count = v.value;
      else {
        ok = false;
        err('"count" must be a whole number from 1 to 100 (distinct reviewers needed)', `${at}.count`, v.offset, v.length);
      }
    } else if (p.key === 'from') {
      const v = p.value;
      if (v.type !== 'array') {
        ok = false;
        err(`"from" must be a list, not ${typeName(v)}`, `${at}.from`, v.offset, v.length);
        continue;
      }
      v.items.forEach((r, j) => {
        if (r.type === 'string' && (reviewerSyntax.test(r.value) || isSource(r.value))) from.push(r.value);
        else {
          ok = false;
          err(`a reviewer source is "Name <email>", "email", "@user", "@org/team", "${codeownersSource}" or the name of a group in "groups"`, `${at}.from[${j}]`, r.offset, r.length);
        }
      });
    } else {
      ok = false;
      err(`unknown key "${p.key}" of "reviews" (it has "count" and "from")`, `${at}.${p.key}`, p.keyOffset, p.keyLength);
    }
  }
  return ok ? { count, from } : undefined;
}

function typeName(n: JsonNode): string {
  return n.type === 'object' ? 'an object' : n.type === 'array' ? 'a list' : n.type === 'null' ? 'null' : `a ${n.type}`;
}

/**
 * Parses and validates a policy file's text. Unknown top-level keys and unknown keys of a
 * rule are warnings (room for later rules: an older CLI must not drop a newer policy); all
 * else that is wrong is an error, and a policy with errors is no policy.
 */
export function parsePolicy(text: string): PolicyParse {
  const errors: PolicyProblem[] = [];
  const warnings: PolicyProblem[] = [];
  const err = (message: string, at: string, offset: number, length: number): void => void errors.push(problem(text, 'error', message, at, offset, length));
  const warn = (message: string, at: string, offset: number, length: number): void => void warnings.push(problem(text, 'warning', message, at, offset, length));
  let root: JsonNode;
  try {
    root = new JsonParser(text).parseDocument();
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    err(`not valid JSON: ${e.message}`, '', e.offset, e.length);
    return { ok: false, policy: undefined, errors, warnings };
  }
  if (root.type !== 'object') {
    err(`a policy is a JSON object ({ "critical": [...] }), not ${typeName(root)}`, '', root.offset, root.length);
    return { ok: false, policy: undefined, errors, warnings };
  }
  const props = uniqueProps(root, '', err);
  for (const p of root.props) {
    if (!topKeys.includes(p.key)) warn(`unknown key "${p.key}" is ignored (this version reads ${topKeys.filter((k) => k !== '$schema').join(', ')})`, p.key, p.keyOffset, p.keyLength);
  }
  const version = props.get('version');
  if (version && !(version.type === 'number' && version.value === 1)) {
    err('"version" must be 1 (a newer policy format needs a newer AI Provenance)', 'version', version.offset, version.length);
  }
  const schema = props.get('$schema');
  if (schema && schema.type !== 'string') err('"$schema" must be a string', '$schema', schema.offset, schema.length);
  let defaultFriction = builtinDefaultFriction;
  const df = props.get('defaultFriction');
  if (df) {
    const f = frictionOf(df);
    if (f) defaultFriction = f;
    else err(`"defaultFriction" must be one of ${frictions.map((x) => `"${x}"`).join(', ')}`, 'defaultFriction', df.offset, df.length);
  }
  const groups: Record<string, string[]> = {};
  const groupsNode = props.get('groups');
  if (groupsNode && groupsNode.type !== 'object') err(`"groups" must be an object of named reviewer lists, not ${typeName(groupsNode)}`, 'groups', groupsNode.offset, groupsNode.length);
  if (groupsNode?.type === 'object') {
    for (const g of uniqueProps(groupsNode, 'groups', err).entries()) {
      const [name, members] = g;
      const gp = groupsNode.props.find((p) => p.key === name)!;
      if (!groupNameSyntax.test(name) || name === codeownersSource) {
        err(`a group's name is letters, digits, ".", "_" or "-" (and not "${codeownersSource}")`, `groups.${name}`, gp.keyOffset, gp.keyLength);
        continue;
      }
      if (members.type !== 'array') {
        err(`group "${name}" must be a list of reviewers, not ${typeName(members)}`, `groups.${name}`, members.offset, members.length);
        continue;
      }
      const list: string[] = [];
      members.items.forEach((m, j) => {
        if (m.type === 'string' && reviewerSyntax.test(m.value)) list.push(m.value);
        else err('a group member is "Name <email>", "email", "@user" or "@org/team"', `groups.${name}[${j}]`, m.offset, m.length);
      });
      groups[name] = list;
    }
  }
  const isSource = (s: string): boolean => s === codeownersSource || Object.prototype.hasOwnProperty.call(groups, s);
  const bots: string[] = [];
  const botsNode = props.get('bots');
  if (botsNode && botsNode.type !== 'array') err(`"bots" must be a list of identities, not ${typeName(botsNode)}`, 'bots', botsNode.offset, botsNode.length);
  if (botsNode?.type === 'array') {
    botsNode.items.forEach((b, j) => {
      if (b.type === 'string' && reviewerSyntax.test(b.value)) bots.push(b.value);
      else err('a bot is "Name <email>", "email" or "@user"', `bots[${j}]`, b.offset, b.length);
    });
  }
  let defaults: PolicyDefaults = {};
  const defaultsNode = props.get('defaults');
  if (defaultsNode && defaultsNode.type !== 'object') err(`"defaults" must be an object, not ${typeName(defaultsNode)}`, 'defaults', defaultsNode.offset, defaultsNode.length);
  if (defaultsNode?.type === 'object') {
    const dp = uniqueProps(defaultsNode, 'defaults', err);
    for (const p of defaultsNode.props) {
      if (!governanceKeys.includes(p.key)) warn(`unknown key "${p.key}" of "defaults" is ignored (it has ${governanceKeys.join(', ')})`, `defaults.${p.key}`, p.keyOffset, p.keyLength);
    }
    defaults = readGovernance(dp, 'defaults', err, isSource);
  }
  const critical: CriticalRule[] = [];
  const list = props.get('critical');
  if (list && list.type !== 'array') err(`"critical" must be a list of rules, not ${typeName(list)}`, 'critical', list.offset, list.length);
  if (list?.type === 'array') {
    list.items.forEach((item, index) => {
      const at = `critical[${index}]`;
      if (item.type !== 'object') {
        err(`a rule is an object { "paths": [...], "reason": "..." }, not ${typeName(item)}`, at, item.offset, item.length);
        return;
      }
      const rp = uniqueProps(item, at, err);
      for (const p of item.props) {
        if (!ruleKeys.includes(p.key)) warn(`unknown key "${p.key}" of a rule is ignored (a rule has ${ruleKeys.join(', ')})`, `${at}.${p.key}`, p.keyOffset, p.keyLength);
      }
      const before = errors.length;
      const paths: string[] = [];
      const pathsNode = rp.get('paths');
      if (!pathsNode) err('a rule needs "paths": a list of gitignore-style patterns', at, item.offset, 1);
      else if (pathsNode.type !== 'array') err(`"paths" must be a list of patterns, not ${typeName(pathsNode)}`, `${at}.paths`, pathsNode.offset, pathsNode.length);
      else if (pathsNode.items.length === 0) err('"paths" must name at least one pattern', `${at}.paths`, pathsNode.offset, pathsNode.length);
      else {
        pathsNode.items.forEach((p, j) => {
          if (p.type !== 'string') return err(`a pattern must be a string, not ${typeName(p)}`, `${at}.paths[${j}]`, p.offset, p.length);
          const why = globProblem(p.value);
          if (why) return err(`pattern ${JSON.stringify(p.value)}: ${why}`, `${at}.paths[${j}]`, p.offset, p.length);
          paths.push(p.value);
        });
        if (paths.length > 0 && paths.every((p) => p.startsWith('!'))) {
          warn('every pattern of this rule starts with "!": it matches no path', `${at}.paths`, pathsNode.offset, pathsNode.length);
        }
      }
      const reasonNode = rp.get('reason');
      let reason = '';
      if (!reasonNode) err('a rule needs "reason": why these paths are critical (shown in the editor and at commit)', at, item.offset, 1);
      else if (reasonNode.type !== 'string' || reasonNode.value.trim() === '') err('"reason" must be a non-empty string', `${at}.reason`, reasonNode.offset, reasonNode.length);
      else reason = reasonNode.value.trim();
      let friction = defaultFriction;
      const fr = rp.get('friction');
      if (fr) {
        const f = frictionOf(fr);
        if (f) friction = f;
        else err(`"friction" must be one of ${frictions.map((x) => `"${x}"`).join(', ')}`, `${at}.friction`, fr.offset, fr.length);
      }
      const reviewers: string[] = [];
      const rv = rp.get('reviewers');
      if (rv && rv.type !== 'array') err(`"reviewers" must be a list, not ${typeName(rv)}`, `${at}.reviewers`, rv.offset, rv.length);
      if (rv?.type === 'array') {
        rv.items.forEach((r, j) => {
          if (r.type !== 'string' || !reviewerSyntax.test(r.value)) {
            return err('a reviewer is "Name <email>", "email", "@user" or "@org/team"', `${at}.reviewers[${j}]`, r.offset, r.length);
          }
          reviewers.push(r.value);
        });
      }
      if (rv && rp.has('reviews')) err('a rule names its reviewers once: "reviews.from" or "reviewers", not both', `${at}.reviewers`, rv.offset, rv.length);
      const own = readGovernance(rp, at, err, isSource);
      const gov = { ...defaults, ...own };
      if (errors.length === before) critical.push({ paths, reason, friction, reviewers, ...gov, source: 'policy', index });
    });
  }
  // Bounds the work of matching a path, as maxGlobLength bounds each pattern's.
  const patternCount = critical.reduce((n, r) => n + r.paths.length, 0);
  const patternChars = critical.reduce((n, r) => r.paths.reduce((m, p) => m + p.length, n), 0);
  if (list && patternCount > maxGlobPatterns) {
    err(`the policy has ${patternCount.toLocaleString('en-US')} patterns; at most ${maxGlobPatterns.toLocaleString('en-US')} are allowed`, 'critical', list.offset, list.length);
  } else if (list && patternChars > maxGlobTotalLength) {
    err(`the policy's patterns have ${patternChars.toLocaleString('en-US')} characters in all; at most ${maxGlobTotalLength.toLocaleString('en-US')} are allowed`, 'critical', list.offset, list.length);
  }
  if (errors.length > 0) return { ok: false, policy: undefined, errors, warnings };
  const extra = { ...(groupsNode ? { groups } : {}), ...(botsNode ? { bots } : {}) };
  return { ok: true, policy: { defaultFriction, critical, ...extra }, errors: [], warnings };
}

function frictionOf(n: JsonNode): Friction | undefined {
  return n.type === 'string' && (frictions as readonly string[]).includes(n.value) ? (n.value as Friction) : undefined;
}

/** An object's members by key; a key given twice is an error (JSON.parse would keep the last). */
function uniqueProps(node: Extract<JsonNode, { type: 'object' }>, at: string, err: (m: string, at: string, o: number, l: number) => void): Map<string, JsonNode> {
  const out = new Map<string, JsonNode>();
  for (const p of node.props) {
    if (out.has(p.key)) err(`the key "${p.key}" is given twice`, at ? `${at}.${p.key}` : p.key, p.keyOffset, p.keyLength);
    else out.set(p.key, p.value);
  }
  return out;
}
