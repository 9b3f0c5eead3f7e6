/**
 * Reviews given outside a commit's own trailer block: the approvals of a pull or merge request
 * (a reviews file, `check --reviews`) and the `Reviewed-by:` trailers of the commits a squash
 * merge folded into one. `check` hands them to the one reviewer tally (reviewers.ts: authors,
 * committers who ran the agent, bots, duplicates and groups are decided there) as external
 * reviewers. Pure.
 */
import type { BlockTrailer } from '../commit/trailerBlock';
import { parseTrailerBlock } from '../commit/trailerBlock';
import { frictionKeys } from './friction';

/** One review of a reviews file: `{"login", "email"?, "state", "submitted_at"}` (GitHub's names). */
export interface ExternalReview {
  readonly login: string;
  readonly email?: string;
  /** `APPROVED`, `CHANGES_REQUESTED`, `COMMENTED`, `DISMISSED`, `PENDING` (any case). */
  readonly state: string;
  /** RFC 3339; reviews without one count as older than every dated one, in file order. */
  readonly submittedAt?: string;
}

/** What {@link parseReviews} found: the reviews, or what is wrong with the text. */
export type ParsedReviews = { readonly ok: true; readonly reviews: readonly ExternalReview[] } | { readonly ok: false; readonly error: string };

const loginPattern = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?(?:\[bot\])?$/;
const statePattern = /^[A-Za-z_]+$/;

/**
 * Reads a reviews file's text: a JSON array of `{"login", "email"?, "state", "submitted_at"}`.
 * Unknown fields are ignored (a GitHub API response can be written as it is, with `user.login`
 * lifted); anything else is an error naming the entry, never a silent empty list.
 */
export function parseReviews(text: string): ParsedReviews {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `not JSON: ${(e as Error).message}` };
  }
  if (!Array.isArray(v)) return { ok: false, error: 'expected a JSON array of reviews ([{"login", "email"?, "state", "submitted_at"}])' };
  const reviews: ExternalReview[] = [];
  for (let i = 0; i < v.length; i++) {
    const r: unknown = v[i];
    const where = `review ${i + 1}`;
    if (typeof r !== 'object' || r === null || Array.isArray(r)) return { ok: false, error: `${where}: expected an object` };
    const o = r as Record<string, unknown>;
    // The API's shape ({"user": {"login"}}) is accepted too, so its answer can be saved as it is.
    const user = typeof o.user === 'object' && o.user !== null ? (o.user as Record<string, unknown>) : undefined;
    const login = typeof o.login === 'string' ? o.login : typeof user?.login === 'string' ? user.login : undefined;
    if (login === undefined) return { ok: false, error: `${where}: "login" is missing or not a string` };
    if (!loginPattern.test(login)) return { ok: false, error: `${where}: "login" ${JSON.stringify(login)} is not a user name` };
    if (typeof o.state !== 'string' || !statePattern.test(o.state)) return { ok: false, error: `${where} (${login}): "state" is missing or not a review state such as "APPROVED"` };
    if (o.email !== undefined && o.email !== null && (typeof o.email !== 'string' || !/^[^\s<>@]+@[^\s<>@]+$/.test(o.email))) return { ok: false, error: `${where} (${login}): "email" is not an email address` };
    const at = o.submitted_at;
    if (at !== undefined && at !== null && (typeof at !== 'string' || !Number.isFinite(Date.parse(at)))) return { ok: false, error: `${where} (${login}): "submitted_at" is not a date (RFC 3339)` };
    reviews.push({ login, state: o.state, ...(typeof o.email === 'string' ? { email: o.email } : {}), ...(typeof at === 'string' ? { submittedAt: at } : {}) });
  }
  return { ok: true, reviews };
}

/** A reviewer whose approval stands. */
export interface Approval {
  readonly login: string;
  readonly email?: string;
}

/** States that decide a reviewer's verdict; a comment after an approval leaves it standing (as on GitHub). */
const deciding = new Set(['APPROVED', 'CHANGES_REQUESTED', 'DISMISSED']);

