/**
 * `git provenance import git-ai [--dry-run]`: reads git-ai's authorship logs
 * (`refs/notes/ai`, authorship/3.0.0) and writes, for each commit that has no note of ours,
 * our note made from it (marked `metadata["dev.ai-provenance"].source = "git-ai"`). So stats,
 * blame and the report see git-ai's lines with no second code path, and `git notes` sync
 * carries them like any other note.
 *
 * Our own notes always win: a commit with a note we wrote is left alone. A note we imported
 * earlier is rewritten only when the git-ai note it came from changed, which makes the import
 * idempotent. All notes are written in one `git fast-import` commit on our notes ref.
 */
import { createHash } from 'node:crypto';
import { gitAiNotesRef, gitAiRecord, isImported, parseGitAiNote, uuidFromHex } from '../../core/commit/gitAi';
import type { TraceRecord } from '../../core/commit/notes';
import { notesRef, parseNote, serializeRecord } from '../../core/commit/notes';
import { logFormat, parseLogNumstat } from '../../core/report/stats';
import { catFileBatch, notesList } from '../../git/commands';
import { committerIdent, fastImport, logNumstatOf, notesListOf, refTarget } from '../../git/historyCommands';
import { runGit } from '../../git/runner';
import { parseArgs, UsageError } from '../args';
import type { Io } from '../io';
import { openRepo } from '../../node/repo';

declare const AIP_VERSION: string | undefined;
const toolVersion = typeof AIP_VERSION === 'string' ? AIP_VERSION : '0.0.0-dev';

/** Usage text of `import`. */
export const importUsage = `usage: git provenance import git-ai [--dry-run]

Reads git-ai's notes (refs/notes/ai, authorship/3.0.0) and writes our note
(refs/notes/ai-provenance) for each commit that has none, so stats, blame and the report
count git-ai's lines. Commits with a note of ours are left alone; notes imported earlier are
updated when git-ai's note changed. Running it again changes nothing. Prompt text is never read
into our notes: only each agent's tool, model, session id and first message time.
  --dry-run   print what would be written, write nothing`;

/** What happened to each commit git-ai attested. */
export interface ImportPlan {
  readonly write: Array<{ commit: string; record: TraceRecord; update: boolean }>;
  /** Commits with a note of ours (not imported): left alone. */
  readonly kept: string[];
  /** Imported before from the same git-ai note. */
  readonly unchanged: string[];
  /** git-ai notes naming no AI line, or on commits no longer in the repository. */
  readonly empty: string[];
  /** Notes that are not authorship logs. */
  readonly unreadable: string[];
}

/** Decides what to write, reading everything in four git calls. */
export async function planImport(root: string): Promise<ImportPlan> {
  const plan: ImportPlan = { write: [], kept: [], unchanged: [], empty: [], unreadable: [] };
  const theirs = await runGit(root, notesListOf(gitAiNotesRef));
  if (theirs.size === 0) return plan;
  const ours = await runGit(root, notesList());
  const blobs = new Set<string>(theirs.values());
  for (const c of theirs.keys()) {
    const b = ours.get(c);
    if (b) blobs.add(b);
  }
  const texts = await runGit(root, catFileBatch([...blobs]));
  const candidates: Array<{ commit: string; blob: string; text: string }> = [];
  for (const [commit, blob] of theirs) {
    const oursBlob = ours.get(commit);
    const existing = oursBlob ? parseNote(texts.get(oursBlob) ?? '') : [];
    if (existing.some((r) => !isImported(r))) {
      plan.kept.push(commit);
      continue;
    }
    if (existing.some((r) => (r.metadata?.['dev.ai-provenance'] as { sourceNote?: unknown } | undefined)?.sourceNote === blob)) {
      plan.unchanged.push(commit);
      continue;
    }
    const text = texts.get(blob);
    if (text === undefined) {
      plan.unreadable.push(commit);
      continue;
    }
    candidates.push({ commit, blob, text });
  }
  if (candidates.length === 0) return plan;
  // --ignore-missing: a note can outlive its commit (gc after a rebase); such notes are skipped.
  const log = parseLogNumstat(await runGit(root, logNumstatOf(logFormat, candidates.map((c) => c.commit))));
  const info = new Map(log.map((c) => [c.commit, c]));
  for (const c of candidates) {
    const commit = info.get(c.commit);
    const parsed = parseGitAiNote(c.text);
    if (!parsed) {
      plan.unreadable.push(c.commit);
      continue;
    }
    if (!commit) {
      plan.empty.push(c.commit);
      continue;
    }
    const record = gitAiRecord(parsed, {
      commit: c.commit,
      id: uuidFromHex(createHash('sha256').update(`git-ai\0${c.commit}\0${c.blob}`).digest('hex')),
      time: commit.time,
      toolVersion,
      added: commit.files.reduce((n, f) => n + f.added, 0),
      sourceNote: c.blob,
    });
    if (!record) plan.empty.push(c.commit);
    else plan.write.push({ commit: c.commit, record, update: ours.has(c.commit) });
  }
  return plan;
}

function data(text: string): string {
  return `data ${Buffer.byteLength(text, 'utf8')}\n${text}\n`;
}

/** Writes the planned notes as one commit on our notes ref. */
export async function writeImport(root: string, plan: ImportPlan): Promise<void> {
  if (plan.write.length === 0) return;
  const [tip, ident] = await Promise.all([runGit(root, refTarget(notesRef)), runGit(root, committerIdent())]);
  const parts = [`commit ${notesRef}\n`, `committer ${ident}\n`, data(`Import ${plan.write.length} git-ai note(s)`)];
  if (tip) parts.push(`from ${tip}\n`);
  for (const w of plan.write) parts.push(`N inline ${w.commit}\n`, data(serializeRecord(w.record)));
  parts.push('done\n');
  await runGit(root, fastImport(parts.join('')));
}

/** Runs `import`. */
export async function importNotes(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, [], ['dry-run', 'help']);
  if (args.flags.has('help')) {
    io.out(importUsage);
    return 0;
  }
  const source = args.positionals[0];
  if (source === undefined) throw new UsageError('give the source to import: git-ai');
  if (source !== 'git-ai' || args.positionals.length > 1) throw new UsageError(`unknown source "${args.positionals.join(' ')}" (known: git-ai)`);
  const repo = await openRepo(io.cwd, io.err);
  const root = repo.info.root;
  const plan = await planImport(root);
  const dry = args.flags.has('dry-run');
  for (const w of plan.write) {
    const meta = w.record.metadata?.['dev.ai-provenance'] as { lines: { ai: number }; files: Record<string, Array<{ tool: string; model: string | null }>> };
    const tools = [...new Set(Object.values(meta.files).flatMap((ms) => ms.map((m) => `${m.tool}:${m.model ?? 'unknown'}`)))];
    io.out(`${dry ? 'would ' : ''}${w.update ? 'update' : 'import'} ${w.commit.slice(0, 12)}  ${meta.lines.ai} AI line(s) in ${w.record.files.length} file(s)  ${tools.join(', ')}`);
  }
  if (!dry) await writeImport(root, plan);
  const created = plan.write.filter((w) => !w.update).length;
  io.out(
    `${dry ? 'Would import' : 'Imported'} ${created} and ${dry ? 'update' : 'updated'} ${plan.write.length - created} note(s); ` +
      `${plan.unchanged.length} already imported, ${plan.kept.length} kept (our own note), ` +
      `${plan.empty.length} without AI lines, ${plan.unreadable.length} unreadable.`,
  );
  return 0;
}
