/**
 * Unit tests of src/core/report/checkSummary.ts: the Markdown job summary of a check — AI lines
 * per critical path, budget, reviews needed and given, verdict; a table per file.
 */
import assert from 'node:assert/strict';
import { parsePolicy } from '../../../../src/core/policy/schema';
import type { CommitToJudge } from '../../../../src/core/policy/verdicts';
import { judgeCommit } from '../../../../src/core/policy/verdicts';
import { checkMarkdown, summarizeCheck } from '../../../../src/core/report/checkSummary';

const p = parsePolicy(
  JSON.stringify({
    critical: [
      { paths: ['src/payments/**'], reason: 'payments | money', friction: 'review', reviewers: ['@payments-leads'] },
      { paths: ['infra/**'], reason: 'infrastructure', friction: 'warn' },
    ],
  }),
);
if (!p.ok) throw new Error('policy');
const policies = [p.policy];
const author = 'Ann Author <ann@example.com>';

const commits: CommitToJudge[] = [
  { commit: '1'.repeat(40), message: 'Charge\n', author, policies, ai: { files: [{ path: 'src/payments/charge.ts', lines: [1, 2, 3] }], evidence: 'note' } },
  { commit: '2'.repeat(40), message: 'Refund\n\nReviewed-by: Lee <lee@example.com> (@payments-leads)\n', author, policies, ai: { files: [{ path: 'src/payments/refund.ts', lines: [4, 5] }, { path: 'infra/main.tf', lines: [7] }], evidence: 'note' } },
  { commit: '3'.repeat(40), message: 'Docs\n', author, policies },
];

describe('check --format markdown', () => {
  const violations = commits.flatMap((c) => judgeCommit(c).violations);
  const warnings = commits.flatMap((c) => judgeCommit(c).warnings);
  const s = summarizeCheck(['main..HEAD'], commits, violations, warnings);
  const md = checkMarkdown(s);

  it('sums AI lines per critical path, with the reviews needed and given and the worst verdict', () => {
    assert.deepEqual(
      s.rules.map((r) => [r.reason, r.aiLines, r.reviewsNeeded, r.reviewsGiven, r.verdict]),
      [
        ['payments | money', 5, '1 from @payments-leads', ['Lee <lee@example.com> (@payments-leads)'], 'unreviewed'],
        ['infrastructure', 1, 'none', [], 'warned'],
      ],
    );
  });

  it('writes the tables a job summary shows, with cells escaped', () => {
    assert.match(md, /^## AI provenance: ❌ policy not met$/m);
    assert.match(md, /^3 commits checked \(`main\.\.HEAD`\): 1 violation, 3 critical files with AI-written lines\.$/m);
    assert.match(md, /^\| Critical path \| Friction \| AI lines \| Budget used \| Reviews needed \| Reviews given \| Verdict \|$/m);
    assert.match(md, /^\| payments \\\| money \(`src\/payments\/\*\*`\) \| review \| 5 \| — \(no budget set\) \| 1 from @payments-leads \| Lee &lt;lee@example\.com&gt; \(@payments-leads\) \| ❌ needs review \|$/m);
    assert.match(md, /^\| `src\/payments\/charge\.ts` \| 3 \| `111111111111`: 1-3 \| payments \\\| money \| ❌ needs review \|$/m);
    assert.match(md, /^\| `src\/payments\/refund\.ts` \| 2 \| `222222222222`: 4-5 \| payments \\\| money \| ✅ reviewed \|$/m);
    assert.match(md, /^\| `infra\/main\.tf` \| 1 \| `222222222222`: 7 \| infrastructure \| ⚠️ warn \|$/m);
    assert.match(md, /^### What is missing$/m);
  });

  it('says so when nothing AI-written touched a critical path', () => {
    const clean = checkMarkdown(summarizeCheck(['HEAD'], [commits[2]!], [], []));
    assert.match(clean, /✅ policy met/);
    assert.match(clean, /No AI-written lines in critical paths\./);
  });
});