/**
 * The approvals that stand: per reviewer (login, case-insensitively) the latest deciding review
 * (approved, changes requested, dismissed) by `submitted_at`, kept when it is an approval.
 * `authors` (the pull request's author by login) are left out; bots and everyone else the
 * governance rules exclude are rejected, with the reason, by the reviewer tally (reviewers.ts).
 */
export function standingApprovals(reviews: readonly ExternalReview[], authors: readonly string[] = []): Approval[] {
  const excluded = new Set(authors.map((a) => a.toLowerCase()));
  const latest = new Map<string, { review: ExternalReview; order: number }>();
  const time = (r: ExternalReview): number => (r.submittedAt !== undefined ? Date.parse(r.submittedAt) : -Infinity);
  reviews.forEach((review, order) => {
    if (!deciding.has(review.state.toUpperCase())) return;
    const key = review.login.toLowerCase();
    const seen = latest.get(key);
    // Equal times (or none): the later entry of the list wins, as the API lists oldest first.
    if (!seen || time(review) >= time(seen.review)) latest.set(key, { review, order });
  });
  const out: Approval[] = [];
  for (const [key, { review }] of [...latest].sort((a, b) => a[1].order - b[1].order)) {
    if (review.state.toUpperCase() !== 'APPROVED') continue;
    if (excluded.has(key)) continue;
    out.push({ login: review.login, ...(review.email !== undefined ? { email: review.email } : {}) });
  }
  return out;
}

/** The trailers of each commit a squash message lists, in order. */
export interface SquashedCommit {
  /** The commit id, when the message names it (git's `Squashed commit of the following:` form). */
  readonly commit?: string;
  readonly subject: string;
  readonly trailers: readonly BlockTrailer[];
}

/**
 * The commits a squash merge's message lists, with each one's own trailer block: git's
 * `git merge --squash` form (`commit <id>`, `Author:`, `Date:`, then the message indented by
 * four spaces) and GitHub's (`* <subject>` then the body, one section per commit). Other
 * messages list none. Trailers of a section count only from that section's last paragraph,
 * exactly as they would in the commit itself.
 */
export function squashedCommits(message: string): SquashedCommit[] {
  const lines = message.split('\n');
  const gitHeader = /^commit ([0-9a-f]{40,64})$/;
  if (lines.some((l) => gitHeader.test(l))) {
    const out: SquashedCommit[] = [];
    for (let i = 0; i < lines.length; i++) {
      const m = gitHeader.exec(lines[i]!);
      if (!m) continue;
      let j = i + 1;
      while (j < lines.length && /^[A-Za-z]+:/.test(lines[j]!)) j++;
      const body: string[] = [];
      for (; j < lines.length && !gitHeader.test(lines[j]!); j++) body.push(lines[j]!.startsWith('    ') ? lines[j]!.slice(4) : lines[j]!.trim() === '' ? '' : lines[j]!);
      const text = body.join('\n').trim();
      out.push({ commit: m[1]!, subject: text.split('\n')[0] ?? '', trailers: parseTrailerBlock(text + '\n').trailers });
    }
    return out;
  }
  const bullet = /^\* (\S.*)$/;
  const starts = lines.flatMap((l, i) => (bullet.test(l) ? [i] : []));
  if (starts.length === 0) return [];
  return starts.map((s, k) => {
    const end = k + 1 < starts.length ? starts[k + 1]! : lines.length;
    const section = [bullet.exec(lines[s]!)![1]!, ...lines.slice(s + 1, end)].join('\n').trim();
    return { subject: section.split('\n')[0]!, trailers: parseTrailerBlock(section + '\n').trailers };
  });
}

/** The `Reviewed-by:` values of the commits a squash message lists (see {@link squashedCommits}). */
export function squashedReviews(message: string): string[] {
  const key = frictionKeys.reviewedBy.toLowerCase();
  return squashedCommits(message).flatMap((c) => c.trailers.filter((t) => t.key.toLowerCase() === key).map((t) => t.value));
}
